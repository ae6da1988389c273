"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    net = np.einsum("...d,d->...", np.asarray(X, float), np.asarray(w, float)) + b
    return np.asarray(net > 0, dtype=np.int64)


def update(w, b, x, d, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    err = d - predict(x, w, b)
    return w + lr * err * x, b + err


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
