"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    X = np.asarray(X, dtype=float)
    return (X @ np.asarray(w, dtype=float) - b > 0).astype(int)


def update(w, b, x, d, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y = predict(x, w, b)
    err = d - y
    return w + lr * err * x, b + lr * err


def train(X, d, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    d = np.asarray(d)
    w = np.zeros(X.shape[1])
    b = 0.0
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
