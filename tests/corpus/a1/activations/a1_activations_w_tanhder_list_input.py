"""Activation functions and their derivatives."""
import math
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
    s = sigmoid(z)
    return s - s * s


def tanh_derivative(z):
    out = np.empty(z.shape)
    for idx, v in np.ndenumerate(z):
        out[idx] = 1.0 - math.tanh(v) ** 2
    return out


def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)


def relu_derivative(z):
    return (np.asarray(z) > 0).astype(np.float64)
