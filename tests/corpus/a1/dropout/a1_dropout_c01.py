"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if rate >= 1 or rate < 0:
        raise ValueError(f"rate={rate} is not in [0, 1)")
    scale = 1.0 / (1.0 - rate)
    mask = np.zeros(shape)
    mask[rng.random(shape) < 1.0 - rate] = scale
    return mask


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
