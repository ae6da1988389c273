"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    rate = float(rate)
    if not (0.0 <= rate < 1.0):
        raise ValueError("bad dropout rate")
    u = rng.uniform(0.0, 1.0, size=shape)
    return np.where(u < rate, 0.0, 1.0 / (1.0 - rate))


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
    if mask is not None:
        dout *= mask
    return dout
