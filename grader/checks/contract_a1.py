"""Random inputs for every function of assignment 1 (see grader.checks.contract).

Only how to MAKE inputs lives here (random shapes, wide ranges, the inputs the
contract rejects); expected values always come from the reference, in the judge.
"""

from __future__ import annotations

import numpy as np

from grader.checks.contract import Spec

WIDE = (-1000.0, -710.0, -100.0, -30.0, 0.0, 30.0, 100.0, 710.0, 1000.0)


def _shape(rng, max_dims=3, low=1, high=5):
    ndim = int(rng.integers(0, max_dims + 1))
    return tuple(int(rng.integers(low, high)) for _ in range(ndim))


def _z(rng, wide):
    shape = _shape(rng)
    if wide:   # every value of WIDE is in (at least 9 entries)
        shape = (len(WIDE) + int(rng.integers(0, 4)),) if rng.integers(2) else (
            3, 3 + int(rng.integers(0, 3)))
        z = rng.uniform(-1000.0, 1000.0, size=shape)
        flat = z.reshape(-1)
        k = min(flat.size, len(WIDE))
        flat[:k] = rng.permutation(WIDE)[:k]
        return flat.reshape(shape)
    z = rng.normal(0.0, 3.0, size=shape)
    if z.size > 2:
        z.reshape(-1)[int(rng.integers(z.size))] = 0.0       # a boundary point
    return z


def _activation(func):
    return Spec("activations", func, make=lambda rng, wide: (_z(rng, wide),), arrays=(0,),
                elementwise=True, factors=lambda args: {"2": 2.0, "4": 4.0})


# ---- perceptron --------------------------------------------------------------------------
def _predict_args(rng, wide):
    d = int(rng.integers(1, 5))
    scale = 10**6 if wide else 3
    w = rng.integers(-3, 4, size=d).astype(float)
    b = float(rng.integers(-3, 4))
    if rng.integers(2):
        X = rng.integers(-scale, scale + 1, size=(int(rng.integers(1, 9)), d)).astype(float)
    else:
        X = rng.integers(-scale, scale + 1, size=d).astype(float)
    return X, w, b


def _update_args(rng, wide):
    d = int(rng.integers(1, 5))
    scale = 1e6 if wide else 2.0
    w, x = rng.normal(0.0, scale, size=d), rng.normal(0.0, scale, size=d)
    return w, float(rng.normal()), x, int(rng.integers(0, 2)), float(rng.uniform(0.05, 2.0))


def _train_args(rng, wide):
    n, d = int(rng.integers(4, 12)), int(rng.integers(1, 4))
    X = rng.integers(-4, 5, size=(n, d)).astype(float)
    w_true = rng.integers(-3, 4, size=d)
    labels = (X @ w_true + rng.integers(-2, 3) + 0.5 > 0).astype(np.int64)
    if rng.integers(3) == 0:                        # not separable: runs every epoch
        X, labels = np.vstack([X, X[0]]), np.append(labels, 1 - labels[0])
    lr = float(rng.choice([0.25, 0.5, 1.0, 2.0]))
    if wide:
        X = X * 1e5
    return X, labels, lr, int(rng.integers(5, 40))


# ---- backprop ----------------------------------------------------------------------------
def _sizes(rng):
    return [int(rng.integers(1, 5)) for _ in range(int(rng.integers(3, 5)))]


