"""Activation functions and their derivatives."""
import math
import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    flat = z.ravel()
    out = np.empty(flat.shape)
    for i, v in enumerate(flat):
        if v >= 0:
            out[i] = 1.0 / (1.0 + math.exp(-v))
        else:
            e = math.exp(v)
            out[i] = e / (1.0 + e)
    return out.reshape(z.shape)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


def tanh_derivative(z):
    t = np.tanh(np.asarray(z, dtype=np.float64))
    return (1 - t) * (1 + t)


def relu(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.0)


def relu_derivative(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.5)
