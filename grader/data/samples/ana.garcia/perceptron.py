"""El perceptrón de Rosenblatt / Rosenblatt's perceptron.

Español
-------
El perceptrón (Rosenblatt, 1958) es una sola neurona con activación escalón:
predice y = 1 si x·w + b > 0 y y = 0 en otro caso. Aprende muestra a muestra:
cuando se equivoca (etiqueta deseada d distinta de y) mueve los pesos hacia la
muestra, w ← w + η(d - y)x. Si los datos son linealmente separables (como OR)
acaba sin errores; con XOR no lo consigue nunca (Minsky y Papert, 1969).

English
-------
The perceptron (Rosenblatt, 1958) is a single neuron with a step activation:
it predicts y = 1 if x·w + b > 0 and y = 0 otherwise. It learns one sample at a
time: when it is wrong (desired label d differs from y) it moves the weights
towards the sample, w ← w + η(d - y)x. On linearly separable data (such as OR)
it ends with no errors; on XOR it never does (Minsky and Papert, 1969).
"""
import numpy as np


def predict(X, w, b):
    """Predicción del perceptrón (escalón) / Perceptron prediction (step).

    y = 1 si X·w + b > 0, si no 0  /  y = 1 if X·w + b > 0, else 0

    Español
    -------
    Entradas:
    - X: array float64 de forma (N, D), una muestra por fila; o una sola muestra
      de forma (D,).
    - w: array float64 de forma (D,), pesos.
    - b: float, sesgo.
    Devuelve:
    - array de enteros (int64) de 0 y 1 de forma (N,); para una sola muestra (D,),
      un entero 0-d.
    Ejemplo (curso): g(1 + 3·x1 - 2·x2) es w = (3, -2), b = 1; en x = (-1, 2)
    z = 1 - 3 - 4 = -6, así que predict(x, w, b) = 0.

    English
    -------
    Inputs:
    - X: float64 array of shape (N, D), one sample per row; or a single sample
      of shape (D,).
    - w: float64 array of shape (D,), weights.
    - b: float, bias.
    Returns:
    - integer (int64) array of 0s and 1s of shape (N,); for a single sample (D,),
      a 0-d integer.
    Example (course): g(1 + 3·x1 - 2·x2) is w = (3, -2), b = 1; at x = (-1, 2)
    z = 1 - 3 - 4 = -6, so predict(x, w, b) = 0.
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    z = X @ w + b
    return np.asarray(z > 0, dtype=np.int64)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def update(w, b, x, d, lr):
    """Regla de aprendizaje del perceptrón para UNA muestra / Perceptron learning rule for ONE sample.

    y = predict(x, w, b);  w_nuevo = w + η(d - y)x;  b_nuevo = b + η(d - y)

    Español
    -------
    Si la predicción es correcta (d = y), nada cambia. No modifica w.
    Entradas:
    - w: array float64 de forma (D,);  b: float.
    - x: array float64 de forma (D,), una muestra.
    - d: int 0 o 1, la etiqueta deseada.
    - lr: float, la tasa de aprendizaje η.
    Devuelve:
    - (w_nuevo, b_nuevo): array float64 de forma (D,) y float.
    Ejemplo: w = (0, 0), b = 0, x = (1, 2), d = 1, lr = 0.5: y = 0 (z = 0 no es
    > 0), así que w_nuevo = (0.5, 1.0) y b_nuevo = 0.5.

    English
    -------
    If the prediction is right (d = y), nothing changes. Does not modify w.
    Inputs:
    - w: float64 array of shape (D,);  b: float.
    - x: float64 array of shape (D,), one sample.
    - d: int 0 or 1, the desired label.
    - lr: float, the learning rate η.
    Returns:
    - (w_new, b_new): float64 array of shape (D,) and float.
    Example: w = (0, 0), b = 0, x = (1, 2), d = 1, lr = 0.5: y = 0 (z = 0 is not
    > 0), so w_new = (0.5, 1.0) and b_new = 0.5.
    """
    w = np.asarray(w, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    error = int(d) - int(predict(x, w, b))
    return w + lr * error * x, float(b + lr * error)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def train(X, d, lr=1.0, epochs=100):
    """Entrena un perceptrón con la regla de Rosenblatt / Train a perceptron with Rosenblatt's rule.

    Para cada época, para cada fila i en orden: (w, b) ← update(w, b, X[i], d[i], η)
    For each epoch, for each row i in order: (w, b) ← update(w, b, X[i], d[i], η)

    Español
    -------
    Empieza con w = ceros(D), b = 0.0. En cada época visita las muestras en el
    orden de las filas y cuenta cuántas estaban mal clasificadas en el momento de
    visitarlas (antes de actualizar). Se detiene tras la primera época sin
    errores, o tras `epochs` épocas.
    Entradas:
    - X: array float64 de forma (N, D).
    - d: array de forma (N,) con etiquetas 0/1.
    - lr: float, la tasa de aprendizaje η.   - epochs: int, máximo de épocas.
    Devuelve:
    - (w, b, errors): w array float64 (D,), b float y errors una lista de int de
      longitud igual a las épocas ejecutadas (errors[e] = errores de la época e).
    Ejemplo: con OR (X = [[0,0],[0,1],[1,0],[1,1]], d = [0,1,1,1]) y lr = 1,
    errors = [1, 2, 1, 0], w = (1, 1), b = 0: aprende OR en 4 épocas.

    English
    -------
    Starts from w = zeros(D), b = 0.0. Each epoch visits the samples in row order
    and counts how many were misclassified when visited (before updating). Stops
    after the first epoch with no errors, or after `epochs` epochs.
    Inputs:
    - X: float64 array of shape (N, D).
    - d: array of shape (N,) with 0/1 labels.
    - lr: float, the learning rate η.   - epochs: int, maximum number of epochs.
    Returns:
    - (w, b, errors): w float64 array (D,), b float and errors a list of int whose
      length is the number of epochs run (errors[e] = mistakes in epoch e).
    Example: on OR (X = [[0,0],[0,1],[1,0],[1,1]], d = [0,1,1,1]) with lr = 1,
    errors = [1, 2, 1, 0], w = (1, 1), b = 0: it learns OR in 4 epochs.
    """
    X = np.asarray(X, dtype=np.float64)
    d = np.asarray(d)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    w, b = np.zeros(X.shape[1]), 0.0
    errors = []
    for _ in range(epochs):
        mistakes = 0
        for x_i, d_i in zip(X, d):
            if predict(x_i, w, b) != d_i:
                mistakes += 1
            w, b = update(w, b, x_i, d_i, lr)
        errors.append(mistakes)
        if mistakes == 0:
            break
    return w, b, errors
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