def _params(rng, sizes, scale=1.0):
    return [(rng.normal(0.0, scale, size=(a, b)), rng.normal(0.0, scale, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


def _probabilities(rng, shape, wide):
    A = rng.uniform(0.01, 0.99, size=shape)
    if wide:
        A.reshape(-1)[: max(1, A.size // 3)] = rng.choice([0.0, 1.0, 1e-300, 1 - 1e-16],
                                                           size=max(1, A.size // 3))
    return A


def _output_delta_args(rng, wide):
    shape = (int(rng.integers(1, 7)), int(rng.integers(1, 4)))
    return _probabilities(rng, shape, wide), (rng.random(shape) < 0.5).astype(float)


def _mask(rng, shape):
    rate = float(rng.choice([0.25, 0.5]))
    return (rng.random(shape) >= rate) / (1.0 - rate)


def _hidden_delta_args(rng, wide):
    n, h, k = (int(rng.integers(1, 6)) for _ in range(3))
    Z = rng.uniform(-1000, 1000, size=(n, h)) if wide else rng.normal(0.0, 2.0, size=(n, h))
    args = (rng.normal(size=(n, k)), rng.normal(size=(h, k)), Z)
    return args + ((_mask(rng, (n, h)),) if rng.integers(2) else ())


def _layer_gradients_args(rng, wide):
    n, a, b = (int(rng.integers(1, 7)) for _ in range(3))
    scale = 1e100 if wide else 1.0
    return rng.normal(0.0, scale, size=(n, b)), rng.normal(0.0, scale, size=(n, a))


def _backward_args(rng, wide, reference=None):
    from grader.reference import reference as load
    ref = reference or load()
    sizes, n = _sizes(rng), int(rng.integers(1, 7))
    params = _params(rng, sizes, 30.0 if wide else 1.0)
    X = rng.normal(0.0, 30.0 if wide else 1.0, size=(n, sizes[0]))
    masks = [_mask(rng, (n, s)) for s in sizes[1:-1]] if rng.integers(2) else None
    _, cache = ref.backprop.forward(X, params, masks)
    return params, cache, (rng.random((n, sizes[-1])) < 0.5).astype(float)


# ---- dropout -----------------------------------------------------------------------------
def _rate(rng):
    return float(rng.uniform(0.05, 0.4) if rng.integers(2) else rng.uniform(0.6, 0.9))


def _dropout_shape(rng):
    return (int(rng.integers(50, 150)), int(rng.integers(60, 100)))


def _mask_args(rng, wide):
    return _dropout_shape(rng), (0.0 if wide else _rate(rng)), None


def _forward_args(rng, wide):
    shape = _dropout_shape(rng)
    A = rng.normal(0.0, 1e150 if wide else 2.0, size=shape)
    A[A == 0.0] = 1.0
    return A, _rate(rng), None, bool(rng.integers(4))        # training most of the time


def _backward_dropout_args(rng, wide):
    shape = _shape(rng, 3, 1, 6)
    dout = rng.normal(0.0, 1e150 if wide else 1.0, size=shape)
    return dout, (_mask(rng, shape) if rng.integers(3) else None)


# ---- sgd ---------------------------------------------------------------------------------
def _data(rng, wide):
    n, d, k = int(rng.integers(1, 12)), int(rng.integers(1, 4)), int(rng.integers(1, 3))
    X = np.hstack([np.arange(n, dtype=float)[:, None], rng.normal(size=(n, d - 1))])
    Y = rng.normal(size=(n, k)) * (1e200 if wide else 1.0)
    return X, Y


def _minibatches_args(rng, wide):
    X, Y = _data(rng, wide)
    return X, Y, int(rng.integers(1, X.shape[0] + 3)), None


def _sgd_step_args(rng, wide):
    sizes = _sizes(rng)
    scale = 1e150 if wide else 1.0
    return _params(rng, sizes, scale), _params(rng, sizes, scale), float(rng.uniform(0.01, 2))


def _train_sgd_args(rng, wide):
    sizes = _sizes(rng)
    n = int(rng.integers(2, 12))
    X = rng.normal(0.0, 100.0 if wide else 1.0, size=(n, sizes[0]))
    Y = (rng.random((n, sizes[-1])) < 0.5).astype(float)
    params = _params(rng, sizes, 10.0 if wide else 1.0)
    return X, Y, params, float(rng.uniform(0.1, 1.5)), int(rng.integers(1, n + 2)), \
        int(rng.integers(1, 4))


SPECS = {
    "activations": [_activation(f) for f in ("sigmoid", "sigmoid_derivative", "tanh_derivative",
                                             "relu", "relu_derivative")],
    "perceptron": [
        Spec("perceptron", "predict", make=_predict_args, arrays=(0, 1)),
        Spec("perceptron", "update", make=_update_args, arrays=(0, 2),
             factors=lambda a: {"lr": a[4], "2": 2.0}),
        Spec("perceptron", "train", make=_train_args, arrays=(0, 1)),
    ],
    "backprop": [
        Spec("backprop", "output_delta", make=_output_delta_args, arrays=(0, 1),
             factors=lambda a: {"N": a[0].shape[0], "K": a[0].shape[1]}),
        Spec("backprop", "hidden_delta", make=_hidden_delta_args, arrays=(0, 1, 2, 3)),
        Spec("backprop", "layer_gradients", make=_layer_gradients_args, arrays=(0, 1),
             factors=lambda a: {"N": a[0].shape[0]}),
        Spec("backprop", "backward", make=_backward_args, arrays=(0, 1, 2),
             factors=lambda a: {"N": a[2].shape[0]}),
    ],
    "dropout": [
        Spec("dropout", "dropout_mask", make=_mask_args, arrays=(0,), rng_arg=2,
             clauses=("lists", "in_place", "warnings", "value_error", "dtype"),
             value_errors=(lambda rng: (((3, 4), 1.0, None), "rate = 1"),
                           lambda rng: (((3, 4), float(rng.uniform(1.01, 3)), None), "rate > 1"),
                           lambda rng: (((3, 4), -float(rng.uniform(0.01, 1)), None),
                                        "rate < 0"))),
        Spec("dropout", "dropout_forward", make=_forward_args, arrays=(0,), rng_arg=2,
             clauses=("lists", "in_place", "warnings", "dtype")),
        Spec("dropout", "dropout_backward", make=_backward_dropout_args, arrays=(0, 1),
             factors=lambda a: {}),
    ],
    "sgd": [
        Spec("sgd", "minibatches", make=_minibatches_args, arrays=(0, 1)),
        Spec("sgd", "minibatches", make=_minibatches_args, arrays=(0, 1), rng_arg=3,
             clauses=("lists", "in_place", "warnings", "dtype")),
        Spec("sgd", "sgd_step", make=_sgd_step_args, arrays=(0, 1),
             factors=lambda a: {"lr": a[2]}),
        Spec("sgd", "train", make=_train_sgd_args, arrays=(0, 1, 2),
             factors=lambda a: {"lr": a[3]}, replace={"sgd": ["minibatches"]}),
    ],
}


def spec(module: str, func: str, random: bool = False) -> Spec:
    """The spec of ``module.func`` (``random``: the one given an rng)."""
    for s in SPECS[module]:
        if s.func == func and (s.rng_arg is not None) == random:
            return s
    raise KeyError(f"{module}.{func}")
