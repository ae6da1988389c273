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
    return np.asarray(A_L, dtype=float) - np.asarray(Y, dtype=float)


def hidden_delta(delta_next, W_next, Z, mask=None):
    back = np.dot(delta_next, np.transpose(W_next))
    s = sigmoid(Z)
    delta = back * s * (1.0 - s)
    return delta if mask is None else delta * np.asarray(mask)


def layer_gradients(delta, A_prev):
    delta = np.asarray(delta, dtype=float)
    A_prev = np.asarray(A_prev, dtype=float)
    N = delta.shape[0]
    dW = np.einsum("ni,nj->ij", A_prev, delta) / N
    db = np.sum(delta, axis=0) / N
    return dW, db


def backward(params, cache, Y):
    L = len(params)
    deltas = [None] * L
    deltas[L - 1] = output_delta(sigmoid(cache[L - 1][1]), np.asarray(Y, dtype=float))
    for l in range(L - 2, -1, -1):
        _, Z, mask = cache[l]
        deltas[l] = hidden_delta(deltas[l + 1], params[l + 1][0], Z, mask)
    return [layer_gradients(deltas[l], cache[l][0]) for l in range(L)]
