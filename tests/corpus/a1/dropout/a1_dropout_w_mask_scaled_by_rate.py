"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    if not 0 <= rate < 1:
        raise ValueError("rate must be in [0, 1)")
    keep = rng.random(shape) >= rate
    return keep / rate if rate > 0 else keep.astype(float)


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if not training:
        return A, None
    mask = dropout_mask(A.shape, rate, rng)
    return A * mask, mask


def dropout_backward(dout, mask):
    return np.asarray(dout, dtype=float) * (1.0 if mask is None else np.asarray(mask))
