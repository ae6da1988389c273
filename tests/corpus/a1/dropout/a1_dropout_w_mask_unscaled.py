"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if not 0 <= rate < 1:
        raise ValueError("rate must be in [0, 1)")
    return (rng.random(shape) >= rate).astype(float)


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if not training:
        return A, None
    mask = dropout_mask(A.shape, rate, rng)
    return A * mask, mask


def dropout_backward(dout, mask):
    dout = np.asarray(dout, dtype=float)
    if mask is None:
        return dout
    return dout * mask
