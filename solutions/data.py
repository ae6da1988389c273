"""Partir los datos y estandarizar sin fugas / Splitting the data, and standardizing without leakage.

Español
-------
Para saber si una red generaliza hay que medirla con datos que no ha visto.
Se parte el conjunto en entrenamiento (para ajustar los pesos), validación
(para elegir hiperparámetros y decidir la parada temprana) y prueba (para la
medida final, una sola vez); el reparto típico del curso es 70/15/15. Cada
muestra va a una sola parte y sus filas de X e Y van juntas. Al estandarizar
(restar la media y dividir por la desviación típica de cada columna), media y
desviación se calculan SOLO con el entrenamiento: usar también validación o
prueba sería una fuga de información.

English
-------
To know whether a network generalises it must be measured on data it has not
seen. The set is split into training (to fit the weights), validation (to pick
hyperparameters and decide early stopping) and test (for the final measure,
once); the course's usual split is 70/15/15. Every sample goes to one part
only, and its rows of X and Y stay together. When standardizing (subtracting
each column's mean and dividing by its standard deviation), mean and standard
deviation come from the training set ONLY: using validation or test data too
would leak information.
"""
import numpy as np


def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
    """Parte (X, Y) en entrenamiento, validación y prueba / Split (X, Y) into training, validation and test.

    n_train = ⌊f_train · N + 1e-9⌋;  n_val = ⌊f_val · N + 1e-9⌋;  n_test = N - n_train - n_val

    Español
    -------
    El 1e-9 evita perder una fila por el redondeo (0.7 · 90 = 62.99999999999999
    en coma flotante). Con rng=None las filas van en orden: las primeras
    n_train al entrenamiento, las n_val siguientes a validación y el resto a
    prueba; con un rng, en el orden de UNA permutación sacada de rng, la misma
    para X y para Y. Lanza ValueError si `fractions` no son tres números
    positivos que suman 1 (con tolerancia 1e-9).
    Entradas:
    - X: array-like (N, D);  Y: array-like (N, K).
    - fractions: tres floats positivos que suman 1.
    - rng: None o numpy.random.Generator.
    Devuelve:
    - (X_train, Y_train, X_val, Y_val, X_test, Y_test), arrays float64.
    Ejemplo: N = 20 con (0.7, 0.15, 0.15) da 14, 3 y 3 filas.

    English
    -------
    The 1e-9 keeps round-off from losing a row (0.7 · 90 = 62.99999999999999 in
    floating point). With rng=None the rows stay in order: the first n_train go
    to training, the next n_val to validation and the rest to test; with an
    rng, in the order of ONE permutation drawn from rng, the same for X and Y.
    Raises ValueError unless `fractions` are three positive numbers summing to
    1 (within 1e-9).
    Inputs:
    - X: array-like (N, D);  Y: array-like (N, K).
    - fractions: three positive floats summing to 1.
    - rng: None or numpy.random.Generator.
    Returns:
    - (X_train, Y_train, X_val, Y_val, X_test, Y_test), float64 arrays.
    Example: N = 20 with (0.7, 0.15, 0.15) gives 14, 3 and 3 rows.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    fractions = np.asarray(fractions, dtype=np.float64).reshape(-1)
    if fractions.shape != (3,) or not np.all(fractions > 0) or abs(fractions.sum() - 1.0) > 1e-9:
        raise ValueError(
            f"fractions deben ser tres números positivos que suman 1, recibido {fractions} / "
            f"fractions must be three positive numbers summing to 1, got {fractions}"
        )
    n_samples = X.shape[0]
    n_train = int(np.floor(fractions[0] * n_samples + 1e-9))
    n_val = int(np.floor(fractions[1] * n_samples + 1e-9))
    rows = np.arange(n_samples) if rng is None else rng.permutation(n_samples)
    parts = np.split(rows, [n_train, n_train + n_val])
    return tuple(a[idx] for idx in parts for a in (X, Y))
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def standardize(X_train, *others):
    """Estandariza con la media y la desviación del entrenamiento / Standardize with the training mean and std.

    X_std = (X - μ) / σ,  μ y σ (ddof=0) de las columnas de X_train  /  μ and σ (ddof=0) of X_train's columns

    Español
    -------
    μ y σ salen SOLO de X_train y se aplican a cada array dado (validación,
    prueba, ...). Una columna con σ = 0 (constante) se divide por 1.
    Entradas:
    - X_train: array-like (N, D).
    - others: cero o más arrays-like (M_j, D).
    Devuelve:
    - (X_train_std, *others_std, mean, std): los arrays estandarizados en el
      mismo orden, y mean, std de forma (D,).
    Ejemplo: X_train = [[0], [2]], X_test = [[4]]: μ = 1, σ = 1, da
    [[-1], [1]] y [[3]].

    English
    -------
    μ and σ come from X_train ONLY and are applied to every array given
    (validation, test, ...). A column with σ = 0 (constant) is divided by 1.
    Inputs:
    - X_train: array-like (N, D).
    - others: zero or more array-likes (M_j, D).
    Returns:
    - (X_train_std, *others_std, mean, std): the standardized arrays in the
      same order, and mean, std of shape (D,).
    Example: X_train = [[0], [2]], X_test = [[4]]: μ = 1, σ = 1, gives
    [[-1], [1]] and [[3]].
    """
    X_train = np.asarray(X_train, dtype=np.float64)
    others = [np.asarray(A, dtype=np.float64) for A in others]
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    scale = np.where(std == 0, 1.0, std)
    return (*((A - mean) / scale for A in [X_train, *others]), mean, std)
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
