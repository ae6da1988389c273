"""Activation functions and their derivatives."""
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    # 1/(1+exp(-z)) = exp(-log(1+exp(-z)))
    return np.exp(-np.logaddexp(0.0, -z))


def sigmoid_derivative(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, z) - np.logaddexp(0.0, -z))


def tanh_derivative(z):
    t = np.tanh(np.asarray(z, dtype=np.float64))
    return (1 - t) * (1 + t)


def relu(z):
    return np.clip(np.asarray(z, dtype=float), 0, None)


def relu_derivative(z):
    return np.asarray(z) > 0
