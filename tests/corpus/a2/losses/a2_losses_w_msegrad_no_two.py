"""Losses, softmax and their gradients."""
import numpy as np


def mse(A, Y):
    diff = np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)
    return float(np.sum(diff * diff) / diff.size)


def mse_gradient(A, Y):
    A = np.asarray(A, dtype=float)
    return (A - np.asarray(Y, dtype=float)) / A.size


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(labels, K):
    labels = np.asarray(labels, dtype=int).ravel()
    if labels.size and (labels.min() < 0 or labels.max() > K - 1):
        raise ValueError(f"a label is outside 0..{K - 1}")
    out = np.zeros((labels.size, K))
    out[np.arange(labels.size), labels] = 1.0
    return out


def categorical_cross_entropy(P, Y):
    P = np.asarray(P, dtype=float)
    Y = np.asarray(Y, dtype=float)
    logp = np.log(np.clip(P, 1e-7, 1 - 1e-7))
    return float(-np.einsum("nk,nk->", Y, logp) / P.shape[0])


def softmax_cross_entropy_gradient(Z, Y):
    Z = np.asarray(Z, dtype=float)
    return (softmax(Z) - np.asarray(Y, dtype=float)) / Z.shape[0]
