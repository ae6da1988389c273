"""Leaky ReLU and swish (SiLU) with their derivatives."""
import numpy as np


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def leaky_relu(z, alpha=0.01):
    z = np.array(z, dtype=float)  # own copy
    neg = z <= 0
    z[neg] = alpha * z[neg]
    return z


def leaky_relu_derivative(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, 1.0, 0.01)


def swish(z):
    z = np.asarray(z, dtype=float)
    return z * np.exp(-np.logaddexp(0.0, -z))


def swish_derivative(z):
    z = np.asarray(z, dtype=float)
    s = _sigmoid(z)
    return s * (1.0 + z * (1.0 - s))
