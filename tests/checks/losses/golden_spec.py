"""Golden values of losses.py for the public checks: ``record(ref)``."""

import numpy as np

from grader.checks.unit_support import sibling_variants

A = np.array([[0.9, 0.2, 0.4], [0.1, 0.7, 0.3]])
Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])
# Rows far apart in scale, and the extremes where a softmax without the max shift overflows.
Z = np.array([[2.0, 1.0, 0.1], [-1.0, 3.0, 0.5], [1000.0, 0.0, -1000.0], [-1000.0, -999.0, -1000.0]])
Z_ONEHOT = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
P = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0], [0.25, 0.25, 0.5]])
P_ONEHOT = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
# Certain predictions: P = 1 where Y is 1 (and 0 elsewhere). Only the upper clip at 1 - 1e-7
# makes the loss nonzero, so a missing upper bound shows on every run.
P_CERTAIN = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
LABELS = np.array([2, 0, 1, 1])


def _case(ref, func, *args):
    return {"args": list(args), "expected": getattr(ref.losses, func)(*args),
            "mistakes": {k: v for k, v in sibling_variants(__file__, ref, func, *args).items()
                         if v is not None}}


def record(ref):
    return {
        "mse": _case(ref, "mse", A, Y),
        "mse_gradient": _case(ref, "mse_gradient", A, Y),
        "softmax": _case(ref, "softmax", Z),
        "softmax_small": _case(ref, "softmax", Z[:2]),
        "one_hot": _case(ref, "one_hot", LABELS, 3),
        "categorical_cross_entropy": _case(ref, "categorical_cross_entropy", P, P_ONEHOT),
        "categorical_cross_entropy_certain": _case(ref, "categorical_cross_entropy", P_CERTAIN,
                                                   P_CERTAIN),
        "softmax_cross_entropy_gradient": _case(ref, "softmax_cross_entropy_gradient", Z[:2],
                                                Z_ONEHOT[:2]),
    }
