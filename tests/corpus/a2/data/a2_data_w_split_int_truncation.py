"""Train/validation/test split and standardization without leakage."""
import numpy as np


def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
    fractions = tuple(float(f) for f in fractions)
    if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1.0) > 1e-9:
        raise ValueError("fractions must be three positive numbers summing to 1")
    X = np.asarray(X)
    Y = np.asarray(Y)
    N = len(X)
    n_train = int(fractions[0] * N)
    n_val = int(fractions[1] * N)
    idx = np.arange(N) if rng is None else rng.permutation(N)
    tr, va, te = idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]
    return X[tr], Y[tr], X[va], Y[va], X[te], Y[te]


def standardize(X_train, *others):
    X_train = np.asarray(X_train, dtype=float)
    D = X_train.shape[1]
    mean = np.zeros(D)
    std = np.zeros(D)
    for j in range(D):
        col = X_train[:, j]
        mean[j] = col.mean()
        std[j] = np.sqrt(np.mean((col - mean[j]) ** 2))
    scale = np.where(std > 0, std, 1.0)
    arrays = [X_train] + [np.asarray(o, dtype=float) for o in others]
    return tuple((a - mean) / scale for a in arrays) + (mean, std)
