"""Funciones de pérdida, softmax y sus gradientes / Losses, softmax and their gradients.

Español
-------
La pérdida mide cuánto se equivoca la red en un lote; su gradiente es el punto
de partida de la retropropagación. Para regresión se usa el error cuadrático
medio (MSE). Para clasificar en K clases, la capa de salida aplica softmax, que
convierte los logits Z de cada fila en probabilidades que suman 1, y la pérdida
es la entropía cruzada categórica con objetivos one-hot. Juntas tienen un
gradiente muy sencillo respecto a los logits: (softmax(Z) - Y) / N. Como en
todo el curso, la pérdida de un lote es la MEDIA sobre sus muestras; las
muestras son filas: A, P, Z, Y tienen forma (N, K).

English
-------
The loss measures how wrong the network is on a batch; its gradient is where
backpropagation starts. Regression uses the mean squared error (MSE). To
classify into K classes, the output layer applies softmax, which turns each
row's logits Z into probabilities summing to 1, and the loss is the
categorical cross-entropy with one-hot targets. Together they have a very
simple gradient with respect to the logits: (softmax(Z) - Y) / N. As
everywhere in the course, the loss of a batch is the MEAN over its samples;
samples are rows: A, P, Z, Y have shape (N, K).
"""
import numpy as np

# Probabilities are clipped to [EPS, 1 - EPS] before the logarithm, like Keras.
EPS = 1e-7


