"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s - s * s


def tanh_derivative(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.clip(np.asarray(z, dtype=float), 0, None)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(np.float64)
