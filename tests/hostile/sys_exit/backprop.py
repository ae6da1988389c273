# Appended to the reference backprop.py: output_delta tries to exit the interpreter.
import sys as _sys


def output_delta(A_L, Y):
    _sys.exit(3)
