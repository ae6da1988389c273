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
    tr, va, te = idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:n_train + n_val + int(np.floor(fractions[2] * N + 1e-9))]
    return X[tr], Y[tr], X[va], Y[va], X[te], Y[te]


def standardize(X_train, *others):
    X_train = np.asarray(X_train, dtype=float)
    mean = np.mean(X_train, axis=0)
    std = np.std(X_train, axis=0, ddof=0)
    divisor = std.copy()
    divisor[divisor == 0] = 1.0
    results = [(a - mean) / divisor for a in (X_train,) + tuple(np.asarray(o, float) for o in others)]
    return tuple(results) + (mean, std)
