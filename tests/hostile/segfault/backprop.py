# Appended to the reference backprop.py: hidden_delta dereferences a null pointer.
import ctypes as _ctypes


def hidden_delta(delta_next, W_next, Z, mask=None):
    return _ctypes.string_at(0)
