"""Retropropagación en un perceptrón multicapa sigmoide / Backpropagation in a sigmoid multilayer perceptron.

Español
-------
Red: capas densas como en Keras, Z_l = A_{l-1} W_l + b_l, con W_l de forma
(n_entrada, n_salida); todas las capas (ocultas y de salida) usan la sigmoide,
A_l = σ(Z_l), y A_0 = X. La pérdida es la entropía cruzada binaria (BCE)
promediada sobre las muestras. La retropropagación aplica la regla de la cadena
de la salida hacia la entrada con el error δ_l = ∂L_i/∂Z_l de cada muestra:
  salida:   δ_L = A_L - Y                           (sigmoide + BCE)
  oculta:   δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ'(Z_l)
  gradiente: ∂L/∂W_l = A_{l-1}ᵀ δ_l / N,  ∂L/∂b_l = media de δ_l sobre las filas
Con dropout, la máscara que multiplicó la activación de una capa oculta
multiplica también su δ. `forward` y `binary_cross_entropy` vienen hechas.

English
-------
Network: Keras-style dense layers, Z_l = A_{l-1} W_l + b_l, with W_l of shape
(n_in, n_out); every layer (hidden and output) uses the sigmoid, A_l = σ(Z_l),
and A_0 = X. The loss is binary cross-entropy (BCE) averaged over samples.
Backpropagation applies the chain rule from the output back to the input with
the per-sample error δ_l = ∂L_i/∂Z_l:
  output:   δ_L = A_L - Y                           (sigmoid + BCE)
  hidden:   δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ'(Z_l)
  gradient: ∂L/∂W_l = A_{l-1}ᵀ δ_l / N,  ∂L/∂b_l = mean of δ_l over the rows
With dropout, the mask that multiplied a hidden layer's activation also
multiplies its δ. `forward` and `binary_cross_entropy` are given.
"""
import numpy as np

from activations import sigmoid, sigmoid_derivative

EPSILON = 1e-7  # clipping of probabilities, as in Keras / recorte como en Keras


def forward(X, params, masks=None):
    """Propagación hacia adelante (DADA) / Forward pass (GIVEN).

    Z_l = A_{l-1} W_l + b_l;  A_l = σ(Z_l) (⊙ máscara_l / mask_l en capas ocultas / in hidden layers)

    Español
    -------
    Entradas:
    - X: array float64 de forma (N, D).
    - params: lista de L tuplas (W_l, b_l), W_l (n_entrada, n_salida), b_l (n_salida,).
    - masks: None, o una máscara de dropout por capa OCULTA (L - 1), cada una de
      la forma de la activación de esa capa (N, n_salida), o None.
    Devuelve:
    - (A_L, cache): A_L array (N, K) de probabilidades; cache[l] = (A_prev, Z, mask)
      de la capa l, con mask None si no se usó.

    English
    -------
    Inputs:
    - X: float64 array of shape (N, D).
    - params: list of L tuples (W_l, b_l), W_l (n_in, n_out), b_l (n_out,).
    - masks: None, or one dropout mask per HIDDEN layer (L - 1), each shaped like
      that layer's activation (N, n_out), or None.
    Returns:
    - (A_L, cache): A_L array (N, K) of probabilities; cache[l] = (A_prev, Z, mask)
      for layer l, with mask None where none was used.
    """
    A = np.asarray(X, dtype=np.float64)
    n_layers = len(params)
    if masks is not None and len(masks) != n_layers - 1:
        raise ValueError(
            f"masks debe tener una máscara por capa oculta ({n_layers - 1}), tiene {len(masks)} / "
            f"masks must hold one mask per hidden layer ({n_layers - 1}), got {len(masks)}"
        )
    cache = []
    for l, (W, b) in enumerate(params):
        Z = A @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64)
        A_next = sigmoid(Z)
        mask = None
        if masks is not None and l < n_layers - 1 and masks[l] is not None:
            mask = np.asarray(masks[l], dtype=np.float64)
            A_next = A_next * mask
        cache.append((A, Z, mask))
        A = A_next
    return A, cache


