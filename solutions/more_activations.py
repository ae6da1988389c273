"""Más funciones de activación: leaky ReLU y swish / More activations: leaky ReLU and swish.

Español
-------
ReLU tiene un problema: donde z < 0 su derivada es 0 y una neurona que siempre
recibe z < 0 deja de aprender ("neurona muerta"). Leaky ReLU deja pasar una
pendiente pequeña alpha para z < 0. Swish (llamada SiLU en Keras) es
z · σ(z): suave, casi lineal para z grande y casi 0 para z muy negativo. Como
en activations.py, las derivadas se evalúan en la PRE-activación z, todas las
funciones trabajan elemento a elemento sobre arrays de cualquier forma,
devuelven float64 y no emiten avisos para ningún z finito.

English
-------
ReLU has a problem: where z < 0 its derivative is 0, and a neuron that always
receives z < 0 stops learning (a "dead neuron"). Leaky ReLU lets a small slope
alpha through for z < 0. Swish (called SiLU in Keras) is z · σ(z): smooth,
almost linear for large z and almost 0 for very negative z. As in
activations.py, derivatives are evaluated at the PRE-activation z, every
function works elementwise on arrays of any shape, returns float64 and emits
no warning for any finite z.
"""
import numpy as np


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU, elemento a elemento / Elementwise leaky ReLU.

    LeakyReLU(z) = z si z > 0, si no alpha · z  /  z if z > 0, else alpha · z

    Español
    -------
    Es keras.activations.leaky_relu(z, negative_slope=alpha).
    Entradas:
    - z: array-like de cualquier forma, float64.
    - alpha: float, la pendiente para z <= 0 (0.01 por defecto).
    Devuelve:
    - array float64 con la misma forma que z.
    Ejemplo: leaky_relu([-2, 0, 3], alpha=0.1) = [-0.2, 0, 3].

    English
    -------
    It is keras.activations.leaky_relu(z, negative_slope=alpha).
    Inputs:
    - z: array-like of any shape, float64.
    - alpha: float, the slope for z <= 0 (default 0.01).
    Returns:
    - float64 array with the same shape as z.
    Example: leaky_relu([-2, 0, 3], alpha=0.1) = [-0.2, 0, 3].
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return np.where(z > 0, z, alpha * z)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def leaky_relu_derivative(z, alpha=0.01):
    """Derivada de leaky ReLU / Derivative of leaky ReLU.

    LeakyReLU'(z) = 1 si z > 0, si no alpha  /  1 if z > 0, else alpha

    Español
    -------
    En z = 0 vale alpha, como en Keras (y como relu_derivative vale 0 en z = 0).
    Entradas:
    - z: array-like de cualquier forma, float64 (pre-activación).
    - alpha: float, la pendiente para z <= 0.
    Devuelve:
    - array float64 con la misma forma que z, valores 1.0 y alpha.
    Ejemplo: leaky_relu_derivative([-2, 0, 3], alpha=0.1) = [0.1, 0.1, 1.0].

    English
    -------
    At z = 0 it is alpha, as in Keras (just as relu_derivative is 0 at z = 0).
    Inputs:
    - z: array-like of any shape, float64 (pre-activation).
    - alpha: float, the slope for z <= 0.
    Returns:
    - float64 array with the same shape as z, values 1.0 and alpha.
    Example: leaky_relu_derivative([-2, 0, 3], alpha=0.1) = [0.1, 0.1, 1.0].
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return np.where(z > 0, 1.0, float(alpha))
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def swish(z):
    """Swish (SiLU), elemento a elemento / Elementwise swish (SiLU).

    swish(z) = z · σ(z) = z / (1 + e^(-z))

    Español
    -------
    Es keras.activations.silu. Sin avisos para ningún z finito (z = ±1000):
    calcula σ(z) de forma estable, con e^(-|z|), que nunca desborda.
    Entradas:
    - z: array-like de cualquier forma, float64.
    Devuelve:
    - array float64 con la misma forma que z.
    Ejemplo: swish(0) = 0; swish(2) = 2 · σ(2) ≈ 1.7616; swish(-1000) = -0.0.

    English
    -------
    It is keras.activations.silu. No warning for any finite z (z = ±1000):
    compute σ(z) stably, with e^(-|z|), which never overflows.
    Inputs:
    - z: array-like of any shape, float64.
    Returns:
    - float64 array with the same shape as z.
    Example: swish(0) = 0; swish(2) = 2 · σ(2) ≈ 1.7616; swish(-1000) = -0.0.
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    t = np.exp(-np.abs(z))  # e^(-|z|) lies in (0, 1]: it cannot overflow
    sig = np.where(z >= 0, 1.0 / (1.0 + t), t / (1.0 + t))
    return z * sig
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def swish_derivative(z):
    """Derivada de swish / Derivative of swish.

    swish'(z) = σ(z) + z · σ(z) · (1 - σ(z))

    Español
    -------
    Regla del producto sobre z · σ(z), con σ'(z) = σ(z)(1 - σ(z)). Sin avisos
    para ningún z finito.
    Entradas:
    - z: array-like de cualquier forma, float64 (pre-activación).
    Devuelve:
    - array float64 con la misma forma que z.
    Ejemplo: swish_derivative(0) = 0.5; swish_derivative(1000) = 1.0;
    swish_derivative(-1000) = 0.0.

    English
    -------
    The product rule on z · σ(z), with σ'(z) = σ(z)(1 - σ(z)). No warning for
    any finite z.
    Inputs:
    - z: array-like of any shape, float64 (pre-activation).
    Returns:
    - float64 array with the same shape as z.
    Example: swish_derivative(0) = 0.5; swish_derivative(1000) = 1.0;
    swish_derivative(-1000) = 0.0.
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    t = np.exp(-np.abs(z))
    sig = np.where(z >= 0, 1.0 / (1.0 + t), t / (1.0 + t))
    return sig + z * sig * (1.0 - sig)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
