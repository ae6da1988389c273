"""Train/validation/test split and standardization without leakage."""
import math
import numpy as np


def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
    fr = np.asarray(fractions, dtype=float)
    if fr.shape != (3,) or np.any(fr <= 0) or abs(fr.sum() - 1) > 1e-9:
        raise ValueError("bad fractions %r" % (fractions,))
    X = np.asarray(X)
    Y = np.asarray(Y)
    N = len(X)
    n_train, n_val = (int(math.floor(f * N + 1e-9)) for f in fr[:2])
    order = list(range(N)) if rng is None else list(rng.permutation(N))
    parts = [order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]]
    out = []
    for p in parts:
        p = np.array(p, dtype=int)
        out += [X[p], Y[p]]
    return tuple(out)


def standardize(X_train, *others):
    X_train = np.asarray(X_train, dtype=float)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    safe = std
    out = [(X_train - mean) / safe]
    out += [(np.asarray(o, dtype=float) - mean) / safe for o in others]
    return (*out, mean, std)
