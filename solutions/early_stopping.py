"""Parada temprana / Early stopping.

Español
-------
Si se entrena demasiado, la red memoriza el conjunto de entrenamiento: la
pérdida de entrenamiento sigue bajando pero la de VALIDACIÓN empieza a subir
(sobreajuste). La parada temprana es una regularización: vigila la pérdida de
validación tras cada época, para cuando lleva `patience` épocas sin mejorar y,
si se pide, devuelve los pesos de la mejor época. Es la regla de
tf.keras.callbacks.EarlyStopping(monitor="val_loss", ...). Las épocas se
cuentan desde 0.

English
-------
Trained for too long, the network memorises the training set: the training
loss keeps going down but the VALIDATION loss starts going up (overfitting).
Early stopping is a regularisation: it watches the validation loss after every
epoch, stops once it has gone `patience` epochs without improving and, if
asked, returns the weights of the best epoch. It is the rule of
tf.keras.callbacks.EarlyStopping(monitor="val_loss", ...). Epochs are counted
from 0.
"""
import numpy as np

from backprop import binary_cross_entropy, forward
from sgd import train


def early_stopping(val_losses, patience, min_delta=0.0):
    """Decide cuándo parar / Decide when to stop.

    por época e: wait += 1; si val[e] < best - min_delta: best, best_epoch, wait = val[e], e, 0;
                 si no, si wait >= patience y e > 0: parar en e
    per epoch e: wait += 1; if val[e] < best - min_delta: best, best_epoch, wait = val[e], e, 0;
                 else if wait >= patience and e > 0: stop at e

    Español
    -------
    La regla de Keras: al empezar best = None y wait = 0; la primera época
    siempre es una mejora. Una época mejora si baja de best en MÁS de min_delta.
    Entradas:
    - val_losses: secuencia de floats, la pérdida de validación de cada época.
    - patience: int >= 0, cuántas épocas sin mejora se toleran.
    - min_delta: float >= 0, la mejora mínima que cuenta.
    Devuelve:
    - (stopped_epoch, best_epoch): la época en que se para (None si las
      pérdidas se acaban antes) y la de la mejor pérdida.
    Ejemplo: early_stopping([1.0, 0.8, 0.9, 0.85, 0.95], patience=2) = (3, 1):
    la época 1 es la mejor y tras 2 épocas sin mejorar (2 y 3) se para en la 3.

    English
    -------
    Keras's rule: at the start best = None and wait = 0; the first epoch is
    always an improvement. An epoch improves when it goes below best by MORE
    than min_delta.
    Inputs:
    - val_losses: sequence of floats, every epoch's validation loss.
    - patience: int >= 0, how many epochs without improvement are tolerated.
    - min_delta: float >= 0, the least improvement that counts.
    Returns:
    - (stopped_epoch, best_epoch): the epoch where training stops (None when
      the losses run out first) and the one with the best loss.
    Example: early_stopping([1.0, 0.8, 0.9, 0.85, 0.95], patience=2) = (3, 1):
    epoch 1 is the best and after 2 epochs without improvement (2 and 3) it
    stops at 3.
    """
    val_losses = [float(v) for v in np.asarray(val_losses, dtype=np.float64).reshape(-1)]
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience and epoch > 0:
            return epoch, best_epoch
    return None, best_epoch
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs, patience,
                              min_delta=0.0, restore_best_weights=True, rng=None):
    """Entrena con SGD y parada temprana / Train with SGD and early stopping.

    por época: sgd.train una época → pérdida de validación → ¿parar? (regla de early_stopping)
    per epoch: sgd.train for one epoch → validation loss → stop? (the early_stopping rule)

    Español
    -------
    Entrena de época en época con sgd.train(..., epochs=1, rng=rng). Tras cada
    época e, history[e] es la pérdida de entrenamiento que devuelve sgd.train y
    val_history[e] la binary_cross_entropy de la red en (X_val, Y_val). Para con
    la regla de early_stopping, o tras max_epochs. Con restore_best_weights
    devuelve los pesos que había tras best_epoch; si no, los últimos. No
    modifica `params`. Con rng=None coincide con Keras
    fit(validation_data=(X_val, Y_val), shuffle=False,
    callbacks=[EarlyStopping(monitor="val_loss", patience, min_delta, restore_best_weights)]).
    Entradas:
    - X, Y: entrenamiento (N, D) y (N, K);  X_val, Y_val: validación (M, D), (M, K).
    - params: lista de tuplas (W_l, b_l), los pesos iniciales.
    - lr: float η;  batch_size: int;  max_epochs: int;  patience: int;  min_delta: float.
    - restore_best_weights: bool;  rng: None o numpy.random.Generator.
    Devuelve:
    - (params, history, val_history, stopped_epoch, best_epoch): los pesos, dos
      listas de floats (una entrada por época entrenada), la época de parada
      (None si se llegó a max_epochs) y la mejor época.
    Ejemplo: si se para en la época 7 con la mejor en la 4, history y
    val_history tienen 8 entradas y los pesos son los de tras la época 4.

    English
    -------
    Trains one epoch at a time with sgd.train(..., epochs=1, rng=rng). After
    each epoch e, history[e] is the training loss sgd.train returns and
    val_history[e] the network's binary_cross_entropy on (X_val, Y_val). Stops
    by the early_stopping rule, or after max_epochs. With restore_best_weights
    it returns the weights as they were after best_epoch; otherwise the last
    ones. Does not modify `params`. With rng=None it matches Keras
    fit(validation_data=(X_val, Y_val), shuffle=False,
    callbacks=[EarlyStopping(monitor="val_loss", patience, min_delta, restore_best_weights)]).
    Inputs:
    - X, Y: training (N, D) and (N, K);  X_val, Y_val: validation (M, D), (M, K).
    - params: list of tuples (W_l, b_l), the initial weights.
    - lr: float η;  batch_size: int;  max_epochs: int;  patience: int;  min_delta: float.
    - restore_best_weights: bool;  rng: None or numpy.random.Generator.
    Returns:
    - (params, history, val_history, stopped_epoch, best_epoch): the weights,
      two lists of floats (one entry per epoch trained), the epoch where it
      stopped (None when it reached max_epochs) and the best epoch.
    Example: stopping at epoch 7 with the best at epoch 4, history and
    val_history hold 8 entries and the weights are those after epoch 4.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    X_val = np.asarray(X_val, dtype=np.float64)
    Y_val = np.asarray(Y_val, dtype=np.float64)
    params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    history, val_history = [], []
    best, best_epoch, best_params, wait = None, 0, params, 0
    stopped_epoch = None
    for epoch in range(max_epochs):
        params, losses = train(X, Y, params, lr, batch_size, 1, rng)
        history.append(float(losses[-1]))
        val_history.append(float(binary_cross_entropy(forward(X_val, params)[0], Y_val)))
        wait += 1
        if best is None or val_history[-1] < best - min_delta:
            best, best_epoch, best_params, wait = val_history[-1], epoch, params, 0
        elif wait >= patience and epoch > 0:
            stopped_epoch = epoch
            break
    if restore_best_weights:
        params = best_params
    return params, history, val_history, stopped_epoch, best_epoch
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
