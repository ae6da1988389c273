"""Named mistakes of losses.py: MUTANTS (wrong variants built from the reference) and
SOURCES (the same mistakes as a student writes them, and correct variants written
differently, which must get full marks)."""

import numpy as np

from grader.mutants import Mutant

EX = "losses"


def _a(x):
    return np.asarray(x, dtype=float)


def _naive_softmax(Z, axis=-1):
    with np.errstate(all="ignore"):
        e = np.exp(_a(Z))
        return e / e.sum(axis=axis, keepdims=True)


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
    Mutant("softmax_wrong_axis", EX, "softmax",
           lambda ref: lambda Z: ref.losses.softmax(_a(Z).T).T if _a(Z).ndim == 2 else None),
    Mutant("cce_without_clipping", EX, "categorical_cross_entropy", lambda ref: _unclipped_cce),
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

WRONG = {
    "mse_sum_over_outputs": [("mse", """
        def mse(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return float(np.sum((A - Y) ** 2) / A.shape[0])
        """)],
    "mse_gradient_missing_2": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return (A - Y) / A.size
        """)],
    "mse_gradient_divided_by_n": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            N = A.shape[0]
            return 2 * (A - Y) / N
        """)],
    "mse_gradient_sign_flipped": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return 2 * (Y - A) / A.size
        """)],
    "softmax_without_max_shift": [("softmax", """
        def softmax(Z):
            e = np.exp(np.asarray(Z, dtype=float))
            return e / np.sum(e, axis=1, keepdims=True)
        """)],
    "softmax_wrong_axis": [("softmax", """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            e = np.exp(Z - Z.max(axis=0, keepdims=True))
            return e / e.sum(axis=0, keepdims=True)
        """)],
    "cce_without_clipping": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.asarray(P, dtype=float); Y = np.asarray(Y, dtype=float)
            return -np.mean(np.sum(Y * np.log(P), axis=1))
        """)],
    "cce_sum_not_mean": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            return float(-np.sum(np.asarray(Y) * np.log(P)))
        """)],
    "softmax_ce_gradient_missing_1_over_n": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            return softmax(Z) - np.asarray(Y, dtype=float)
        """)],
    "softmax_ce_gradient_sign_flipped": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (np.asarray(Y, dtype=float) - softmax(Z)) / Z.shape[0]
        """)],
    "mse_halved": [("mse", """
        def mse(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return 0.5 * float(np.mean((A - Y) ** 2))
        """)],
    "cce_mean_over_all_entries": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            return float(-np.mean(np.asarray(Y) * np.log(P)))
        """)],
    "cce_clipped_at_1e_15": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-15, 1 - 1e-15)
            return float(-np.sum(np.asarray(Y) * np.log(P)) / len(P))
        """)],
    "cce_adds_binary_terms": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            Y = np.asarray(Y, dtype=float)
            return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / len(P))
        """)],
    "softmax_ce_gradient_divided_by_nk": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (softmax(Z) - Y) / Z.size
        """)],
    "softmax_ce_gradient_uses_logits": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (Z - np.asarray(Y)) / Z.shape[0]
        """)],
    "one_hot_without_value_error": [("one_hot", """
        def one_hot(labels, K):
            labels = np.asarray(labels, dtype=int)
            Y = np.zeros((len(labels), K))
            Y[np.arange(len(labels)), labels % K] = 1
            return Y
        """)],
}

RIGHT = {
    "mse": """
        def mse(A, Y):
            d = np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)
            return float(np.sum(d * d) / d.size)
        """,
    "mse_gradient": """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float)
            N, K = A.shape
            return (A - np.asarray(Y)) * (2.0 / (N * K))
        """,
    "softmax": """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            out = np.empty_like(Z)
            for i, row in enumerate(Z):
                e = np.exp(row - np.max(row))
                out[i] = e / np.sum(e)
            return out
        """,
    "one_hot": """
        def one_hot(labels, K):
            labels = [int(l) for l in labels]
            for l in labels:
                if not 0 <= l < K:
                    raise ValueError("label out of range")
            return np.eye(K)[labels].astype(np.float64).reshape(len(labels), K)
        """,
    "categorical_cross_entropy": """
        def categorical_cross_entropy(P, Y):
            P = np.minimum(np.maximum(np.asarray(P, dtype=float), 1e-7), 1 - 1e-7)
            return float(np.mean(-np.sum(np.asarray(Y) * np.log(P), axis=1)))
        """,
    "softmax_cross_entropy_gradient": """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            Z = Z - Z.max(axis=1, keepdims=True)
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            return (P - Y) / len(Z)
        """,
}

SOURCES = {"wrong": WRONG, "right": RIGHT}
