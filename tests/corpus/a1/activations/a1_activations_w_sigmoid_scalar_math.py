"""Activation functions and their derivatives."""
import math
import numpy as np


def sigmoid(z):
    if z >= 0:
        return 1 / (1 + math.exp(-z))
    e = math.exp(z)
    return e / (1 + e)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s * s


def tanh_derivative(z):
    z = np.asarray(z, dtype=float)
    f = np.vectorize(lambda v: 1.0 - math.tanh(v) ** 2, otypes=[float])
    return f(z)


def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(np.float64)
