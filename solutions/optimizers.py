"""Optimizadores: momentum, RMSProp y Adam / Optimizers: momentum, RMSProp and Adam.

Español
-------
El descenso de gradiente da pasos θ ← θ - η g del mismo tamaño relativo en
todas las direcciones. Los optimizadores del curso guardan un ESTADO por cada
array de parámetros (cada W y cada b), que empieza en ceros:
- momentum: una velocidad que acumula los gradientes pasados (una "inercia");
- RMSProp: una media móvil de g², que divide el paso en cada coordenada
  (pasos más cortos donde el gradiente es grande);
- Adam: las dos cosas, con corrección del sesgo de empezar en cero.
Las fórmulas son las de Keras 3 (keras.optimizers.SGD, RMSprop, Adam), así que
train con rng=None coincide paso a paso con model.fit(..., shuffle=False).
Cada función de paso devuelve arrays nuevos: nada se modifica en el sitio.

English
-------
Gradient descent takes steps θ ← θ - η g of the same relative size in every
direction. The course's optimizers keep a STATE per parameter array (every W
and every b), which starts at zeros:
- momentum: a velocity accumulating past gradients (an "inertia");
- RMSProp: a moving average of g², dividing the step in each coordinate
  (shorter steps where the gradient is large);
- Adam: both, with a correction for the bias of starting at zero.
The formulas are Keras 3's (keras.optimizers.SGD, RMSprop, Adam), so train with
rng=None matches model.fit(..., shuffle=False) step for step. Every step
function returns new arrays: nothing is modified in place.
"""
import numpy as np

