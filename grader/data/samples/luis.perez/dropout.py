"""Dropout invertido / Inverted dropout.

Español
-------
El dropout es una regularización contra el sobreajuste: durante el
entrenamiento cada unidad de una capa se "apaga" (se pone a 0) al azar con
probabilidad `rate`, así la red no puede depender de ninguna neurona concreta.
En la versión invertida, que es la de keras.layers.Dropout(rate), las unidades
que sobreviven se multiplican por 1/(1 - rate) para que el valor esperado de la
activación no cambie; por eso en inferencia la capa no hace nada. `rate` es la
fracción de unidades que se APAGAN. El azar sale solo del generador `rng`.

English
-------
Dropout is a regularisation against overfitting: during training every unit of
a layer is "switched off" (set to 0) at random with probability `rate`, so the
network cannot rely on any particular neuron. In the inverted version, the one
of keras.layers.Dropout(rate), surviving units are multiplied by 1/(1 - rate)
so the expected activation is unchanged; that is why the layer does nothing at
inference time. `rate` is the fraction of units DROPPED. Randomness comes only
from the generator `rng`.
"""
import numpy as np


def dropout_mask(shape, rate, rng):
    """Máscara de dropout invertido / Inverted-dropout mask.

    m = 0 con probabilidad rate, si no 1/(1 - rate)  /  m = 0 with probability rate, else 1/(1 - rate)

    Español
    -------
    Cada unidad se apaga de forma independiente. Lanza ValueError si no se
    cumple 0 <= rate < 1.
    Entradas:
    - shape: tupla de int, la forma de la máscara, p. ej. (N, n_unidades).
    - rate: float en [0, 1), fracción de unidades apagadas.
    - rng: numpy.random.Generator, única fuente de azar.
    Devuelve:
    - array float64 de forma `shape` con valores 0.0 y 1/(1 - rate).
    Ejemplo: con rate = 0.5 los valores son 0.0 o 2.0, mitad y mitad en promedio,
    y la media de la máscara es ≈ 1.

    English
    -------
    Every unit is dropped independently. Raises ValueError unless
    0 <= rate < 1.
    Inputs:
    - shape: tuple of int, the mask's shape, e.g. (N, n_units).
    - rate: float in [0, 1), fraction of units dropped.
    - rng: numpy.random.Generator, the only source of randomness.
    Returns:
    - float64 array of shape `shape` with values 0.0 and 1/(1 - rate).
    Example: with rate = 0.5 the values are 0.0 or 2.0, half and half on
    average, and the mask's mean is ≈ 1.
    """
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa dropout.dropout_mask() / Exercise not done yet: implement dropout.dropout_mask()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def dropout_forward(A, rate, rng, training=True):
    """Aplica dropout a una activación / Apply dropout to an activation.

    entrenamiento: out = A ⊙ m;  inferencia: out = A  /  training: out = A ⊙ m;  inference: out = A

    Español
    -------
    No modifica A.
    Entradas:
    - A: array float64 de cualquier forma, p. ej. (N, n_unidades).
    - rate: float en [0, 1).   - rng: numpy.random.Generator.
    - training: bool; si es False no se apaga nada.
    Devuelve:
    - (out, mask): out con la forma de A; mask = dropout_mask(A.shape, rate, rng)
      en entrenamiento, None en inferencia.
    Ejemplo: A = [[1, 1]], training=False devuelve ([[1, 1]], None).

    English
    -------
    Does not modify A.
    Inputs:
    - A: float64 array of any shape, e.g. (N, n_units).
    - rate: float in [0, 1).   - rng: numpy.random.Generator.
    - training: bool; when False nothing is dropped.
    Returns:
    - (out, mask): out shaped like A; mask = dropout_mask(A.shape, rate, rng)
      in training, None at inference.
    Example: A = [[1, 1]], training=False returns ([[1, 1]], None).
    """
    A = np.asarray(A, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa dropout.dropout_forward() / Exercise not done yet: implement dropout.dropout_forward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def dropout_backward(dout, mask):
    """Gradiente a través del dropout / Gradient through dropout.

    ∂L/∂A = ∂L/∂out ⊙ m   (∂L/∂out si no hay máscara / if there is no mask)

    Español
    -------
    Las unidades apagadas no reciben gradiente; las demás lo reciben escalado.
    Entradas:
    - dout: array float64, gradiente respecto a la salida del dropout.
    - mask: None o array float64 de la misma forma, la máscara del forward.
    Devuelve:
    - array float64 con la forma de dout.
    Ejemplo: dout = [[1, 1]], mask = [[0, 2]] da [[0, 2]].

    English
    -------
    Dropped units get no gradient; the others get it scaled.
    Inputs:
    - dout: float64 array, gradient with respect to the dropout's output.
    - mask: None or float64 array of the same shape, the forward pass's mask.
    Returns:
    - float64 array shaped like dout.
    Example: dout = [[1, 1]], mask = [[0, 2]] gives [[0, 2]].
    """
    dout = np.asarray(dout, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa dropout.dropout_backward() / Exercise not done yet: implement dropout.dropout_backward()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
