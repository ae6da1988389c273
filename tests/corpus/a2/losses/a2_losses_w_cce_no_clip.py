"""Losses, softmax and their gradients."""
import numpy as np


def mse(A, Y):
    diff = np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)
    return float(np.sum(diff * diff) / diff.size)


def mse_gradient(A, Y):
    A = np.asarray(A, dtype=float)
    return 2 * (A - np.asarray(Y, dtype=float)) / A.size


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(labels, K):
    labels = np.asarray(labels)
    if np.any(labels < 0) or np.any(labels >= K):
        raise ValueError("labels must be in 0..K-1")
    return np.eye(K)[labels.astype(int)]


def categorical_cross_entropy(P, Y):
    P = np.asarray(P, dtype=float)
    Y = np.asarray(Y, dtype=float)
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))


def softmax_cross_entropy_gradient(Z, Y):
    P = softmax(Z)
    Y = np.asarray(Y, dtype=float)
    N = len(Y)
    return (P - Y) / N
