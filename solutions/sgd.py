"""Descenso de gradiente estocástico por mini-lotes / Mini-batch stochastic gradient descent.

Español
-------
Calcular el gradiente con todo el conjunto de entrenamiento en cada paso es
caro; con una sola muestra es barato pero muy ruidoso. El término medio es el
mini-lote (batch) de B muestras: el gradiente es la media de los gradientes de
esas B muestras y cada paso hace θ ← θ - η ∂J/∂θ. Una época recorre todos los
mini-lotes, así que cada muestra se usa exactamente una vez por época. Sin
barajar (rng=None) y sin dropout, el entrenamiento coincide paso a paso con
Keras: model.fit(X, Y, batch_size=B, epochs=E, shuffle=False) con SGD(η).

English
-------
Computing the gradient on the whole training set at every step is expensive;
on a single sample it is cheap but very noisy. The middle ground is the
mini-batch of B samples: the gradient is the mean of those B samples' gradients
and each step does θ ← θ - η ∂J/∂θ. One epoch goes through all the mini-batches,
so every sample is used exactly once per epoch. Without shuffling (rng=None)
and without dropout, training matches Keras step for step:
model.fit(X, Y, batch_size=B, epochs=E, shuffle=False) with SGD(η).
"""
import numpy as np

from backprop import backward, binary_cross_entropy, forward
from dropout import dropout_mask


def minibatches(X, Y, batch_size, rng=None):
    """Parte los datos en mini-lotes / Split the data into mini-batches.

    lotes / batches: filas [0, B), [B, 2B), ... de X y Y (permutadas si hay rng / permuted if rng is given)

    Español
    -------
    Cada muestra aparece exactamente una vez. Con rng=None las filas van en
    orden; si no, en el orden de una permutación sacada de rng. Todos los lotes
    tienen batch_size filas salvo, quizá, el último.
    Entradas:
    - X: array float64 (N, D);  Y: array float64 (N, K).
    - batch_size: int >= 1.   - rng: None o numpy.random.Generator.
    Devuelve:
    - lista de tuplas (X_lote, Y_lote) de formas (B_j, D) y (B_j, K).
    Ejemplo: N = 5, batch_size = 2, rng=None: lotes con las filas [0, 1], [2, 3], [4].

    English
    -------
    Every sample appears exactly once. With rng=None the rows stay in order;
    otherwise they follow a permutation drawn from rng. All batches have
    batch_size rows except, possibly, the last one.
    Inputs:
    - X: float64 array (N, D);  Y: float64 array (N, K).
    - batch_size: int >= 1.   - rng: None or numpy.random.Generator.
    Returns:
    - list of tuples (X_batch, Y_batch) of shapes (B_j, D) and (B_j, K).
    Example: N = 5, batch_size = 2, rng=None: batches with rows [0, 1], [2, 3], [4].
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    if batch_size < 1:
        raise ValueError(
            f"batch_size debe ser >= 1, recibido {batch_size!r} / "
            f"batch_size must be >= 1, got {batch_size!r}"
        )
    n = X.shape[0]
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [
        (X[order[start:start + batch_size]], Y[order[start:start + batch_size]])
        for start in range(0, n, batch_size)
    ]
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def sgd_step(params, grads, lr):
    """Un paso de descenso de gradiente / One gradient-descent step.

    W ← W - η ∂L/∂W;   b ← b - η ∂L/∂b

    Español
    -------
    Devuelve parámetros nuevos; no modifica los que recibe.
    Entradas:
    - params: lista de L tuplas (W_l, b_l), arrays float64.
    - grads: lista de L tuplas (dW_l, db_l), con las mismas formas.
    - lr: float, la tasa de aprendizaje η.
    Devuelve:
    - lista de L tuplas (W_l - η dW_l, b_l - η db_l).
    Ejemplo: W = [[1]], dW = [[2]], η = 0.1 da W nuevo = [[0.8]].

    English
    -------
    Returns new parameters; does not modify the ones it receives.
    Inputs:
    - params: list of L tuples (W_l, b_l), float64 arrays.
    - grads: list of L tuples (dW_l, db_l), with the same shapes.
    - lr: float, the learning rate η.
    Returns:
    - list of L tuples (W_l - η dW_l, b_l - η db_l).
    Example: W = [[1]], dW = [[2]], η = 0.1 gives new W = [[0.8]].
    """
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    return [
        (np.asarray(W, dtype=np.float64) - lr * np.asarray(dW, dtype=np.float64),
         np.asarray(b, dtype=np.float64) - lr * np.asarray(db, dtype=np.float64))
        for (W, b), (dW, db) in zip(params, grads)
    ]
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    """Entrena la red sigmoide con SGD por mini-lotes / Train the sigmoid network with mini-batch SGD.

    por época, por lote: forward → backward → θ ← θ - η ∂J/∂θ
    per epoch, per batch: forward → backward → θ ← θ - η ∂J/∂θ

    Español
    -------
    Con dropout_rate > 0, en cada lote se saca una máscara nueva por capa oculta
    con dropout.dropout_mask (las máscaras se sacan de rng: hace falta uno). Tras cada
    época, history[e] es binary_cross_entropy sobre TODO el conjunto de
    entrenamiento, sin dropout. No modifica `params`.
    Entradas:
    - X: array float64 (N, D);  Y: array float64 (N, K) de etiquetas 0/1.
    - params: lista de L tuplas (W_l, b_l), los pesos iniciales.
    - lr: float η;  batch_size: int;  epochs: int.
    - rng: None (sin barajar) o numpy.random.Generator (baraja y dropout).
    - dropout_rate: float en [0, 1), fracción de unidades ocultas apagadas.
    Devuelve:
    - (params, history): los pesos entrenados (misma estructura) y una lista de
      `epochs` floats.
    Ejemplo: con rng=None y dropout_rate=0 da los mismos pesos que Keras
    model.fit(X, Y, batch_size, epochs, shuffle=False) con SGD(lr).

    English
    -------
    With dropout_rate > 0, every batch draws a fresh mask per hidden layer with
    dropout.dropout_mask (the masks are drawn from rng: one is needed). After
    each epoch, history[e] is binary_cross_entropy on the WHOLE training set,
    without dropout. Does not modify `params`.
    Inputs:
    - X: float64 array (N, D);  Y: float64 array (N, K) of 0/1 labels.
    - params: list of L tuples (W_l, b_l), the initial weights.
    - lr: float η;  batch_size: int;  epochs: int.
    - rng: None (no shuffling) or numpy.random.Generator (shuffling and dropout).
    - dropout_rate: float in [0, 1), fraction of hidden units dropped.
    Returns:
    - (params, history): the trained weights (same structure) and a list of
      `epochs` floats.
    Example: with rng=None and dropout_rate=0 it gives the same weights as Keras
    model.fit(X, Y, batch_size, epochs, shuffle=False) with SGD(lr).
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    if dropout_rate > 0 and rng is None:
        raise ValueError(
            "dropout_rate > 0 necesita un rng (numpy.random.Generator) / "
            "dropout_rate > 0 needs an rng (numpy.random.Generator)"
        )
    history = []
    for _ in range(epochs):
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            _, cache = forward(X_batch, params, masks)
            params = sgd_step(params, backward(params, cache, Y_batch), lr)
        A_L, _ = forward(X, params)
        history.append(binary_cross_entropy(A_L, Y))
    return params, history
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