def binary_cross_entropy(A_L, Y):
    """Entropía cruzada binaria media (DADA) / Mean binary cross-entropy (GIVEN).

    L = -(1/N) Σ_i Σ_k [ y_ik log(p_ik) + (1 - y_ik) log(1 - p_ik) ],  p = recorte(A_L, 1e-7, 1 - 1e-7)

    Español
    -------
    Las probabilidades se recortan a [1e-7, 1 - 1e-7] como en Keras, para que
    log(0) no aparezca. Con K = 1 es exactamente la pérdida de Keras.
    Entradas:
    - A_L: array float64 de forma (N, K), probabilidades predichas.
    - Y: array float64 de forma (N, K), etiquetas 0/1.
    Devuelve:
    - float, la pérdida media sobre las N muestras.
    Ejemplo: A_L = [[0.5]], Y = [[1]] da log(2) ≈ 0.693.

    English
    -------
    Probabilities are clipped to [1e-7, 1 - 1e-7] as in Keras, so that log(0)
    never shows up. With K = 1 it is exactly the Keras loss.
    Inputs:
    - A_L: float64 array of shape (N, K), predicted probabilities.
    - Y: float64 array of shape (N, K), 0/1 labels.
    Returns:
    - float, the loss averaged over the N samples.
    Example: A_L = [[0.5]], Y = [[1]] gives log(2) ≈ 0.693.
    """
    A_L = np.asarray(A_L, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    if A_L.shape != Y.shape or A_L.ndim != 2:
        raise ValueError(
            f"A_L e Y deben tener la misma forma (N, K); tienen {A_L.shape} y {Y.shape} / "
            f"A_L and Y must have the same shape (N, K); got {A_L.shape} and {Y.shape}"
        )
    p = np.clip(A_L, EPSILON, 1.0 - EPSILON)
    per_sample = -np.sum(Y * np.log(p) + (1.0 - Y) * np.log(1.0 - p), axis=1)
    return float(np.mean(per_sample))


def output_delta(A_L, Y):
    """Error de la capa de salida / Output-layer error.

    δ_L = A_L - Y   (= ∂L_i/∂Z_L para sigmoide + BCE / for sigmoid + BCE)

    Español
    -------
    Con salida sigmoide y BCE, σ'(Z_L) se cancela con la derivada de la pérdida.
    Entradas:
    - A_L: array float64 de forma (N, K), salida de la red.
    - Y: array float64 de forma (N, K), etiquetas 0/1.
    Devuelve:
    - array float64 de forma (N, K), el δ de cada muestra (sin dividir por N).
    Ejemplo: A_L = [[0.8]], Y = [[1]] da [[-0.2]].

    English
    -------
    With a sigmoid output and BCE, σ'(Z_L) cancels with the loss derivative.
    Inputs:
    - A_L: float64 array of shape (N, K), the network's output.
    - Y: float64 array of shape (N, K), 0/1 labels.
    Returns:
    - float64 array of shape (N, K), the δ of each sample (not divided by N).
    Example: A_L = [[0.8]], Y = [[1]] gives [[-0.2]].
    """
    A_L = np.asarray(A_L, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return A_L - Y
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def hidden_delta(delta_next, W_next, Z, mask=None):
    """Error de una capa oculta / Hidden-layer error.

    δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ'(Z_l)  [⊙ máscara_l / mask_l]

    Español
    -------
    Entradas:
    - delta_next: array float64 (N, n_siguiente), δ de la capa l + 1.
    - W_next: array float64 (n_l, n_siguiente), pesos de la capa l + 1.
    - Z: array float64 (N, n_l), pre-activación de la capa l.
    - mask: None o array float64 (N, n_l), máscara de dropout aplicada a la
      activación de la capa l.
    Devuelve:
    - array float64 de forma (N, n_l).
    Ejemplo: delta_next = [[1]], W_next = [[2]], Z = [[0]]: 1 · 2 · 0.25 = [[0.5]].

    English
    -------
    Inputs:
    - delta_next: float64 array (N, n_next), δ of layer l + 1.
    - W_next: float64 array (n_l, n_next), weights of layer l + 1.
    - Z: float64 array (N, n_l), pre-activation of layer l.
    - mask: None or float64 array (N, n_l), dropout mask applied to layer l's
      activation.
    Returns:
    - float64 array of shape (N, n_l).
    Example: delta_next = [[1]], W_next = [[2]], Z = [[0]]: 1 · 2 · 0.25 = [[0.5]].
    """
    delta_next = np.asarray(delta_next, dtype=np.float64)
    W_next = np.asarray(W_next, dtype=np.float64)
    Z = np.asarray(Z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    delta = (delta_next @ W_next.T) * sigmoid_derivative(Z)
    if mask is not None:
        delta = delta * np.asarray(mask, dtype=np.float64)
    return delta
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def layer_gradients(delta, A_prev):
    """Gradientes de una capa densa / Gradients of one dense layer.

    ∂L/∂W = A_prevᵀ δ / N;   ∂L/∂b = (1/N) Σ_i δ_i

    Español
    -------
    Aquí, y solo aquí, aparece el 1/N de la pérdida media.
    Entradas:
    - delta: array float64 (N, n_salida), δ de la capa.
    - A_prev: array float64 (N, n_entrada), entrada de la capa.
    Devuelve:
    - (dW, db): arrays float64 de formas (n_entrada, n_salida) y (n_salida,).
    Ejemplo: delta = [[1], [3]], A_prev = [[1], [1]] da dW = [[2]], db = [2].

    English
    -------
    Here, and only here, the 1/N of the mean loss appears.
    Inputs:
    - delta: float64 array (N, n_out), the layer's δ.
    - A_prev: float64 array (N, n_in), the layer's input.
    Returns:
    - (dW, db): float64 arrays of shapes (n_in, n_out) and (n_out,).
    Example: delta = [[1], [3]], A_prev = [[1], [1]] gives dW = [[2]], db = [2].
    """
    delta = np.asarray(delta, dtype=np.float64)
    A_prev = np.asarray(A_prev, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    n = delta.shape[0]
    return A_prev.T @ delta / n, delta.mean(axis=0)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def backward(params, cache, Y):
    """Retropropagación completa / Full backward pass.

    δ_L = A_L - Y; para l = L-1, ..., 1: δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ'(Z_l) ⊙ máscara_l
    δ_L = A_L - Y; for l = L-1, ..., 1: δ_l = (δ_{l+1} W_{l+1}ᵀ) ⊙ σ'(Z_l) ⊙ mask_l

    Español
    -------
    Usa output_delta, hidden_delta y layer_gradients, de la salida hacia atrás.
    A_L se recupera de la caché: A_L = σ(Z_L).
    Entradas:
    - params: lista de L tuplas (W_l, b_l), como en forward.
    - cache: la caché que devolvió forward; cache[l] = (A_prev, Z, mask).
    - Y: array float64 de forma (N, K), etiquetas 0/1.
    Devuelve:
    - grads: lista de L tuplas (dW_l, db_l), con las formas de (W_l, b_l).

    English
    -------
    Uses output_delta, hidden_delta and layer_gradients, from the output back.
    A_L is recovered from the cache: A_L = σ(Z_L).
    Inputs:
    - params: list of L tuples (W_l, b_l), as in forward.
    - cache: the cache returned by forward; cache[l] = (A_prev, Z, mask).
    - Y: float64 array of shape (N, K), 0/1 labels.
    Returns:
    - grads: list of L tuples (dW_l, db_l), shaped like (W_l, b_l).
    """
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    n_layers = len(params)
    grads = [None] * n_layers
    A_prev, Z, _ = cache[-1]
    delta = output_delta(sigmoid(Z), Y)
    grads[-1] = layer_gradients(delta, A_prev)
    for l in range(n_layers - 2, -1, -1):
        A_prev, Z, mask = cache[l]
        delta = hidden_delta(delta, params[l + 1][0], Z, mask)
        grads[l] = layer_gradients(delta, A_prev)
    return grads
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
