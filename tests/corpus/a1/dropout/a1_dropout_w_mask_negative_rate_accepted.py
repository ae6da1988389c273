"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if rate >= 1:
        raise ValueError("rate must be < 1")
    keep = rng.random(shape) >= rate
    return keep.astype(np.float64) / (1.0 - rate)


def dropout_forward(A, rate, rng, training=True):
    if not training:
        return np.asarray(A, dtype=float), None
    A = np.asarray(A, dtype=float)
    mask = dropout_mask(np.shape(A), rate, rng)
    out = A.copy()
    out *= mask
    return out, mask


def dropout_backward(dout, mask):
    dout = np.asarray(dout, dtype=float)
    if mask is None:
        return dout
    return dout * mask
