# Appended to the reference dropout.py: dropout_backward forks.
import os as _os

_reference_backward = dropout_backward


def dropout_backward(dout, mask):
    if _os.fork() == 0:
        _os._exit(0)
    return _reference_backward(dout, mask)
