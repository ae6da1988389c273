"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    X = np.asarray(X, dtype=np.float64)
    out = np.greater(X.dot(np.asarray(w, dtype=np.float64)) + b, 0.0)
    return out.astype(np.int32)  # any integer dtype is an int array


def update(w, b, x, d, lr):
    w = np.asarray(w, dtype=float)
    x = np.asarray(x, dtype=float)
    y = predict(x, w, b)
    w_new = w + lr * (d - y) * x
    y = predict(x, w_new, b)
    b_new = b + lr * (d - y)
    return w_new, b_new


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
