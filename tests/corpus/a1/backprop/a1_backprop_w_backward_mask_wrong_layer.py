"""Backpropagation in a sigmoid MLP with binary cross-entropy."""
import numpy as np

from activations import sigmoid, sigmoid_derivative


def forward(X, params, masks=None):
    # GIVEN scaffold
    A = np.asarray(X, dtype=float)
    cache = []
    L = len(params)
    for l, (W, b) in enumerate(params):
        Z = A @ W + b
        A_next = sigmoid(Z)
        mask = None
        if masks is not None and l < L - 1:
            mask = masks[l]
            if mask is not None:
                A_next = A_next * mask
        cache.append((A, Z, mask))
        A = A_next
    return A, cache


def binary_cross_entropy(A_L, Y):
    # GIVEN scaffold
    P = np.clip(np.asarray(A_L, dtype=float), 1e-7, 1 - 1e-7)
    Y = np.asarray(Y, dtype=float)
    return float(-np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P)))


def output_delta(A_L, Y):
    return np.subtract(A_L, Y, dtype=np.float64)


def hidden_delta(delta_next, W_next, Z, mask=None):
    back = np.asarray(delta_next, dtype=float) @ np.asarray(W_next, dtype=float).T
    delta = back * sigmoid_derivative(Z)
    if mask is not None:
        delta = delta * mask
    return delta


def layer_gradients(delta, A_prev):
    delta = np.asarray(delta, dtype=float)
    A_prev = np.asarray(A_prev, dtype=float)
    N = delta.shape[0]
    dW = np.einsum("ni,nj->ij", A_prev, delta) / N
    db = np.sum(delta, axis=0) / N
    return dW, db


def backward(params, cache, Y):
    Y = np.asarray(Y, dtype=float)
    L = len(params)
    delta = output_delta(sigmoid(cache[-1][1]), Y)
    grads = [None] * L
    for l in range(L - 1, -1, -1):
        A_prev, Z, mask = cache[l]
        grads[l] = layer_gradients(delta, A_prev)
        if l > 0:
            delta = hidden_delta(delta, params[l][0], cache[l - 1][1], mask)
    return grads
