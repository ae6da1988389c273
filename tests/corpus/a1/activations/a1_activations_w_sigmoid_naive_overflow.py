"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, z) - np.logaddexp(0.0, -z))


def tanh_derivative(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    return np.greater(z, 0) * 1.0
