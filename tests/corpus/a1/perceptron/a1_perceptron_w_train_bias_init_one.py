"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    if X.ndim == 1:
        return np.int64(1 if X @ w + b > 0 else 0)
    out = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        if X[i] @ w + b > 0:
            out[i] = 1
    return out


def update(w, b, x, d, lr):
    y = predict(x, w, b)
    if y == d:
        return np.array(w, dtype=float), float(b)
    delta = lr * (d - y)
    return np.asarray(w, dtype=float) + delta * np.asarray(x, dtype=float), float(b + delta)


def train(X, d, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    d = np.asarray(d)
    w = np.zeros(X.shape[1])
    b = 1.0
    errors = []
    for epoch in range(epochs):
        n_err = 0
        for x_i, d_i in zip(X, d):
            if predict(x_i, w, b) != d_i:
                n_err += 1
            w, b = update(w, b, x_i, d_i, lr)
        errors.append(n_err)
        if n_err == 0:
            break
    return w, b, errors
