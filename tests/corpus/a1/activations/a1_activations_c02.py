"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    # identity sigma(z) = (1 + tanh(z/2)) / 2 never overflows
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return sigmoid(z) * sigmoid(-z)  # 1 - sigma(z) = sigma(-z)


def tanh_derivative(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    return np.where(np.asarray(z) > 0, 1.0, 0.0)
