"""Mini-batch stochastic gradient descent."""
import numpy as np

import dropout
from backprop import forward, backward, binary_cross_entropy


def minibatches(X, Y, batch_size, rng=None):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if rng is not None:
        p = rng.permutation(X.shape[0])
        X, Y = X[p], Y[p]
    cuts = list(range(batch_size, X.shape[0], batch_size))
    return list(zip(np.split(X, cuts), np.split(Y, cuts)))


def sgd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout.dropout_mask((Xb.shape[0], W.shape[1]), 1 - dropout_rate, rng)
                         for W, _ in params[:-1]]
            A, cache = forward(Xb, params, masks)
            grads = backward(params, cache, Yb)
            params = sgd_step(params, grads, lr)
        A_full, _ = forward(X, params)
        history.append(binary_cross_entropy(A_full, Y))
    return params, history
