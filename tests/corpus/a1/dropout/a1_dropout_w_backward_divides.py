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
    with np.errstate(divide="ignore", invalid="ignore"):
        g = dout / mask
    return np.where(mask == 0, 0.0, g)
