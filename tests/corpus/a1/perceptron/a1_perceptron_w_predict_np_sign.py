"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
    return np.sign(z).astype(int)


def update(w, b, x, d, lr):
    y = predict(x, w, b)
    if y == d:
        return np.array(w, dtype=float), float(b)
    delta = lr * (d - y)
    return np.asarray(w, dtype=float) + delta * np.asarray(x, dtype=float), float(b + delta)


def train(X, d, lr=1.0, epochs=100):
    X = np.asarray(X, dtype=float)
    d = np.asarray(d).reshape(-1)
    w, b = np.zeros(X.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        wrong = 0
        for i, x in enumerate(X):
            wrong += abs(int(d[i]) - int(predict(x, w, b)))
            w, b = update(w, b, x, d[i], lr)
        errors.append(wrong)
        if wrong == 0:
            break
    return w, b, errors
