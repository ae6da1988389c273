"""Golden values of optimizers.py for the public checks: ``record(ref)``."""

import numpy as np

from grader.checks.unit_support import sibling_variants

_rng = np.random.default_rng(2026)
W = _rng.normal(size=(2, 3))
G = _rng.normal(size=(2, 3))
STATE_1 = _rng.normal(scale=0.1, size=(2, 3))
STATE_2 = _rng.uniform(0.01, 0.5, size=(2, 3))

X = _rng.normal(size=(10, 2))
Y = (_rng.random((10, 1)) < 0.5).astype(float)
# Two hidden layers of one width: b1 and b2 have one shape (a state shared by shape shows).
PARAMS = [(_rng.normal(size=(2, 3)), _rng.normal(scale=0.3, size=3)),
          (_rng.normal(size=(3, 3)), _rng.normal(scale=0.3, size=3)),
          (_rng.normal(size=(3, 1)), _rng.normal(scale=0.3, size=1))]
TRAIN = {
    "sgd": {"lr": 0.5, "hyper": {}},
    "momentum": {"lr": 0.2, "hyper": {"momentum": 0.8}},
    "rmsprop": {"lr": 0.05, "hyper": {"rho": 0.8, "eps": 1e-4}},
    "adam": {"lr": 0.05, "hyper": {"beta_1": 0.8, "beta_2": 0.95, "eps": 1e-5}},
}
BATCH_SIZE, EPOCHS = 4, 3


def _case(ref, func, args, kwargs=None):
    kwargs = kwargs or {}
    return {"args": list(args), "kwargs": kwargs,
            "expected": list(getattr(ref.optimizers, func)(*args, **kwargs)),
            "mistakes": {k: list(v) for k, v in
                         sibling_variants(__file__, ref, func, *args, **kwargs).items()
                         if v is not None}}


def record(ref):
    out = {
        "momentum_step": _case(ref, "momentum_step", (W, G, STATE_1, 0.1), {"momentum": 0.8}),
        "rmsprop_step": _case(ref, "rmsprop_step", (W, G, STATE_2, 0.05),
                              {"rho": 0.8, "eps": 0.01}),
        "adam_step_t1": _case(ref, "adam_step", (W, G, np.zeros_like(W), np.zeros_like(W), 1,
                                                 0.05), {"beta_1": 0.8, "beta_2": 0.95,
                                                         "eps": 0.01}),
        "adam_step_t4": _case(ref, "adam_step", (W, G, STATE_1, STATE_2, 4, 0.05),
                              {"beta_1": 0.8, "beta_2": 0.95, "eps": 0.01}),
    }
    # The defaults: rho = 0.9, eps = 1e-7; beta_1 = 0.9, beta_2 = 0.999 (with tiny gradients,
    # where eps matters).
    small = G * 1e-5
    out["rmsprop_step_default"] = _case(ref, "rmsprop_step", (W, small, np.zeros_like(W), 0.01))
    out["adam_step_default"] = _case(ref, "adam_step", (W, small, np.zeros_like(W),
                                                        np.zeros_like(W), 2, 0.01))
    for name, spec in TRAIN.items():
        out[f"train_{name}"] = _case(ref, "train", (X, Y, PARAMS, name, spec["lr"], BATCH_SIZE,
                                                    EPOCHS), spec["hyper"])
    return out
