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
    return np.eye(K)[np.asarray(labels, dtype=int)]


def categorical_cross_entropy(P, Y):
    P = np.asarray(P, dtype=float)
    Y = np.asarray(Y, dtype=float)
    eps = 1e-7
    per_sample = [-(y * np.log(np.clip(p, eps, 1 - eps))).sum() for p, y in zip(P, Y)]
    return float(np.mean(per_sample))


def softmax_cross_entropy_gradient(Z, Y):
    Z = np.asarray(Z, dtype=float)
    return (softmax(Z) - np.asarray(Y, dtype=float)) / Z.shape[0]
