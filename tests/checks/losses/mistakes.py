"""Named mistakes of losses.py: MUTANTS, the wrong variants built from the reference
(each also written as a student would, in mistake_sources.py).
"""

import numpy as np

from grader.mutants import Mutant

EX = "losses"


def _a(x):
    return np.asarray(x, dtype=float)


def _naive_softmax(Z, axis=-1):
    with np.errstate(all="ignore"):
        e = np.exp(_a(Z))
        return e / e.sum(axis=axis, keepdims=True)


def _global_max_softmax(Z):
    with np.errstate(all="ignore"):
        e = np.exp(_a(Z) - np.max(_a(Z)))
        return e / e.sum(axis=-1, keepdims=True)


def _unclipped_cce(P, Y):
    with np.errstate(all="ignore"):
        return float(-np.sum(_a(Y) * np.log(_a(P))) / _a(P).shape[0])


MUTANTS = {m.name: m for m in (
    Mutant("mse_sum_over_outputs", EX, "mse",
           lambda ref: lambda A, Y: float(np.sum((_a(A) - _a(Y)) ** 2) / _a(A).shape[0])),
    Mutant("mse_gradient_missing_2", EX, "mse_gradient",
           lambda ref: lambda A, Y: ref.losses.mse_gradient(A, Y) / 2),
    Mutant("mse_gradient_divided_by_n", EX, "mse_gradient",
           lambda ref: lambda A, Y: 2 * (_a(A) - _a(Y)) / _a(A).shape[0]),
    Mutant("mse_gradient_sign_flipped", EX, "mse_gradient",
           lambda ref: lambda A, Y: -ref.losses.mse_gradient(A, Y)),
    Mutant("softmax_without_max_shift", EX, "softmax", lambda ref: _naive_softmax),
    Mutant("softmax_global_max_shift", EX, "softmax", lambda ref: _global_max_softmax),
    Mutant("softmax_wrong_axis", EX, "softmax",
           lambda ref: lambda Z: ref.losses.softmax(_a(Z).T).T if _a(Z).ndim == 2 else None),
    Mutant("cce_without_clipping", EX, "categorical_cross_entropy", lambda ref: _unclipped_cce),
    Mutant("cce_clipped_below_only", EX, "categorical_cross_entropy",
           lambda ref: lambda P, Y: float(-np.sum(_a(Y) * np.log(np.maximum(_a(P), 1e-7)))
                                          / _a(P).shape[0])),
    Mutant("cce_sum_not_mean", EX, "categorical_cross_entropy",
           lambda ref: lambda P, Y: ref.losses.categorical_cross_entropy(P, Y) * _a(P).shape[0]),
    Mutant("softmax_ce_gradient_missing_1_over_n", EX, "softmax_cross_entropy_gradient",
           lambda ref: lambda Z, Y: ref.losses.softmax(Z) - _a(Y)),
    Mutant("softmax_ce_gradient_sign_flipped", EX, "softmax_cross_entropy_gradient",
           lambda ref: lambda Z, Y: -ref.losses.softmax_cross_entropy_gradient(Z, Y)),
    Mutant("mse_halved", EX, "mse", lambda ref: lambda A, Y: ref.losses.mse(A, Y) / 2),
    Mutant("cce_mean_over_all_entries", EX, "categorical_cross_entropy",
           lambda ref: lambda P, Y: ref.losses.categorical_cross_entropy(P, Y) / _a(P).shape[1]),
    Mutant("cce_clipped_at_1e_15", EX, "categorical_cross_entropy",
           lambda ref: lambda P, Y: float(-np.sum(_a(Y) * np.log(np.clip(_a(P), 1e-15, 1 - 1e-15)))
                                          / _a(P).shape[0])),
    Mutant("cce_adds_binary_terms", EX, "categorical_cross_entropy",
           lambda ref: lambda P, Y: ref.losses.categorical_cross_entropy(P, Y) + float(-np.sum(
               (1 - _a(Y)) * np.log(1 - np.clip(_a(P), 1e-7, 1 - 1e-7))) / _a(P).shape[0])),
    Mutant("softmax_ce_gradient_divided_by_nk", EX, "softmax_cross_entropy_gradient",
           lambda ref: lambda Z, Y: ref.losses.softmax_cross_entropy_gradient(Z, Y) / _a(Z).shape[1]),
    Mutant("softmax_ce_gradient_uses_logits", EX, "softmax_cross_entropy_gradient",
           lambda ref: lambda Z, Y: (_a(Z) - _a(Y)) / _a(Z).shape[0]),
)}
