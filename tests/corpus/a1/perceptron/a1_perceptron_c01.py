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
    d = np.asarray(d).ravel()
    N, D = X.shape
    w = np.zeros(D)
    b = 0.0
    errors = []
    epoch = 0
    while epoch < epochs:
        mistakes = 0
        for i in range(N):
            y = predict(X[i], w, b)
            mistakes += int(y != d[i])
            w, b = update(w, b, X[i], d[i], lr)
        errors.append(mistakes)
        epoch += 1
        if mistakes == 0:
            break
    return w, b, errors
