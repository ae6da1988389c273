"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if rate < 0 or rate >= 1:
        raise ValueError("rate must satisfy 0 <= rate < 1")
    return rng.binomial(1, 1.0 - rate, size=shape) / (1.0 - rate)


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if not training:
        return A, None
    mask = dropout_mask(A.shape, rate, rng)
    return A * mask, mask


def dropout_backward(dout, mask):
    dout = np.array(dout, dtype=float)
    if mask is not None:
        dout *= mask  # dout is our own copy
    return dout
