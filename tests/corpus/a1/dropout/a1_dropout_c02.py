"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    rate = float(rate)
    if not (0.0 <= rate < 1.0):
        raise ValueError("bad dropout rate")
    u = rng.uniform(0.0, 1.0, size=shape)
    return np.where(u < rate, 0.0, 1.0 / (1.0 - rate))


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if not training:
        return A, None
    mask = dropout_mask(A.shape, rate, rng)
    return A * mask, mask


def dropout_backward(dout, mask):
    return np.asarray(dout, dtype=float) * (1.0 if mask is None else np.asarray(mask))
