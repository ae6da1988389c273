"""Golden values of early_stopping.py for the public checks: ``record(ref)``."""

import numpy as np

from grader import datasets
from grader.checks.unit_support import sibling_variants

# (val_losses, patience, min_delta): the docstring's example, a tie, improvements smaller
# than min_delta, a late new best that resets the wait, patience 0, and losses running out.
CURVES = [
    ([1.0, 0.8, 0.9, 0.85, 0.95], 2, 0.0),
    ([0.9, 0.7, 0.7, 0.7, 0.7, 0.6], 3, 0.0),
    ([1.0, 0.96, 0.93, 0.91, 0.9, 0.7, 0.69], 2, 0.05),
    ([1.0, 0.9, 0.95, 0.97, 0.85, 0.88, 0.9, 0.92, 0.99], 3, 0.0),
    ([0.5, 0.6, 0.4], 0, 0.0),
    ([0.5, 0.4, 0.45, 0.3], 2, 0.0),
    ([2.0], 0, 0.0),
    # Curves on which each named mistake of the rule gives a result of its own.
    ([0.97, 1.07, 1.04, 1.04, 1.08], 3, 0.0),
    ([1.1, 1.14, 1.24, 1.24, 1.34, 1.31], 0, 0.0),
    ([0.97, 0.87, 0.87, 0.97, 0.87, 0.84], 3, 0.0),
    ([1.0, 0.97, 0.87, 0.91, 0.81], 3, 0.0),
    ([1.1, 1.1, 1.1, 1.07, 0.97, 0.97, 1.01, 1.01], 0, 0.0),
    ([0.9, 0.94, 0.98, 1.02], 2, 0.05),
    ([1.1, 1.07, 0.97, 0.97, 0.87, 0.84, 0.94, 0.98, 1.08], 0, 0.05),
    ([0.9, 0.9, 0.87], 2, 0.05),
]


def _problem():
    X, Y = datasets.moons(n=16, noise=0.45, seed=2)
    X_val, Y_val = datasets.moons(n=40, noise=0.45, seed=102)
    return {"X": X, "Y": Y, "X_val": X_val, "Y_val": Y_val,
            "params": datasets.init_params([2, 8, 1], seed=2), "lr": 2.0, "batch_size": 4,
            "max_epochs": 60, "patience": 5}


def record(ref):
    curves = []
    for losses, patience, min_delta in CURVES:
        curves.append({
            "args": [losses, patience, min_delta],
            "expected": list(ref.early_stopping.early_stopping(losses, patience, min_delta)),
            "mistakes": {k: list(v) for k, v in sibling_variants(
                __file__, ref, "early_stopping", losses, patience, min_delta).items()
                if v is not None}})
    p = _problem()
    args = [p["X"], p["Y"], p["X_val"], p["Y_val"], p["params"], p["lr"], p["batch_size"],
            p["max_epochs"], p["patience"]]
    runs = {}
    for restore in (True, False):
        kwargs = {"restore_best_weights": restore}
        runs["restore" if restore else "last"] = {
            "args": args, "kwargs": kwargs,
            "expected": list(ref.early_stopping.train_with_early_stopping(*args, **kwargs)),
            "mistakes": {k: list(v) for k, v in sibling_variants(
                __file__, ref, "train_with_early_stopping", *args, **kwargs).items()
                if v is not None}}
    return {"curves": curves, "train": runs}
