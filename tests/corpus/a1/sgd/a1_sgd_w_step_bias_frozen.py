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
    new = []
    for (W, b), (dW, db) in zip(params, grads):
        new.append((W - lr * dW, b))
    return new


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
