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
    A_L = np.asarray(A_L, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(A_L.shape)
    return A_L - Y


def hidden_delta(delta_next, W_next, Z, mask=None):
    back = np.dot(delta_next, np.transpose(W_next))
    s = sigmoid(Z)
    delta = back * s * (1.0 - s)
    return delta if mask is None else delta * np.asarray(mask)


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
    Y = np.asarray(Y, dtype=float)
    L = len(params)
    A_L = sigmoid(cache[-1][1])
    delta = output_delta(A_L, Y)
    grads = [None] * L
    for l in range(L - 1, -1, -1):
        A_prev, Z, mask = cache[l]
        grads[l] = layer_gradients(delta, A_prev)
        if l > 0:
            W, _ = params[l]
            _, Z_prev, mask_prev = cache[l - 1]
            delta = hidden_delta(delta, W, Z_prev, mask_prev)
    return grads
