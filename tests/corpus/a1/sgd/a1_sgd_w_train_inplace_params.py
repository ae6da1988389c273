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
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    history = []
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout.dropout_mask((Xb.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            A, cache = forward(Xb, params, masks)
            grads = backward(params, cache, Yb)
            for (W, b), (dW, db) in zip(params, grads):
                W -= lr * dW
                b -= lr * db
        history.append(binary_cross_entropy(forward(X, params)[0], Y))
    return params, history