from backprop import backward, binary_cross_entropy, forward
from sgd import minibatches

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def momentum_step(w, g, velocity, lr, momentum=0.9):
    """Un paso de SGD con momentum / One step of SGD with momentum.

    v ← momentum · v - η g;   w ← w + v

    Español
    -------
    Es keras.optimizers.SGD(lr, momentum=momentum).
    Entradas:
    - w: array float64 de cualquier forma, los parámetros.
    - g: array float64 con la forma de w, su gradiente.
    - velocity: array float64 con la forma de w (ceros al empezar).
    - lr: float η;  momentum: float en [0, 1).
    Devuelve:
    - (w_new, velocity_new), arrays float64 con la forma de w.
    Ejemplo: w = 1, g = 2, v = 0.5, η = 0.1, momentum = 0.9:
    v = 0.45 - 0.2 = 0.25 y w = 1.25.

    English
    -------
    It is keras.optimizers.SGD(lr, momentum=momentum).
    Inputs:
    - w: float64 array of any shape, the parameters.
    - g: float64 array shaped like w, its gradient.
    - velocity: float64 array shaped like w (zeros at the start).
    - lr: float η;  momentum: float in [0, 1).
    Returns:
    - (w_new, velocity_new), float64 arrays shaped like w.
    Example: w = 1, g = 2, v = 0.5, η = 0.1, momentum = 0.9:
    v = 0.45 - 0.2 = 0.25 and w = 1.25.
    """
    w = np.asarray(w, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    velocity = np.asarray(velocity, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    velocity_new = momentum * velocity - lr * g
    return w + velocity_new, velocity_new
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
    """Un paso de RMSProp / One RMSProp step.

    s ← ρ s + (1 - ρ) g²;   w ← w - η g / √(s + ε)

    Español
    -------
    Es keras.optimizers.RMSprop(lr, rho=rho, epsilon=eps): ε va DENTRO de la raíz.
    Entradas:
    - w, g, s: arrays float64 de la misma forma (s: ceros al empezar).
    - lr: float η;  rho: float ρ;  eps: float ε.
    Devuelve:
    - (w_new, s_new), arrays float64 con la forma de w.
    Ejemplo: w = 1, g = 2, s = 0, η = 0.1, ρ = 0.9, ε = 0:
    s = 0.1 · 4 = 0.4 y w = 1 - 0.1 · 2 / √0.4 ≈ 0.6838.

    English
    -------
    It is keras.optimizers.RMSprop(lr, rho=rho, epsilon=eps): ε goes INSIDE the root.
    Inputs:
    - w, g, s: float64 arrays of one shape (s: zeros at the start).
    - lr: float η;  rho: float ρ;  eps: float ε.
    Returns:
    - (w_new, s_new), float64 arrays shaped like w.
    Example: w = 1, g = 2, s = 0, η = 0.1, ρ = 0.9, ε = 0:
    s = 0.1 · 4 = 0.4 and w = 1 - 0.1 · 2 / √0.4 ≈ 0.6838.
    """
    w = np.asarray(w, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    s = np.asarray(s, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    s_new = rho * s + (1.0 - rho) * g ** 2
    return w - lr * g / np.sqrt(s_new + eps), s_new
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
    """Un paso de Adam / One Adam step.

    m ← β1 m + (1 - β1) g;   v ← β2 v + (1 - β2) g²
    α = η √(1 - β2^t) / (1 - β1^t);   w ← w - α m / (√v + ε)

    Español
    -------
    `t` es el número del paso, 1 en el primero: la corrección del sesgo
    (1 - β^t) compensa que m y v empiezan en cero. ε va FUERA de la raíz.
    Es keras.optimizers.Adam(lr, beta_1, beta_2, epsilon=eps).
    Entradas:
    - w, g, m, v: arrays float64 de la misma forma (m, v: ceros al empezar).
    - t: int >= 1;  lr: float η;  beta_1, beta_2: floats en [0, 1);  eps: float ε.
    Devuelve:
    - (w_new, m_new, v_new), arrays float64 con la forma de w.
    Ejemplo: en el primer paso (t = 1, m = v = 0), m = (1 - β1) g,
    v = (1 - β2) g², α = η √(1 - β2) / (1 - β1), y w baja casi exactamente
    η · signo(g): con w = 1, g = 2, η = 0.1 sale w ≈ 0.9.

    English
    -------
    `t` is the step number, 1 at the first step: the bias correction
    (1 - β^t) compensates for m and v starting at zero. ε goes OUTSIDE the
    root. It is keras.optimizers.Adam(lr, beta_1, beta_2, epsilon=eps).
    Inputs:
    - w, g, m, v: float64 arrays of one shape (m, v: zeros at the start).
    - t: int >= 1;  lr: float η;  beta_1, beta_2: floats in [0, 1);  eps: float ε.
    Returns:
    - (w_new, m_new, v_new), float64 arrays shaped like w.
    Example: at the first step (t = 1, m = v = 0), m = (1 - β1) g,
    v = (1 - β2) g², α = η √(1 - β2) / (1 - β1), and w goes down by almost
    exactly η · sign(g): with w = 1, g = 2, η = 0.1 it gives w ≈ 0.9.
    """
    w = np.asarray(w, dtype=np.float64)
    g = np.asarray(g, dtype=np.float64)
    m = np.asarray(m, dtype=np.float64)
    v = np.asarray(v, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    m_new = beta_1 * m + (1.0 - beta_1) * g
    v_new = beta_2 * v + (1.0 - beta_2) * g ** 2
    alpha = lr * np.sqrt(1.0 - beta_2 ** t) / (1.0 - beta_1 ** t)
    return w - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
    """Entrena la red sigmoide con un optimizador / Train the sigmoid network with an optimizer.

    por época, por lote: forward → backward → un paso del optimizador por cada W y cada b
    per epoch, per batch: forward → backward → one optimizer step for every W and every b

    Español
    -------
    Como sgd.train sin dropout (los mismos mini-lotes de sgd.minibatches, los
    gradientes de backprop.backward, history[e] la binary_cross_entropy sobre
    TODO el conjunto tras la época e), pero el paso lo da `optimizer`:
    "sgd" (w - η g), "momentum", "rmsprop" o "adam", con sus hiperparámetros
    en `hyper` (p. ej. momentum=0.875; si no, los valores por defecto de las
    funciones de paso). Un estado por array de parámetros, ceros al empezar;
    el t de Adam cuenta los pasos desde 1 a través de las épocas. Otro nombre
    de optimizador lanza ValueError. No modifica `params`.
    Entradas:
    - X: array float64 (N, D);  Y: array float64 (N, K) de etiquetas 0/1.
    - params: lista de L tuplas (W_l, b_l), los pesos iniciales.
    - optimizer: str;  lr: float η;  batch_size: int;  epochs: int.
    - rng: None (sin barajar) o numpy.random.Generator.
    - hyper: hiperparámetros del optimizador (momentum, rho, beta_1, beta_2, eps).
    Devuelve:
    - (params, history): los pesos entrenados (misma estructura) y una lista de
      `epochs` floats.
    Ejemplo: train(X, Y, params, "adam", 0.01, 8, 20) da los mismos pesos que
    Keras model.fit(X, Y, batch_size=8, epochs=20, shuffle=False) con Adam(0.01).

    English
    -------
    As sgd.train without dropout (the same mini-batches of sgd.minibatches, the
    gradients of backprop.backward, history[e] the binary_cross_entropy on the
    WHOLE set after epoch e), but the step is taken by `optimizer`: "sgd"
    (w - η g), "momentum", "rmsprop" or "adam", with its hyperparameters in
    `hyper` (e.g. momentum=0.875; otherwise the step functions' defaults). One
    state per parameter array, zeros at the start; Adam's t counts steps from 1
    across epochs. Any other optimizer name raises ValueError. Does not modify
    `params`.
    Inputs:
    - X: float64 array (N, D);  Y: float64 array (N, K) of 0/1 labels.
    - params: list of L tuples (W_l, b_l), the initial weights.
    - optimizer: str;  lr: float η;  batch_size: int;  epochs: int.
    - rng: None (no shuffling) or numpy.random.Generator.
    - hyper: the optimizer's hyperparameters (momentum, rho, beta_1, beta_2, eps).
    Returns:
    - (params, history): the trained weights (same structure) and a list of
      `epochs` floats.
    Example: train(X, Y, params, "adam", 0.01, 8, 20) gives the same weights as
    Keras model.fit(X, Y, batch_size=8, epochs=20, shuffle=False) with Adam(0.01).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"optimizador desconocido {optimizer!r}; usa uno de {OPTIMIZERS} / "
            f"unknown optimizer {optimizer!r}; use one of {OPTIMIZERS}"
        )
    # One state per parameter array: [W1, b1, W2, b2, ...].
    flat = [a for pair in params for a in pair]
    first = [np.zeros_like(a) for a in flat]
    second = [np.zeros_like(a) for a in flat]
    t = 0
    history = []
    for _epoch in range(epochs):
        for X_b, Y_b in minibatches(X, Y, batch_size, rng):
            _, cache = forward(X_b, list(zip(flat[0::2], flat[1::2])))
            grads = [g for pair in backward(list(zip(flat[0::2], flat[1::2])), cache, Y_b)
                     for g in pair]
            t += 1
            for j, g in enumerate(grads):
                if optimizer == "sgd":
                    flat[j] = flat[j] - lr * g
                elif optimizer == "momentum":
                    flat[j], first[j] = momentum_step(flat[j], g, first[j], lr, **hyper)
                elif optimizer == "rmsprop":
                    flat[j], second[j] = rmsprop_step(flat[j], g, second[j], lr, **hyper)
                else:
                    flat[j], first[j], second[j] = adam_step(flat[j], g, first[j], second[j],
                                                             t, lr, **hyper)
        A_out, _ = forward(X, list(zip(flat[0::2], flat[1::2])))
        history.append(binary_cross_entropy(A_out, Y))
    return list(zip(flat[0::2], flat[1::2])), history
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
