"""The Keras checks of assignment 2: their fixed inputs and Keras's results, from the disk cache.

The same scheme as grader.baseline.suite (assignment 1): every student gets the
same public inputs (fixed here, NumPy only), Keras's results go through
``grader.baseline.cached`` on the CPU, computed once per machine and Keras
version in a child process, and read afterwards without importing TensorFlow.

    from grader.baseline.assignment2_suite import inputs, keras_results_or_skip
    case = inputs("optimizers")                  # NumPy only
    keras = keras_results_or_skip("optimizers")  # the cache, else computed, else pytest.skip

Hyperparameters that Keras keeps in float32 (leaky ReLU's slope, SGD's
momentum, Adam's betas) are exact in float32 here: 0.25, 0.875, 1 - 2**-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader import datasets
from grader.baseline import assignment2 as model2
from grader.baseline.suite import (DEVICE, _computing, _directory, _from_cache, _Missing,
                                   compute_in_child, keras_results, keras_results_or_skip,
                                   require_keras)

KERAS_EXERCISES = ("more_activations", "losses", "optimizers", "early_stopping")

# Exact in float32 (see the module docstring), and different from the defaults, so that
# an implementation ignoring the hyperparameter given shows.
ALPHA = 0.25
HYPER = {
    "sgd": {},
    "momentum": {"momentum": 0.875},
    "rmsprop": {"rho": 0.8125, "eps": 1e-6},
    "adam": {"beta_1": 0.875, "beta_2": 1.0 - 2.0 ** -9, "eps": 1e-6},
}
LEARNING_RATES = {"sgd": 0.5, "momentum": 0.25, "rmsprop": 0.02, "adam": 0.02}


# -- the fixed inputs (NumPy only) ------------------------------------------------------------
def _more_activations_inputs() -> dict:
    z = np.concatenate([np.linspace(-12.0, 12.0, 49),
                        [-1000.0, -40.0, -1e-3, 0.0, 1e-3, 40.0, 1000.0]])
    return {"z": z, "alpha": ALPHA}


def _losses_inputs() -> dict:
    rng = np.random.default_rng(20260)
    Z = rng.normal(scale=3.0, size=(7, 4))
    return {"A": rng.normal(size=(6, 3)), "Y": rng.normal(size=(6, 3)), "Z": Z,
            "Y_onehot": np.eye(4)[rng.integers(0, 4, size=7)]}


def _optimizers_inputs() -> dict:
    rng = np.random.default_rng(20261)
    X, Y = datasets.moons(n=30, noise=0.2, seed=5)
    return {"w0": rng.normal(size=(3, 2)), "grads": rng.normal(size=(6, 3, 2)),
            "X": X, "Y": Y, "params": datasets.init_params([2, 4, 1], seed=3),
            "batch_size": 8, "epochs": 8, "lr": dict(LEARNING_RATES),
            "hyper": {k: dict(v) for k, v in HYPER.items()}}


def _early_stopping_inputs() -> dict:
    # Small, noisy training sets and a wide hidden layer: the validation loss turns up
    # and training stops (checked in tests/unit/baseline/test_assignment2_baseline.py).
    cases = []
    for seed, patience, min_delta, restore in ((1, 5, 0.0, True), (2, 3, 1e-3, False)):
        X, Y = datasets.moons(n=16, noise=0.45, seed=seed)
        X_val, Y_val = datasets.moons(n=40, noise=0.45, seed=100 + seed)
        cases.append({"X": X, "Y": Y, "X_val": X_val, "Y_val": Y_val,
                      "params": datasets.init_params([2, 8, 1], seed=seed), "lr": 2.0,
                      "batch_size": 4, "max_epochs": 150, "patience": patience,
                      "min_delta": min_delta, "restore_best_weights": restore})
    return {"cases": cases}


_INPUTS = {"more_activations": _more_activations_inputs, "losses": _losses_inputs,
           "optimizers": _optimizers_inputs, "early_stopping": _early_stopping_inputs}


def inputs(exercise: str) -> dict:
    """The fixed inputs of ``exercise``'s Keras checks (fresh arrays on every call)."""
    return _INPUTS[exercise]()


# -- Keras's results ---------------------------------------------------------------------------
def _more_activations_keras(run, case) -> dict:
    return run(model2.activations2, case["z"], case["alpha"], device=DEVICE)


def _losses_keras(run, case) -> dict:
    return run(model2.losses, case["A"], case["Y"], case["Z"], case["Y_onehot"], device=DEVICE)


def _optimizers_keras(run, case) -> dict:
    steps = {name: run(model2.optimizer_steps, name, case["w0"], case["grads"], case["lr"][name],
                       case["hyper"][name], device=DEVICE)
             for name in ("momentum", "rmsprop", "adam")}
    fits = {name: run(model2.fit_optimizer, case["params"], case["X"], case["Y"], name,
                      case["lr"][name], case["batch_size"], case["epochs"], case["hyper"][name],
                      device=DEVICE)
            for name in model2.OPTIMIZERS}
    return {"steps": steps, "fits": fits}


def _early_stopping_keras(run, case) -> dict:
    return {"cases": [run(model2.fit_early_stopping, c["params"], c["X"], c["Y"], c["X_val"],
                          c["Y_val"], c["lr"], c["batch_size"], c["max_epochs"], c["patience"],
                          c["min_delta"], c["restore_best_weights"], device=DEVICE)
                      for c in case["cases"]]}


_KERAS = {"more_activations": _more_activations_keras, "losses": _losses_keras,
          "optimizers": _optimizers_keras, "early_stopping": _early_stopping_keras}


def _cached_results(exercise: str, directory: Path) -> dict | None:
    try:
        return _KERAS[exercise](_from_cache(directory), inputs(exercise))
    except _Missing:
        return None


def warm_cache(exercises=KERAS_EXERCISES, *, cache_dir: str | Path | None = None,
               in_subprocess: bool = True) -> list[str]:
    """Compute every Keras result assignment 2's Keras checks need (see suite.warm_cache)."""
    directory = _directory(cache_dir)
    wanted = [ex for ex in KERAS_EXERCISES if ex in exercises]
    missing = [ex for ex in wanted if _cached_results(ex, directory) is None]
    if not missing:
        return wanted
    require_keras()
    if not in_subprocess:
        for exercise in missing:
            _KERAS[exercise](_computing(directory), inputs(exercise))
        return wanted
    compute_in_child("grader.baseline.assignment2_suite", directory, missing)
    return wanted


__all__ = ["ALPHA", "HYPER", "KERAS_EXERCISES", "LEARNING_RATES", "inputs", "keras_results",
           "keras_results_or_skip", "warm_cache"]
