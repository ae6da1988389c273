# Appended to the reference activations.py: relu prints 20 MB, then answers correctly.
import sys as _sys

_reference_relu = relu


def relu(z):
    chunk = "spam " * 20000 + "\n"
    for _ in range(200):
        _sys.stdout.write(chunk)
    return _reference_relu(z)
