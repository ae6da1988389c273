"""Laboratorio de Keras: una red densa con dropout y parada temprana / Keras lab: a dense network with dropout and early stopping.

Español
-------
Aquí escribes código de Keras, como en los laboratorios del curso: una red
secuencial (`keras.Sequential`) de capas `Dense`, con `Dropout` entre ellas, que
se compila con Adam y se entrena con `model.fit` y el callback `EarlyStopping`.
Recuerda las ideas del curso: sin una activación no lineal en las capas ocultas
la red entera es lineal (apilar capas no sirve de nada); la salida y la pérdida
van juntas (una salida: sigmoide y entropía cruzada binaria; varias clases:
softmax y entropía cruzada categórica); el dropout se aplica a capas ocultas,
nunca a la salida. Keras se importa dentro de cada función.

English
-------
Here you write Keras code, as in the course's labs: a sequential network
(`keras.Sequential`) of `Dense` layers, with `Dropout` between them, compiled
with Adam and trained with `model.fit` and the `EarlyStopping` callback.
Remember the course's points: without a non-linear activation on the hidden
layers the whole network is linear (stacking layers is pointless); the output
and the loss go together (one output: sigmoid and binary cross-entropy; several
classes: softmax and categorical cross-entropy); dropout goes on hidden layers,
never on the output. Keras is imported inside each function.
"""


def build_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
    """Una red densa de Keras, sin compilar / An uncompiled dense Keras network.

    Input(n_inputs) → [Dense(h, relu) → Dropout(dropout_rate)] por cada/for each h → Dense(n_outputs)

    Español
    -------
    Un `keras.Sequential`: primero `keras.Input((n_inputs,))`; luego, por cada
    tamaño de `hidden`, una capa `Dense(tamaño, activation="relu")` seguida de
    `Dropout(dropout_rate)` solo si dropout_rate > 0; al final
    `Dense(n_outputs)` con activación "sigmoid" si n_outputs == 1, si no "softmax".
    No la compiles.
    Entradas:
    - n_inputs: int, número de variables de entrada.
    - hidden: lista de int, las neuronas de cada capa oculta (p. ej. [16, 8]).
    - n_outputs: int, 1 para clasificación binaria, K para K clases.
    - dropout_rate: float en [0, 1), la fracción de unidades que se apagan.
    Devuelve:
    - un keras.Sequential sin compilar.
    Ejemplo: build_mlp(2, [8]) tiene (2+1)·8 + (8+1)·1 = 33 parámetros.

    English
    -------
    A `keras.Sequential`: first `keras.Input((n_inputs,))`; then, for each size
    in `hidden`, a `Dense(size, activation="relu")` layer followed by
    `Dropout(dropout_rate)` only when dropout_rate > 0; last `Dense(n_outputs)`
    with the "sigmoid" activation when n_outputs == 1, else "softmax".
    Do not compile it.
    Inputs:
    - n_inputs: int, the number of input variables.
    - hidden: list of int, the units of each hidden layer (e.g. [16, 8]).
    - n_outputs: int, 1 for binary classification, K for K classes.
    - dropout_rate: float in [0, 1), the fraction of units dropped.
    Returns:
    - an uncompiled keras.Sequential.
    Example: build_mlp(2, [8]) has (2+1)·8 + (8+1)·1 = 33 parameters.
    """
    import keras

    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa keras_lab.build_mlp() / Exercise not done yet: implement keras_lab.build_mlp()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<


def compile_and_fit(model, X, Y, X_val, Y_val, lr, batch_size, epochs, patience, seed=0):
    """Compila y entrena con parada temprana / Compile and train with early stopping.

    Adam(lr) · pérdida/loss: binary_crossentropy (1 salida/output) o/or categorical_crossentropy
    fit(X, Y, validation_data=(X_val, Y_val), callbacks=[EarlyStopping(val_loss, patience, restore_best_weights=True)])

    Español
    -------
    1. `keras.utils.set_random_seed(seed)` primero (resultados repetibles).
    2. `model.compile` con `keras.optimizers.Adam(learning_rate=lr)`, la pérdida
       "binary_crossentropy" si el modelo tiene una salida, si no
       "categorical_crossentropy", y `metrics=["accuracy"]`.
    3. `model.fit(X, Y, validation_data=(X_val, Y_val), batch_size=batch_size,
       epochs=epochs, callbacks=[EarlyStopping(monitor="val_loss",
       patience=patience, restore_best_weights=True)], verbose=0)`.
    Entradas:
    - model: un modelo de Keras sin compilar (p. ej. de build_mlp).
    - X: (N, D), Y: (N, K) objetivos 0/1 (filas one-hot si K > 1).
    - X_val, Y_val: el conjunto de validación, mismas columnas.
    - lr: float, tasa de aprendizaje; batch_size, epochs, patience: int.
    - seed: int, la semilla.
    Devuelve:
    - el keras.callbacks.History que devuelve model.fit.

    English
    -------
    1. `keras.utils.set_random_seed(seed)` first (repeatable results).
    2. `model.compile` with `keras.optimizers.Adam(learning_rate=lr)`, the loss
       "binary_crossentropy" when the model has one output, else
       "categorical_crossentropy", and `metrics=["accuracy"]`.
    3. `model.fit(X, Y, validation_data=(X_val, Y_val), batch_size=batch_size,
       epochs=epochs, callbacks=[EarlyStopping(monitor="val_loss",
       patience=patience, restore_best_weights=True)], verbose=0)`.
    Inputs:
    - model: an uncompiled Keras model (e.g. from build_mlp).
    - X: (N, D), Y: (N, K) 0/1 targets (one-hot rows when K > 1).
    - X_val, Y_val: the validation set, same columns.
    - lr: float, the learning rate; batch_size, epochs, patience: int.
    - seed: int, the seed.
    Returns:
    - the keras.callbacks.History that model.fit returns.
    """
    import keras

    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    raise NotImplementedError("Ejercicio pendiente: implementa keras_lab.compile_and_fit() / Exercise not done yet: implement keras_lab.compile_and_fit()")
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<
