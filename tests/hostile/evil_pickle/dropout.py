# Appended to the reference dropout.py: return objects whose unpickling would run code.
import numpy as _np


class _Evil:
    def __reduce__(self):
        return (open, ("{MARKER}", "w"))


def dropout_backward(dout, mask):
    return _Evil()


def dropout_forward(A, rate, rng, training=True):
    return _np.array([_Evil()], dtype=object), None
