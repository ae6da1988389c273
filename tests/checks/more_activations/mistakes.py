"""Named mistakes of more_activations.py: MUTANTS, the wrong variants built from the reference
(each also written as a student would, in mistake_sources.py).
"""

import numpy as np

from grader.mutants import Mutant

EX = "more_activations"


def _sig(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


MUTANTS = {m.name: m for m in (
    Mutant("leaky_relu_ignores_alpha", EX, "leaky_relu",
           lambda ref: lambda z, alpha=0.01: ref.more_activations.leaky_relu(z, 0.01)),
    Mutant("leaky_relu_derivative_one_at_zero", EX, "leaky_relu_derivative",
           lambda ref: lambda z, alpha=0.01: np.where(np.asarray(z, dtype=float) >= 0, 1.0,
                                                       alpha)),
    Mutant("leaky_relu_derivative_ignores_alpha", EX, "leaky_relu_derivative",
           lambda ref: lambda z, alpha=0.01: ref.more_activations.leaky_relu_derivative(z, 0.01)),
    Mutant("leaky_relu_derivative_returns_leaky_relu", EX, "leaky_relu_derivative",
           lambda ref: ref.more_activations.leaky_relu),
    Mutant("swish_derivative_missing_sigmoid_term", EX, "swish_derivative",
           lambda ref: lambda z: (ref.more_activations.swish_derivative(z) - _sig(z))),
    Mutant("swish_derivative_missing_product_term", EX, "swish_derivative",
           lambda ref: lambda z: _sig(z)),
    Mutant("swish_derivative_returns_swish", EX, "swish_derivative",
           lambda ref: ref.more_activations.swish),
    Mutant("swish_returns_sigmoid", EX, "swish", lambda ref: lambda z: _sig(z)),
    Mutant("leaky_relu_default_alpha_0_2", EX, "leaky_relu",
           lambda ref: lambda z, alpha=0.2: ref.more_activations.leaky_relu(z, alpha)),
    Mutant("leaky_relu_max_form", EX, "leaky_relu",
           lambda ref: lambda z, alpha=0.01: np.maximum(np.asarray(z, dtype=float),
                                                        alpha * np.asarray(z, dtype=float))),
    Mutant("leaky_relu_constant_alpha", EX, "leaky_relu",
           lambda ref: lambda z, alpha=0.01: np.where(np.asarray(z, dtype=float) > 0,
                                                       np.asarray(z, dtype=float), alpha)),
    Mutant("leaky_relu_derivative_alpha_times_z", EX, "leaky_relu_derivative",
           lambda ref: lambda z, alpha=0.01: np.where(np.asarray(z, dtype=float) > 0, 1.0,
                                                       alpha * np.asarray(z, dtype=float))),
    Mutant("swish_uses_tanh", EX, "swish",
           lambda ref: lambda z: np.asarray(z, dtype=float) * np.tanh(np.asarray(z, dtype=float))),
    Mutant("swish_derivative_missing_a_sigmoid_factor", EX, "swish_derivative",
           lambda ref: lambda z: _sig(z) + np.asarray(z, dtype=float) * (1 - _sig(z))),
    Mutant("swish_derivative_swish_plus_sigmoid_derivative", EX, "swish_derivative",
           lambda ref: lambda z: ref.more_activations.swish(z) + _sig(z) * (1 - _sig(z))),
)}
