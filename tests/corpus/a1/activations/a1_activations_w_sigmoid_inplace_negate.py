"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    z *= -1
    np.clip(z, -500, 500, out=z)
    return 1.0 / (1.0 + np.exp(z))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # symmetric: sigma'(z) = sigma'(-z)
    return e / (1.0 + e) ** 2


def tanh_derivative(z):
    t = np.tanh(z)
    return 1 - t * t


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    z = np.asarray(z, dtype=float)
    d = np.zeros_like(z)
    d[z > 0] = 1.0
    return d
