"""Losses, softmax and their gradients."""
import numpy as np


def mse(A, Y):
    A = np.asarray(A, dtype=float)
    Y = np.asarray(Y, dtype=float)
    # Keras: mean over the last axis, then over the batch
    return float(np.square(A - Y).mean(axis=-1).mean())


def mse_gradient(A, Y):
    A = np.asarray(A, dtype=float)
    return 2 * (A - np.asarray(Y, dtype=float)) / A.size


def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    m = np.max(Z, axis=1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(Z - m), axis=1, keepdims=True))
    return np.exp(Z - lse)


def one_hot(labels, K):
    labels = np.asarray(labels, dtype=int)
    if np.any(labels < 0) or np.any(labels >= K):
        raise ValueError("labels must be in 0..K-1")
    out = np.zeros((len(labels), K), dtype=int)
    out[np.arange(len(labels)), labels] = 1
    return out


def categorical_cross_entropy(P, Y):
    P = np.asarray(P, dtype=float)
    Y = np.asarray(Y, dtype=float)
    logp = np.log(np.clip(P, 1e-7, 1 - 1e-7))
    return float(-np.einsum("nk,nk->", Y, logp) / P.shape[0])


def softmax_cross_entropy_gradient(Z, Y):
    P = softmax(Z)
    Y = np.asarray(Y, dtype=float)
    N = len(Y)
    return (P - Y) / N
