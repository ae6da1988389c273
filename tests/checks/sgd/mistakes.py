"""Mistakes in sgd.py.

``train`` is built from ``minibatches`` and ``sgd_step``: :func:`train_variants`
runs training with each of their (deterministic) mistakes in turn, so that a
wrong training run can be traced back to the function that made it.
"""

import numpy as np

from grader.checks.expect import Lazy
from grader.mutants import Mutant, variants


def _f(x):
    return np.asarray(x, dtype=np.float64)


# -- minibatches ----------------------------------------------------------------------
def _batches(X, Y, order_x, order_y, starts, batch_size):
    return [(X[order_x[s:s + batch_size]], Y[order_y[s:s + batch_size]]) for s in starts]


def _minibatches_drops_last_batch(ref):
    def wrong(X, Y, batch_size, rng=None):
        X, Y = _f(X), _f(Y)
        n = X.shape[0]
        order = np.arange(n) if rng is None else rng.permutation(n)
        return _batches(X, Y, order, order, range(0, n - batch_size + 1, batch_size), batch_size)
    return wrong


def _minibatches_with_replacement(ref):
    def wrong(X, Y, batch_size, rng=None):
        X, Y = _f(X), _f(Y)
        n = X.shape[0]
        order = np.arange(n) if rng is None else rng.integers(0, n, size=n)
        return _batches(X, Y, order, order, range(0, n, batch_size), batch_size)
    return wrong


def _minibatches_unpaired_shuffle(ref):
    def wrong(X, Y, batch_size, rng=None):
        X, Y = _f(X), _f(Y)
        n = X.shape[0]
        if rng is None:
            order_x = order_y = np.arange(n)
        else:
            order_x, order_y = rng.permutation(n), rng.permutation(n)
        return _batches(X, Y, order_x, order_y, range(0, n, batch_size), batch_size)
    return wrong


# -- sgd_step -------------------------------------------------------------------------
def _sgd_step_sign_flipped(ref):
    return lambda params, grads, lr: [(_f(W) + lr * _f(dW), _f(b) + lr * _f(db))
                                      for (W, b), (dW, db) in zip(params, grads)]


def _sgd_step_in_place(ref):
    # Its VALUE is right; the mistake is the side effect, which expect_unchanged
    # detects. Here it works on copies so that evaluating it never corrupts inputs.
    def wrong(params, grads, lr):
        params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64))
                  for W, b in params]
        for (W, b), (dW, db) in zip(params, grads):
            W -= lr * _f(dW)
            b -= lr * _f(db)
        return params
    return wrong


# -- train ----------------------------------------------------------------------------
def train_with(ref, *, minibatches=None, sgd_step=None, history="after_epoch"):
    """The course's training loop (no dropout) with some pieces swapped for wrong ones.

    ``history``: "after_epoch" (right), "last_batch" (loss of the last mini-batch
    only) or "before_epoch" (loss measured before the epoch's updates).
    """
    mb = minibatches or ref.sgd.minibatches
    step = sgd_step or ref.sgd.sgd_step
    bp = ref.backprop

    def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
        X, Y = _f(X), _f(Y)
        params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64))
                  for W, b in params]
        out = []
        for _ in range(epochs):
            before = bp.binary_cross_entropy(bp.forward(X, params)[0], Y)
            for X_batch, Y_batch in mb(X, Y, batch_size, rng):
                _, cache = bp.forward(X_batch, params)
                params = step(params, bp.backward(params, cache, Y_batch), lr)
            if history == "last_batch":
                out.append(bp.binary_cross_entropy(bp.forward(X_batch, params)[0], Y_batch))
            elif history == "before_epoch":
                out.append(before)
            else:
                out.append(bp.binary_cross_entropy(bp.forward(X, params)[0], Y))
        return params, out
    return train


MUTANTS = {m.name: m for m in (
    Mutant("minibatches_drops_last_batch", "sgd", "minibatches", _minibatches_drops_last_batch),
    Mutant("minibatches_with_replacement", "sgd", "minibatches", _minibatches_with_replacement),
    Mutant("minibatches_unpaired_shuffle", "sgd", "minibatches", _minibatches_unpaired_shuffle),
    Mutant("sgd_step_sign_flipped", "sgd", "sgd_step", _sgd_step_sign_flipped),
    Mutant("sgd_step_in_place", "sgd", "sgd_step", _sgd_step_in_place),
    Mutant("sgd_train_history_last_batch", "sgd", "train",
           lambda ref: train_with(ref, history="last_batch")),
    Mutant("sgd_train_history_before_epoch", "sgd", "train",
           lambda ref: train_with(ref, history="before_epoch")),
)}

# Mistakes of the building blocks that change a deterministic training run.
_COMPOSED = ("minibatches_drops_last_batch", "sgd_step_sign_flipped")


def train_variants(ref, X, Y, params, lr, batch_size, epochs) -> Lazy:
    """``{mistake: (params, history)}`` of training with rng=None and no dropout
    (computed when first read)."""
    def compute():
        out = dict(variants(ref, "sgd", "train", X, Y, params, lr, batch_size, epochs))
        for name in _COMPOSED:
            m = MUTANTS[name]
            try:
                out[name] = train_with(ref, **{m.func: m.make(ref)})(X, Y, params, lr,
                                                                     batch_size, epochs)
            except Exception:  # noqa: BLE001
                out[name] = None
        return out

    return Lazy(compute)
