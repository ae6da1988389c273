"""Losses, softmax and their gradients."""
import numpy as np


def mse(A, Y):
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    return float(np.mean((A - Y) ** 2))


def mse_gradient(A, Y):
    A = np.asarray(A, dtype=float)
    return 2 * (A - np.asarray(Y, dtype=float)) / A.size


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    out = np.empty_like(Z)
    for i, row in enumerate(Z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def one_hot(labels, K):
    labels = np.asarray(labels)
    if np.any(labels < 0) or np.any(labels >= K):
        raise ValueError("labels must be in 0..K-1")
    return np.eye(K)[labels.astype(int)]


def categorical_cross_entropy(P, Y):
    P = np.clip(np.asarray(P, dtype=float), 1e-15, 1 - 1e-15)
    Y = np.asarray(Y, dtype=float)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))


def softmax_cross_entropy_gradient(Z, Y):
    Z = np.asarray(Z, dtype=float)
    return (softmax(Z) - np.asarray(Y, dtype=float)) / Z.shape[0]
