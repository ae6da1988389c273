"""Inverted dropout."""
import numpy as np


def dropout_mask(shape, rate, rng):
    keep = rng.random(shape) >= rate
    return keep.astype(np.float64) / (1.0 - rate)


def dropout_forward(A, rate, rng, training=True):
    A = np.asarray(A, dtype=float)
    if training:
        mask = dropout_mask(A.shape, rate, rng)
        out = np.multiply(A, mask)
    else:
        out, mask = A, None
    return out, mask


def dropout_backward(dout, mask):
    dout = np.array(dout, dtype=float)
    if mask is not None:
        dout *= mask  # dout is our own copy
    return dout
