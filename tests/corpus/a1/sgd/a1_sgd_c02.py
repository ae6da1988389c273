"""Mini-batch stochastic gradient descent."""
import numpy as np

import dropout
from backprop import forward, backward, binary_cross_entropy


def minibatches(X, Y, batch_size, rng=None):
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    order = np.arange(len(X))
    if rng is not None:
        rng.shuffle(order)
    return [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
            for i in range(0, len(X), batch_size)]


def sgd_step(params, grads, lr):
    new_params = []
    for l in range(len(params)):
        W, b = params[l]
        dW, db = grads[l]
        new_params.append((np.asarray(W, float) - lr * np.asarray(dW, float),
                           np.asarray(b, float) - lr * np.asarray(db, float)))
    return new_params


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    if dropout_rate > 0 and rng is None:
        raise ValueError("dropout needs an rng")
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    current = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]
    history = np.zeros(epochs)
    for e in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng=rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout.dropout_mask((Xb.shape[0], b.shape[0]), dropout_rate, rng)
                         for (W, b) in current[:-1]]
            out, cache = forward(Xb, current, masks)
            grads = backward(current, cache, Yb)
            current = sgd_step(current, grads, lr)
        history[e] = binary_cross_entropy(forward(X, current)[0], Y)
    return current, list(history)
