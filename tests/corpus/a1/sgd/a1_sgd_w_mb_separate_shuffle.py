"""Mini-batch stochastic gradient descent."""
import numpy as np

import dropout
from backprop import forward, backward, binary_cross_entropy


def minibatches(X, Y, batch_size, rng=None):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if rng is not None:
        X = rng.permutation(X)
        Y = rng.permutation(Y)
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], Y[start:start + batch_size]


def sgd_step(params, grads, lr):
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def _loss(X, Y, params):
    A, _ = forward(X, params)
    return binary_cross_entropy(A, Y)


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    params = list(params)
    history = []
    for _ in range(epochs):
        batches = minibatches(X, Y, batch_size, rng)
        for Xb, Yb in batches:
            if dropout_rate > 0:
                masks = []
                for l in range(len(params) - 1):
                    n_units = params[l][0].shape[1]
                    masks.append(dropout.dropout_mask((len(Xb), n_units), dropout_rate, rng))
            else:
                masks = None
            _, cache = forward(Xb, params, masks=masks)
            params = sgd_step(params, backward(params, cache, Yb), lr)
        history.append(_loss(X, Y, params))
    return params, history
