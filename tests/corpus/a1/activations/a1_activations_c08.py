"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    z = np.clip(z, -500, 500)  # exp(500) still fits in a float64
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_derivative(z):
    t = np.tanh(z)
    return 1 - t * t


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(np.float64)
