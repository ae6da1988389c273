"""Train/validation/test split and standardization without leakage."""
import numpy as np


def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
    try:
        f_train, f_val, f_test = (float(f) for f in fractions)
    except (TypeError, ValueError):
        raise ValueError("fractions must be three numbers")
    if f_train <= 0 or f_val <= 0 or f_test <= 0:
        raise ValueError("fractions must be positive")
    if not np.isclose(f_train + f_val + f_test, 1.0, rtol=0, atol=1e-9):
        raise ValueError("fractions must sum to 1")
    X = np.asarray(X)
    Y = np.asarray(Y)
    N = X.shape[0]
    n_train = int(f_train * N + 1e-9)  # floor for non-negative numbers
    n_val = int(f_val * N + 1e-9)
    if rng is not None:
        perm = rng.permutation(N)
        X, Y = X[perm], Y[perm]
    X_tr, X_va, X_te = np.split(X, [n_train, n_train + n_val])
    Y_tr, Y_va, Y_te = np.split(Y, [n_train, n_train + n_val])
    return X_tr, Y_tr, X_va, Y_va, X_te, Y_te


def standardize(X_train, *others):
    def z(a):
        a = np.asarray(a, dtype=float)
        m, s = a.mean(axis=0), a.std(axis=0)
        return (a - m) / np.where(s == 0, 1.0, s)
    X_train = np.asarray(X_train, dtype=float)
    return (z(X_train), *[z(o) for o in others], X_train.mean(axis=0), X_train.std(axis=0))
