"""Leaky ReLU and swish (SiLU) with their derivatives."""
import numpy as np


def _sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return (z > 0) * 1.0 + (z <= 0) * alpha


def swish(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * z * (1.0 + np.tanh(0.5 * z))


def swish_derivative(z):
    z = np.asarray(z, dtype=float)
    s = 1 / (1 + np.exp(-z))
    return s + z * s * (1 - s)
