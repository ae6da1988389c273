"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if rate < 0 or rate >= 1:
        raise ValueError("rate must satisfy 0 <= rate < 1")
    return rng.binomial(1, 1.0 - rate, size=shape) / (1.0 - rate)


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if training:
        mask = dropout_mask(A.shape, rate, rng)
        out = np.multiply(A, mask)
    else:
        out, mask = A, None
    return out, mask


def dropout_backward(dout, mask):
    return np.asarray(dout, dtype=float) * (1.0 if mask is None else np.asarray(mask))
