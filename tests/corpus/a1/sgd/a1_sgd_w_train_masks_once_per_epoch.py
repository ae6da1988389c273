"""Mini-batch stochastic gradient descent."""
import numpy as np

import dropout
from backprop import forward, backward, binary_cross_entropy


def minibatches(X, Y, batch_size, rng=None):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    N = X.shape[0]
    idx = np.arange(N) if rng is None else rng.permutation(N)
    for start in range(0, N, batch_size):
        sel = idx[start:start + batch_size]
        yield X[sel], Y[sel]


def sgd_step(params, grads, lr):
    new_params = []
    for l in range(len(params)):
        W, b = params[l]
        dW, db = grads[l]
        new_params.append((np.asarray(W, float) - lr * np.asarray(dW, float),
                           np.asarray(b, float) - lr * np.asarray(db, float)))
    return new_params


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for epoch in range(epochs):
        masks = None
        if dropout_rate > 0:
            masks = [dropout.dropout_mask((batch_size, W.shape[1]), dropout_rate, rng)
                     for W, _ in params[:-1]]
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            batch_masks = None if masks is None else [m[:len(Xb)] for m in masks]
            A, cache = forward(Xb, params, batch_masks)
            params = sgd_step(params, backward(params, cache, Yb), lr)
        history.append(binary_cross_entropy(forward(X, params)[0], Y))
    return params, history
