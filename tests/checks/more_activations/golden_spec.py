"""Golden values of more_activations.py for the public checks: ``record(ref)``."""

import numpy as np

from grader.checks.unit_support import sibling_variants

# The course's sweep, the kink at 0 and the extremes where a naive exp overflows.
Z = np.array([-1000.0, -30.0, -6.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 6.0, 30.0, 1000.0])
Z_MATRIX = np.array([[-3.0, -1.5, 0.0], [0.25, 1.5, 4.0]])
ALPHA = 0.2


def record(ref):
    out = {}
    for func, args in (("leaky_relu", (ALPHA,)), ("leaky_relu_derivative", (ALPHA,)),
                       ("swish", ()), ("swish_derivative", ())):
        fn = getattr(ref.more_activations, func)
        out[func] = {
            "z": Z, "args": list(args), "expected": fn(Z, *args),
            "z_matrix": Z_MATRIX, "expected_matrix": fn(Z_MATRIX, *args),
            "mistakes": {k: v for k, v in sibling_variants(__file__, ref, func, Z, *args).items()
                         if v is not None},
        }
    for func in ("leaky_relu", "leaky_relu_derivative"):       # the default alpha = 0.01
        z = np.array([-1.0, 0.0, 2.0])
        out[f"{func}_default"] = {
            "z": z, "expected": getattr(ref.more_activations, func)(z),
            "mistakes": {k: v for k, v in sibling_variants(__file__, ref, func, z).items()
                         if v is not None}}
    return out
