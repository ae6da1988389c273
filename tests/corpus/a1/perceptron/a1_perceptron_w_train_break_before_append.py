"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    z = np.dot(np.asarray(X, dtype=float), np.asarray(w, dtype=float)) + b
    return np.where(z > 0, 1, 0)


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
    b = 0.0
    errors = []
    for epoch in range(epochs):
        n_err = 0
        for x_i, d_i in zip(X, d):
            if predict(x_i, w, b) != d_i:
                n_err += 1
            w, b = update(w, b, x_i, d_i, lr)
        if n_err == 0:
            break
        errors.append(n_err)
    return w, b, errors
