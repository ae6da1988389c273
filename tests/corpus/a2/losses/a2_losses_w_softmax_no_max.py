"""Losses, softmax and their gradients."""
import numpy as np


def mse(A, Y):
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    return float(np.mean((A - Y) ** 2))


def mse_gradient(A, Y):
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    N, K = A.shape
    return 2.0 / (N * K) * (A - Y)


def softmax(Z):
    e = np.exp(np.asarray(Z, dtype=float))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(labels, K):
    labels = np.asarray(labels, dtype=int).ravel()
    if labels.size and (labels.min() < 0 or labels.max() > K - 1):
        raise ValueError(f"a label is outside 0..{K - 1}")
    out = np.zeros((labels.size, K))
    out[np.arange(labels.size), labels] = 1.0
    return out


def categorical_cross_entropy(P, Y):
    P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
    Y = np.asarray(Y, dtype=float)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))


def softmax_cross_entropy_gradient(Z, Y):
    Z = np.asarray(Z, dtype=float)
    return (softmax(Z) - np.asarray(Y, dtype=float)) / Z.shape[0]
