"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return sigmoid(z) * sigmoid(-z)  # 1 - sigma(z) = sigma(-z)


def tanh_derivative(z):
    t = np.tanh(np.asarray(z, dtype=np.float64))
    return (1 - t) * (1 + t)


def relu(z):
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_derivative(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)
