"""Funciones de activación y sus derivadas / Activation functions and their derivatives.

Español
-------
Una neurona calcula primero una combinación lineal z = x·w + b y luego le aplica
una función de activación g(z) no lineal. Sin esa no linealidad, apilar capas no
serviría de nada: la composición de funciones lineales sigue siendo lineal. Para
entrenar con retropropagación necesitamos además la derivada g'(z), evaluada en
la PRE-activación z. Todas las funciones trabajan elemento a elemento sobre
arrays de cualquier forma y devuelven float64.

English
-------
A neuron first computes a linear combination z = x·w + b and then applies a
non-linear activation function g(z). Without that non-linearity, stacking layers
would be pointless: a composition of linear maps is still linear. Training with
backpropagation also needs the derivative g'(z), evaluated at the
PRE-activation z. Every function works elementwise on arrays of any shape and
returns float64.
"""
import numpy as np


def sigmoid(z):
    """Sigmoide logística, elemento a elemento / Elementwise logistic sigmoid.

    σ(z) = 1 / (1 + e^(-z))

    Español
    -------
    Debe ser numéricamente estable: sin avisos de overflow para ningún z finito
    (por ejemplo z = -1000). Pista: e^(-|z|) nunca desborda.
    Entradas:
    - z: array-like de cualquier forma, float64.
    Devuelve:
    - array float64 con la misma forma que z, valores en [0, 1].
    Ejemplo: sigmoid(0) = 0.5; en el perceptrón del curso g(1 + 3·x1 - 2·x2)
    con x = (-1, 2), z = -6 y sigmoid(-6) ≈ 0.0025.

    English
    -------
    Must be numerically stable: no overflow warning for any finite z
    (e.g. z = -1000). Hint: e^(-|z|) never overflows.
    Inputs:
    - z: array-like of any shape, float64.
    Returns:
    - float64 array with the same shape as z, values in [0, 1].
    Example: sigmoid(0) = 0.5; for the course perceptron g(1 + 3·x1 - 2·x2)
    at x = (-1, 2), z = -6 and sigmoid(-6) ≈ 0.0025.
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def sigmoid_derivative(z):
    """Derivada de la sigmoide / Derivative of the sigmoid.

    σ'(z) = σ(z) · (1 - σ(z))

    Español
    -------
    OJO: el argumento es la pre-activación z, NO σ(z).
    Entradas:
    - z: array-like de cualquier forma, float64.
    Devuelve:
    - array float64 con la misma forma que z, valores en [0, 0.25].
    Ejemplo: sigmoid_derivative(0) = 0.5 · 0.5 = 0.25 (su máximo).

    English
    -------
    CAREFUL: the argument is the pre-activation z, NOT σ(z).
    Inputs:
    - z: array-like of any shape, float64.
    Returns:
    - float64 array with the same shape as z, values in [0, 0.25].
    Example: sigmoid_derivative(0) = 0.5 · 0.5 = 0.25 (its maximum).
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    s = sigmoid(z)
    return s * (1.0 - s)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def tanh_derivative(z):
    """Derivada de la tangente hiperbólica / Derivative of the hyperbolic tangent.

    tanh'(z) = 1 - tanh(z)²

    Español
    -------
    Entradas:
    - z: array-like de cualquier forma, float64 (pre-activación).
    Devuelve:
    - array float64 con la misma forma que z, valores en [0, 1].
    Ejemplo: tanh_derivative(0) = 1.0; tanh_derivative(±1000) = 0.0.

    English
    -------
    Inputs:
    - z: array-like of any shape, float64 (pre-activation).
    Returns:
    - float64 array with the same shape as z, values in [0, 1].
    Example: tanh_derivative(0) = 1.0; tanh_derivative(±1000) = 0.0.
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return 1.0 - np.tanh(z) ** 2
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def relu(z):
    """Unidad lineal rectificada / Rectified linear unit.

    ReLU(z) = max(0, z)

    Español
    -------
    Entradas:
    - z: array-like de cualquier forma, float64.
    Devuelve:
    - array float64 con la misma forma que z.
    Ejemplo: relu([-2, 0, 3]) = [0, 0, 3].

    English
    -------
    Inputs:
    - z: array-like of any shape, float64.
    Returns:
    - float64 array with the same shape as z.
    Example: relu([-2, 0, 3]) = [0, 0, 3].
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return np.maximum(z, 0.0)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def relu_derivative(z):
    """Derivada de ReLU / Derivative of ReLU.

    ReLU'(z) = 1 si z > 0, si no 0  /  1 if z > 0, else 0

    Español
    -------
    En z = 0 la derivada no existe; por convención (como Keras) vale 0.
    Entradas:
    - z: array-like de cualquier forma, float64 (pre-activación).
    Devuelve:
    - array float64 de 0.0 y 1.0 con la misma forma que z.
    Ejemplo: relu_derivative([-2, 0, 3]) = [0.0, 0.0, 1.0].

    English
    -------
    At z = 0 the derivative does not exist; by convention (as in Keras) it is 0.
    Inputs:
    - z: array-like of any shape, float64 (pre-activation).
    Returns:
    - float64 array of 0.0 and 1.0 with the same shape as z.
    Example: relu_derivative([-2, 0, 3]) = [0.0, 0.0, 1.0].
    """
    z = np.asarray(z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return (z > 0).astype(np.float64)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
