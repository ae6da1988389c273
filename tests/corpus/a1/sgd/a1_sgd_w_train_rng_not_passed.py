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
        for Xb, Yb in minibatches(X, Y, batch_size):
            masks = None
            if dropout_rate > 0:
                masks = [dropout.dropout_mask((Xb.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            A, cache = forward(Xb, params, masks)
            grads = backward(params, cache, Yb)
            params = sgd_step(params, grads, lr)
        A_full, _ = forward(X, params)
        history.append(binary_cross_entropy(A_full, Y))
    return params, history
