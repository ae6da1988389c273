"""An independent NumPy student (the exercise API, written here, not in solutions/) and mutants.

``make_student(**overrides)`` returns a namespace shaped like a StudentProxy:
``student.backprop.forward/backward``, ``student.sgd.train``,
``student.dropout.dropout_forward``. Each override replaces ONE building block
(``hidden_delta``, ``layer_gradients``, ``dropout_mask``) everywhere it is used,
the way a student's single mistake would propagate.
"""

from types import SimpleNamespace

import numpy as np
import pytest


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def hidden_delta(delta_next, W_next, Z, mask=None):
    s = _sigmoid(Z)
    delta = (delta_next @ W_next.T) * s * (1.0 - s)
    return delta if mask is None else delta * mask


def layer_gradients(delta, A_prev):
    return A_prev.T @ delta / delta.shape[0], delta.mean(axis=0)


def dropout_mask(shape, rate, rng):
    return (rng.random(shape) >= rate) / (1.0 - rate)


# The three named mistakes the comparison must catch.
def hidden_delta_without_sigmoid_derivative(delta_next, W_next, Z, mask=None):
    delta = delta_next @ W_next.T
    return delta if mask is None else delta * mask


def summed_gradients(delta, A_prev):
    return A_prev.T @ delta, delta.sum(axis=0)


def dropout_mask_without_scaling(shape, rate, rng):
    return (rng.random(shape) >= rate).astype(np.float64)


def make_student(hidden_delta=hidden_delta, layer_gradients=layer_gradients,
                 dropout_mask=dropout_mask):
    def forward(X, params, masks=None):
        A, cache = np.asarray(X, dtype=np.float64), []
        for index, (W, b) in enumerate(params):
            Z = A @ W + b
            mask = masks[index] if masks is not None and index < len(params) - 1 else None
            A_next = _sigmoid(Z) if mask is None else _sigmoid(Z) * mask
            cache.append((A, Z, mask))
            A = A_next
        return A, cache

    def bce(A, Y):
        p = np.clip(A, 1e-7, 1 - 1e-7)
        return float(-np.sum(Y * np.log(p) + (1 - Y) * np.log(1 - p)) / Y.shape[0])

    def backward(params, cache, Y):
        grads = [None] * len(params)
        A_prev, Z, _ = cache[-1]
        delta = _sigmoid(Z) - Y
        for index in range(len(params) - 1, -1, -1):
            A_prev = cache[index][0]
            grads[index] = layer_gradients(delta, A_prev)
            if index:
                _, Z_prev, mask = cache[index - 1]
                delta = hidden_delta(delta, params[index][0], Z_prev, mask)
        return grads

    def dropout_forward(A, rate, rng, training=True):
        A = np.asarray(A, dtype=np.float64)
        if not training:
            return A, None
        mask = dropout_mask(A.shape, rate, rng)
        return A * mask, mask

    def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
        params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64))
                  for W, b in params]
        history = []
        for _ in range(epochs):
            order = np.arange(len(X)) if rng is None else rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                masks = None
                if dropout_rate > 0:
                    masks = [dropout_mask((len(rows), W.shape[1]), dropout_rate, rng)
                             for W, _ in params[:-1]]
                _, cache = forward(X[rows], params, masks)
                grads = backward(params, cache, Y[rows])
                params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
            history.append(bce(forward(X, params)[0], Y))
        return params, history

    return SimpleNamespace(
        backprop=SimpleNamespace(forward=forward, backward=backward),
        sgd=SimpleNamespace(train=train),
        dropout=SimpleNamespace(dropout_forward=dropout_forward),
    )


@pytest.fixture(scope="session")
def student_factory():
    return make_student


@pytest.fixture(scope="session")
def mutants():
    return {
        "hidden_delta_without_sigmoid_derivative":
            make_student(hidden_delta=hidden_delta_without_sigmoid_derivative),
        "summed_gradients": make_student(layer_gradients=summed_gradients),
        "dropout_without_scaling": make_student(dropout_mask=dropout_mask_without_scaling),
    }


@pytest.fixture(scope="session")
def keras_cache(tmp_path_factory):
    """One baseline cache for the whole session: mutants reuse the reference's Keras runs."""
    return tmp_path_factory.mktemp("baseline-cache")
