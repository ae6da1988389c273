"""Mistakes in perceptron.py."""

import numpy as np

from grader.mutants import Mutant


def _predict_ge_zero(ref):
    def predict(X, w, b):
        z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b
        return np.asarray(z >= 0, dtype=np.int64)
    return predict


def _predict_ignores_bias(ref):
    def predict(X, w, b):
        z = np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)
        return np.asarray(z > 0, dtype=np.int64)
    return predict


def _update(step_w, step_b):
    """An update rule from the two wrong steps: ``step(error, d, x, lr)``."""
    def make(ref):
        def update(w, b, x, d, lr):
            w = np.asarray(w, dtype=float)
            x = np.asarray(x, dtype=float)
            error = int(d) - int(ref.perceptron.predict(x, w, b))
            return w + step_w(error, int(d), x, lr), float(b + step_b(error, int(d), lr))
        return update
    return make


def _train(count, *, stop=True, record_zero_epoch=True):
    """A training loop whose error count is ``count(ref, X, d, i, w_before, b_before, w, b)``."""
    def make(ref):
        def train(X, d, lr=1.0, epochs=100):
            X = np.asarray(X, dtype=float)
            d = np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for i, (x_i, d_i) in enumerate(zip(X, d)):
                    w_new, b_new = ref.perceptron.update(w, b, x_i, d_i, lr)
                    mistakes += count(ref, X, d, i, w, b, w_new, b_new)
                    w, b = w_new, b_new
                mistakes += count(ref, X, d, None, w, b, w, b)
                if stop and mistakes == 0 and not record_zero_epoch:
                    break
                errors.append(mistakes)
                if stop and mistakes == 0:
                    break
            return w, b, errors
        return train
    return make


def _before_update(ref, X, d, i, w_before, b_before, w, b):
    if i is None:
        return 0
    return int(ref.perceptron.predict(X[i], w_before, b_before) != d[i])


def _after_update(ref, X, d, i, w_before, b_before, w, b):
    if i is None:
        return 0
    return int(ref.perceptron.predict(X[i], w, b) != d[i])


def _after_epoch(ref, X, d, i, w_before, b_before, w, b):
    if i is not None:
        return 0
    return int(np.sum(ref.perceptron.predict(X, w, b) != d))


MUTANTS = {m.name: m for m in (
    Mutant("perceptron_predict_ge_zero", "perceptron", "predict", _predict_ge_zero),
    Mutant("perceptron_predict_ignores_bias", "perceptron", "predict", _predict_ignores_bias),
    Mutant("perceptron_update_wrong_sign", "perceptron", "update",
           _update(lambda e, d, x, lr: -lr * e * x, lambda e, d, lr: -lr * e)),
    Mutant("perceptron_bias_not_updated", "perceptron", "update",
           _update(lambda e, d, x, lr: lr * e * x, lambda e, d, lr: 0.0)),
    Mutant("perceptron_update_uses_d", "perceptron", "update",
           _update(lambda e, d, x, lr: lr * d * x, lambda e, d, lr: lr * d)),
    Mutant("perceptron_update_without_lr", "perceptron", "update",
           _update(lambda e, d, x, lr: e * x, lambda e, d, lr: e)),
    Mutant("perceptron_train_does_not_stop", "perceptron", "train",
           _train(_before_update, stop=False)),
    Mutant("perceptron_train_zero_epoch_not_recorded", "perceptron", "train",
           _train(_before_update, record_zero_epoch=False)),
    Mutant("perceptron_train_counts_after_update", "perceptron", "train",
           _train(_after_update)),
    Mutant("perceptron_train_counts_after_epoch", "perceptron", "train",
           _train(_after_epoch)),
)}
