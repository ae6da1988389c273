# Appended to the reference activations.py: sabotage builtins, and get relu wrong.
import builtins as _builtins

_real_isinstance = _builtins.isinstance
_builtins.isinstance = lambda obj, cls: True
_builtins.len = lambda obj: 0
_builtins.print = lambda *a, **k: None


def relu(z):
    return z