def mse(A, Y):
    """Error cuadrático medio / Mean squared error.

    MSE = 1/(N·K) Σ_i Σ_k (A[i,k] - Y[i,k])²

    Español
    -------
    La media sobre las N·K entradas, como keras.losses.MeanSquaredError.
    Entradas:
    - A: array-like (N, K), las predicciones.  - Y: array-like (N, K), los objetivos.
    Devuelve:
    - float.
    Ejemplo: mse([[1, 2], [3, 4]], [[1, 0], [3, 0]]) = (0 + 4 + 0 + 16) / 4 = 5.0.

    English
    -------
    The mean over the N·K entries, as keras.losses.MeanSquaredError.
    Inputs:
    - A: array-like (N, K), the predictions.  - Y: array-like (N, K), the targets.
    Returns:
    - float.
    Example: mse([[1, 2], [3, 4]], [[1, 0], [3, 0]]) = (0 + 4 + 0 + 16) / 4 = 5.0.
    """
    A = np.asarray(A, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.mse() / Exercise not done yet: implement losses.mse()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def mse_gradient(A, Y):
    """Gradiente del MSE respecto a A / Gradient of the MSE with respect to A.

    ∂MSE/∂A = 2 (A - Y) / (N·K)

    Español
    -------
    Cada entrada A[i,k] aparece una vez en la suma, dividida por N·K.
    Entradas:
    - A: array-like (N, K).  - Y: array-like (N, K).
    Devuelve:
    - array float64 (N, K).
    Ejemplo: A = [[1, 2], [3, 4]], Y = [[1, 0], [3, 0]]: 2/4 · (A - Y) = [[0, 1], [0, 2]].

    English
    -------
    Every entry A[i,k] appears once in the sum, divided by N·K.
    Inputs:
    - A: array-like (N, K).  - Y: array-like (N, K).
    Returns:
    - float64 array (N, K).
    Example: A = [[1, 2], [3, 4]], Y = [[1, 0], [3, 0]]: 2/4 · (A - Y) = [[0, 1], [0, 2]].
    """
    A = np.asarray(A, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.mse_gradient() / Exercise not done yet: implement losses.mse_gradient()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def softmax(Z):
    """Softmax por filas / Row-wise softmax.

    softmax(Z)[i,k] = e^(Z[i,k] - m_i) / Σ_j e^(Z[i,j] - m_i),  m_i = max_j Z[i,j]

    Español
    -------
    Restar el máximo de cada fila no cambia el resultado (se simplifica en el
    cociente) pero evita el overflow: sin avisos con Z = ±1000. Cada fila suma 1.
    Es keras.activations.softmax.
    Entradas:
    - Z: array-like (N, K), los logits.
    Devuelve:
    - array float64 (N, K) de probabilidades; cada fila suma 1.
    Ejemplo: softmax([[0, 0]]) = [[0.5, 0.5]]; softmax([[1000, 0]]) = [[1, 0]].

    English
    -------
    Subtracting each row's maximum does not change the result (it cancels in
    the quotient) but avoids overflow: no warning at Z = ±1000. Every row sums
    to 1. It is keras.activations.softmax.
    Inputs:
    - Z: array-like (N, K), the logits.
    Returns:
    - float64 array (N, K) of probabilities; every row sums to 1.
    Example: softmax([[0, 0]]) = [[0.5, 0.5]]; softmax([[1000, 0]]) = [[1, 0]].
    """
    Z = np.asarray(Z, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.softmax() / Exercise not done yet: implement losses.softmax()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def one_hot(labels, K):
    """Codificación one-hot / One-hot encoding.

    Y[i,k] = 1 si k = labels[i], si no 0  /  1 if k = labels[i], else 0

    Español
    -------
    Lanza ValueError si alguna etiqueta está fuera de 0..K-1.
    Entradas:
    - labels: array-like de enteros (N,), cada uno en 0..K-1.
    - K: int, el número de clases.
    Devuelve:
    - array float64 (N, K).
    Ejemplo: one_hot([2, 0], 3) = [[0, 0, 1], [1, 0, 0]].

    English
    -------
    Raises ValueError when a label lies outside 0..K-1.
    Inputs:
    - labels: array-like of ints (N,), each in 0..K-1.
    - K: int, the number of classes.
    Returns:
    - float64 array (N, K).
    Example: one_hot([2, 0], 3) = [[0, 0, 1], [1, 0, 0]].
    """
    labels = np.asarray(labels)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.one_hot() / Exercise not done yet: implement losses.one_hot()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def categorical_cross_entropy(P, Y):
    """Entropía cruzada categórica / Categorical cross-entropy.

    CCE = -1/N Σ_i Σ_k Y[i,k] · log(clip(P[i,k], 1e-7, 1 - 1e-7))

    Español
    -------
    La media sobre las muestras de -log de la probabilidad que la red da a la
    clase correcta. Las probabilidades se recortan a [1e-7, 1 - 1e-7] como en
    Keras, así log(0) nunca aparece. Es keras.losses.CategoricalCrossentropy()
    sobre probabilidades cuyas filas suman 1.
    Entradas:
    - P: array-like (N, K) de probabilidades (filas que suman 1).
    - Y: array-like (N, K) de filas one-hot.
    Devuelve:
    - float.
    Ejemplo: P = [[0.5, 0.5], [0.9, 0.1]], Y = [[1, 0], [1, 0]]:
    -(log 0.5 + log 0.9)/2 = (0.6931 + 0.1054)/2 ≈ 0.3993.

    English
    -------
    The mean over the samples of -log of the probability the network gives to
    the right class. Probabilities are clipped to [1e-7, 1 - 1e-7] as in Keras,
    so log(0) never occurs. It is keras.losses.CategoricalCrossentropy() on
    probabilities whose rows sum to 1.
    Inputs:
    - P: array-like (N, K) of probabilities (rows summing to 1).
    - Y: array-like (N, K) of one-hot rows.
    Returns:
    - float.
    Example: P = [[0.5, 0.5], [0.9, 0.1]], Y = [[1, 0], [1, 0]]:
    -(log 0.5 + log 0.9)/2 = (0.6931 + 0.1054)/2 ≈ 0.3993.
    """
    P = np.asarray(P, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.categorical_cross_entropy() / Exercise not done yet: implement losses.categorical_cross_entropy()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def softmax_cross_entropy_gradient(Z, Y):
    """Gradiente de softmax + entropía cruzada respecto a los logits / Gradient of softmax + cross-entropy with respect to the logits.

    ∂CCE(softmax(Z), Y)/∂Z = (softmax(Z) - Y) / N

    Español
    -------
    Al componer softmax con la entropía cruzada casi todo se simplifica: queda
    la probabilidad menos el objetivo, dividido por N (la pérdida es una media).
    Vale para filas de Y one-hot.
    Entradas:
    - Z: array-like (N, K), los logits.  - Y: array-like (N, K), filas one-hot.
    Devuelve:
    - array float64 (N, K).
    Ejemplo: Z = [[0, 0]], Y = [[1, 0]]: ([0.5, 0.5] - [1, 0]) / 1 = [[-0.5, 0.5]].

    English
    -------
    Composing softmax with the cross-entropy, almost everything cancels: the
    probability minus the target remains, divided by N (the loss is a mean).
    It holds for one-hot rows of Y.
    Inputs:
    - Z: array-like (N, K), the logits.  - Y: array-like (N, K), one-hot rows.
    Returns:
    - float64 array (N, K).
    Example: Z = [[0, 0]], Y = [[1, 0]]: ([0.5, 0.5] - [1, 0]) / 1 = [[-0.5, 0.5]].
    """
    Z = np.asarray(Z, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa losses.softmax_cross_entropy_gradient() / Exercise not done yet: implement losses.softmax_cross_entropy_gradient()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
