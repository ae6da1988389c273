"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.array(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    neg = ~pos
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    ez = np.exp(z[neg])
    out[neg] = ez / (1.0 + ez)
    return out


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # symmetric: sigma'(z) = sigma'(-z)
    return e / (1.0 + e) ** 2


def tanh_derivative(z):
    t = np.tanh(z)
    return 1 - t * t


def relu(z):
    return max(0, z)


def relu_derivative(z):
    z = np.asarray(z, dtype=float)
    d = np.zeros_like(z)
    d[z > 0] = 1.0
    return d
