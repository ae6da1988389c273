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
    z = np.asarray(z, dtype=float)
    d = np.full(z.shape, float(alpha))
    d[z > 0] = 1.0
    return d


def swish(z):
    z = np.asarray(z, dtype=float)
    return z * np.tanh(z)


def swish_derivative(z):
    z = np.asarray(z, dtype=float)
    s = _sigmoid(z)
    return s + z * s * (1 - s)
