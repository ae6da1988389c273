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
    rows = []
    for lab in labels:
        if not 0 <= lab < K:
            raise ValueError("label %r out of range" % (lab,))
        row = [0.0] * K
        row[int(lab)] = 1.0
        rows.append(row)
    return np.array(rows, dtype=np.float64).reshape(len(rows), K)


def categorical_cross_entropy(P, Y):
    P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
    Y = np.asarray(Y, dtype=float)
    return float(-np.mean(np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P), axis=1)))


def softmax_cross_entropy_gradient(Z, Y):
    P = softmax(Z)
    Y = np.asarray(Y, dtype=float)
    N = len(Y)
    return (P - Y) / N
