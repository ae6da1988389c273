"""Golden inputs for activations.py."""

import numpy as np

from grader.mutants import variants

# Includes the course example z = -6 (the perceptron g(1 + 3*x1 - 2*x2) at x = (-1, 2))
# and the extremes where a naive 1/(1+exp(-z)) overflows.
Z = np.array([-1000.0, -30.0, -6.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 6.0, 30.0, 1000.0])
Z_MATRIX = np.array([[-3.0, -1.5, 0.0], [0.25, 1.5, 4.0]])


def record(ref):
    out = {}
    for func in ("sigmoid", "sigmoid_derivative", "tanh_derivative", "relu", "relu_derivative"):
        fn = getattr(ref.activations, func)
        out[func] = {
            "z": Z, "expected": fn(Z),
            "z_matrix": Z_MATRIX, "expected_matrix": fn(Z_MATRIX),
            "mistakes": {k: v for k, v in variants(ref, "activations", func, Z).items()
                         if v is not None},
        }
    return out
