"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    X = np.asarray(X, dtype=float)
    return (X @ np.asarray(w, dtype=float) + b > 0).astype(int)


def update(w, b, x, d, lr):
    x = np.asarray(x, dtype=float)
    error = int(d) - int(predict(x, w, b))
    w_new = np.array(w, dtype=float, copy=True)
    w_new += lr * error * x
    b_new = b + lr * error
    return w_new, b_new


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
