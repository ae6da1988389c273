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
    back = np.asarray(delta_next, dtype=float) @ np.asarray(W_next, dtype=float).T
    delta = back * sigmoid_derivative(Z)
    if mask is not None:
        delta = delta * mask
    return delta


def layer_gradients(delta, A_prev):
    delta = np.asarray(delta, dtype=float)
    A_prev = np.asarray(A_prev, dtype=float)
    N = len(delta)
    dW = np.zeros((A_prev.shape[1], delta.shape[1]))
    db = np.zeros(delta.shape[1])
    for i in range(N):
        dW += np.outer(A_prev[i], delta[i])
        db += delta[i]
    return dW / N, db / N


def backward(params, cache, Y):
    _, Z_L, _ = cache[-1]
    delta = output_delta(sigmoid(Z_L), Y)
    grads = []
    for l in reversed(range(len(params))):
        A_prev, Z, mask = cache[l]
        dW, db = layer_gradients(delta, A_prev)
        grads.insert(0, (dW, db))
        if l == 0:
            break
        delta = hidden_delta(delta, params[l][0], cache[l - 1][1], cache[l - 1][2])
    return grads
