"""Mistakes in activations.py."""

import numpy as np

from grader.mutants import Mutant


def _sigmoid_of_sigmoid(ref):
    return lambda z: ref.activations.sigmoid_derivative(ref.activations.sigmoid(z))


MUTANTS = {m.name: m for m in (
    Mutant("sigmoid_derivative_returns_sigmoid", "activations", "sigmoid_derivative",
           lambda ref: ref.activations.sigmoid),
    Mutant("sigmoid_derivative_applied_to_sigmoid", "activations", "sigmoid_derivative",
           _sigmoid_of_sigmoid),
    Mutant("sigmoid_derivative_missing_one_minus", "activations", "sigmoid_derivative",
           lambda ref: lambda z: ref.activations.sigmoid(z) ** 2),
    Mutant("sigmoid_sign_flipped", "activations", "sigmoid",
           lambda ref: lambda z: ref.activations.sigmoid(-np.asarray(z, dtype=float))),
    Mutant("tanh_derivative_returns_tanh", "activations", "tanh_derivative",
           lambda ref: lambda z: np.tanh(np.asarray(z, dtype=float))),
    Mutant("tanh_derivative_not_squared", "activations", "tanh_derivative",
           lambda ref: lambda z: 1.0 - np.tanh(np.asarray(z, dtype=float))),
    Mutant("relu_derivative_one_at_zero", "activations", "relu_derivative",
           lambda ref: lambda z: (np.asarray(z, dtype=float) >= 0).astype(float)),
    Mutant("relu_derivative_returns_relu", "activations", "relu_derivative",
           lambda ref: ref.activations.relu),
    # The most common one: the formula of σ' written for the activation a = σ(z), applied
    # to z itself (the argument is the pre-activation z).
    Mutant("sigmoid_derivative_of_activation", "activations", "sigmoid_derivative",
           lambda ref: lambda z: np.asarray(z, dtype=float) * (1.0 - np.asarray(z, dtype=float))),
    Mutant("tanh_derivative_of_activation", "activations", "tanh_derivative",
           lambda ref: lambda z: 1.0 - np.asarray(z, dtype=float) ** 2),
)}
