"""Mistakes in dropout.py.

The masks are random, so the checks name most of these mistakes by the
properties of what comes back (the fraction dropped, the kept value, the
output at evaluation) rather than by comparing values; the wrong functions
below still document each mistake and let tests reproduce it.
"""

import numpy as np

from grader.mutants import Mutant


def _check_rate(rate):
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"rate must satisfy 0 <= rate < 1, got {rate!r}")


def _rate_is_keep_probability(ref):
    # CS231n's convention, where p is the probability of KEEPING a unit.
    def dropout_mask(shape, rate, rng):
        _check_rate(rate)
        return (rng.random(shape) < rate) / rate
    return dropout_mask


def _missing_inverted_scaling(ref):
    def dropout_mask(shape, rate, rng):
        _check_rate(rate)
        return (rng.random(shape) >= rate).astype(np.float64)
    return dropout_mask


def _ignores_rng(ref):
    def dropout_mask(shape, rate, rng):
        _check_rate(rate)
        return (np.random.default_rng().random(shape) >= rate) / (1.0 - rate)
    return dropout_mask


def _active_at_inference(ref):
    def dropout_forward(A, rate, rng, training=True):
        A = np.asarray(A, dtype=np.float64)
        mask = ref.dropout.dropout_mask(A.shape, rate, rng)
        return A * mask, mask
    return dropout_forward


def _eval_scaled_by_keep_prob(ref):
    def dropout_forward(A, rate, rng, training=True):
        A = np.asarray(A, dtype=np.float64)
        if not training:
            return A * (1.0 - rate), None
        mask = ref.dropout.dropout_mask(A.shape, rate, rng)
        return A * mask, mask
    return dropout_forward


def _scaled_twice(ref):
    def dropout_forward(A, rate, rng, training=True):
        A = np.asarray(A, dtype=np.float64)
        if not training:
            return A, None
        mask = ref.dropout.dropout_mask(A.shape, rate, rng)
        return A * mask / (1.0 - rate), mask
    return dropout_forward


def _backward_ignores_mask(ref):
    return lambda dout, mask: np.asarray(dout, dtype=np.float64)


MUTANTS = {m.name: m for m in (
    Mutant("dropout_rate_is_keep_probability", "dropout", "dropout_mask",
           _rate_is_keep_probability),
    Mutant("dropout_missing_inverted_scaling", "dropout", "dropout_mask",
           _missing_inverted_scaling),
    Mutant("dropout_ignores_rng", "dropout", "dropout_mask", _ignores_rng),
    Mutant("dropout_active_at_inference", "dropout", "dropout_forward", _active_at_inference),
    Mutant("dropout_eval_scaled_by_keep_prob", "dropout", "dropout_forward",
           _eval_scaled_by_keep_prob),
    Mutant("dropout_forward_scaled_twice", "dropout", "dropout_forward", _scaled_twice),
    Mutant("dropout_backward_ignores_mask", "dropout", "dropout_backward",
           _backward_ignores_mask),
)}
