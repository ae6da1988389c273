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
    return np.where(np.asarray(z) > 0, 1.0, float(alpha))


def swish(z):
    z = np.asarray(z, dtype=float)
    return z / (1 + np.exp(-z))


def swish_derivative(z):
    z = np.asarray(z, dtype=float)
    s = _sigmoid(z)
    return s + z * s * _sigmoid(-z)  # 1 - sigma(z) = sigma(-z)
