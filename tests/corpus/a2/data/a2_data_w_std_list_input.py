"""Train/validation/test split and standardization without leakage."""
import numpy as np


def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
    fractions = tuple(float(f) for f in fractions)
    if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError("fractions must be three positive numbers summing to 1")
    X = np.asarray(X)
    Y = np.asarray(Y)
    N = len(X)
    n_train = int(np.floor(fractions[0] * N + 1e-9))
    n_val = int(np.floor(fractions[1] * N + 1e-9))
    idx = np.arange(N) if rng is None else rng.permutation(N)
    tr, va, te = idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]
    return X[tr], Y[tr], X[va], Y[va], X[te], Y[te]


def standardize(X_train, *others):
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    safe = np.where(std == 0, 1.0, std)
    return (*[(np.asarray(a, dtype=float) - mean) / safe for a in (X_train,) + others], mean, std)
