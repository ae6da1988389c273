"""Named mistakes of data.py: MUTANTS, the wrong variants built from the reference
(each also written as a student would, in mistake_sources.py).
"""

import numpy as np

from grader.mutants import Mutant

EX = "data"


def _parts(X, Y, sizes, order=None):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    order = np.arange(X.shape[0]) if order is None else order
    cut = np.cumsum(sizes)[:2]
    return tuple(a[idx] for idx in np.split(order, cut) for a in (X, Y))


def _truncated(ref):
    def split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
        n = np.asarray(X).shape[0]
        n_train, n_val = int(fractions[0] * n), int(fractions[1] * n)
        return _parts(X, Y, (n_train, n_val))
    return split


def _all_floor(ref):
    def split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        n = X.shape[0]
        a, b = int(np.floor(fractions[0] * n + 1e-9)), int(np.floor(fractions[1] * n + 1e-9))
        c = int(np.floor(fractions[2] * n + 1e-9))
        return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a + b:a + b + c], Y[a + b:a + b + c]
    return split


def _overlap(ref):
    def split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        n = X.shape[0]
        a, b = int(np.floor(fractions[0] * n + 1e-9)), int(np.floor(fractions[1] * n + 1e-9))
        return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a:], Y[a:]
    return split


def _all_data(ref):
    def standardize(X_train, *others):
        arrays = [np.asarray(A, dtype=float) for A in (X_train, *others)]
        every = np.concatenate(arrays)
        mean, std = every.mean(axis=0), every.std(axis=0)
        scale = np.where(std == 0, 1.0, std)
        return (*((A - mean) / scale for A in arrays), mean, std)
    return standardize


def _ddof1(ref):
    def standardize(X_train, *others):
        arrays = [np.asarray(A, dtype=float) for A in (X_train, *others)]
        mean, std = arrays[0].mean(axis=0), arrays[0].std(axis=0, ddof=1)
        scale = np.where(std == 0, 1.0, std)
        return (*((A - mean) / scale for A in arrays), mean, std)
    return standardize


def _rounded(ref):
    def split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
        n = np.asarray(X).shape[0]
        return _parts(X, Y, (int(round(fractions[0] * n)), int(round(fractions[1] * n))))
    return split


def _own_stats(ref):
    def standardize(X_train, *others):
        arrays = [np.asarray(A, dtype=float) for A in (X_train, *others)]
        out = []
        for A in arrays:
            std = A.std(axis=0)
            out.append((A - A.mean(axis=0)) / np.where(std == 0, 1.0, std))
        std = arrays[0].std(axis=0)
        return (*out, arrays[0].mean(axis=0), std)
    return standardize


MUTANTS = {m.name: m for m in (
    Mutant("split_sizes_truncated", EX, "train_val_test_split", _truncated),
    Mutant("split_test_size_floored", EX, "train_val_test_split", _all_floor),
    Mutant("split_parts_overlap", EX, "train_val_test_split", _overlap),
    Mutant("standardize_fitted_on_all_data", EX, "standardize", _all_data),
    Mutant("standardize_sample_std", EX, "standardize", _ddof1),
    Mutant("split_sizes_rounded", EX, "train_val_test_split", _rounded),
    Mutant("standardize_each_array_own_stats", EX, "standardize", _own_stats),
)}
