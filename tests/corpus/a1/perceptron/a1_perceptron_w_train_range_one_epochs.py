"""Rosenblatt's perceptron with a step activation."""
import numpy as np


def predict(X, w, b):
    net = np.einsum("...d,d->...", np.asarray(X, float), np.asarray(w, float)) + b
    return np.asarray(net > 0, dtype=np.int64)


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
    w = np.zeros(X.shape[1])
    b = 0.0
    errors = []
    for epoch in range(1, epochs):
        n_err = 0
        for i in range(len(X)):
            if predict(X[i], w, b) != d[i]:
                n_err += 1
            w, b = update(w, b, X[i], d[i], lr)
        errors.append(n_err)
        if n_err == 0:
            break
    return w, b, errors
