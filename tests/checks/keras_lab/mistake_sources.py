"""Student-style sources of the named mistakes of keras_lab.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` holds correct
implementations written differently (a list of layers, Loss and Metric objects,
the callback built apart), which must get full marks.
"""

_BUILD = """
        def build_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
            import keras
            layers = [keras.Input(shape=(n_inputs,))]
            for h in hidden:
                layers.append(keras.layers.Dense(h{hidden_activation}))
                {dropout}
            layers.append(keras.layers.Dense(n_outputs, activation={output}))
            {after}
            return keras.Sequential(layers)
        """


def _build(hidden_activation=', activation="relu"',
           dropout="if dropout_rate > 0: layers.append(keras.layers.Dropout(dropout_rate))",
           output='"sigmoid" if n_outputs == 1 else "softmax"', after=""):
    return _BUILD.format(hidden_activation=hidden_activation, dropout=dropout, output=output,
                         after=after)


_FIT = """
        def compile_and_fit(model, X, Y, X_val, Y_val, lr, batch_size, epochs, patience, seed=0):
            import keras
            keras.utils.set_random_seed(seed)
            n_out = model.output_shape[-1]
            model.compile(optimizer={optimizer}, loss={loss}, metrics={metrics})
            stop = keras.callbacks.EarlyStopping({stop})
            return model.fit(X, Y, {validation}batch_size=batch_size, epochs=epochs,
                             callbacks={callbacks}, verbose=0)
        """


def _fit(optimizer="keras.optimizers.Adam(learning_rate=lr)",
         loss='"binary_crossentropy" if n_out == 1 else "categorical_crossentropy"',
         metrics='["accuracy"]',
         stop='monitor="val_loss", patience=patience, restore_best_weights=True',
         validation="validation_data=(X_val, Y_val), ", callbacks="[stop]"):
    return _FIT.format(optimizer=optimizer, loss=loss, metrics=metrics, stop=stop,
                       validation=validation, callbacks=callbacks)


WRONG = {
    "hidden_layers_without_activation": [("build_mlp", _build(hidden_activation=""))],
    "hidden_activation_not_relu": [("build_mlp", _build(
        hidden_activation=', activation="sigmoid"'))],
    "softmax_on_single_output": [("build_mlp", _build(output='"softmax"'))],
    "sigmoid_on_several_outputs": [("build_mlp", _build(output='"sigmoid"'))],
    "dropout_after_output_layer": [("build_mlp", _build(
        dropout="pass", after="layers.append(keras.layers.Dropout(dropout_rate))"))],
    "dropout_with_rate_zero": [("build_mlp", _build(
        dropout="layers.append(keras.layers.Dropout(dropout_rate))"))],
    "loss_does_not_fit_output": [("compile_and_fit", _fit(loss='"categorical_crossentropy"')),
                                 ("compile_and_fit", _fit(loss='"binary_crossentropy"')),
                                 ("compile_and_fit", _fit(loss='"mse"'))],
    "optimizer_not_adam": [("compile_and_fit", _fit(
        optimizer="keras.optimizers.SGD(learning_rate=lr)"))],
    "learning_rate_not_passed": [("compile_and_fit", _fit(optimizer='"adam"'))],
    "accuracy_metric_missing": [("compile_and_fit", _fit(metrics="None"))],
    "validation_data_missing": [("compile_and_fit", _fit(validation=""))],
    "early_stopping_missing": [("compile_and_fit", _fit(callbacks="[]"))],
    "early_stopping_not_on_val_loss": [("compile_and_fit", _fit(
        stop='monitor="loss", patience=patience, restore_best_weights=True'))],
    "early_stopping_without_restore_best_weights": [("compile_and_fit", _fit(
        stop='monitor="val_loss", patience=patience'))],
}

RIGHT = {
    "build_mlp": """
        def build_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
            import keras
            from keras import layers
            stack = [keras.Input((n_inputs,))]
            for units in hidden:
                stack += [layers.Dense(units, activation=keras.activations.relu)]
                stack += [layers.Dropout(dropout_rate)] if dropout_rate else []
            out = "softmax" if n_outputs > 1 else "sigmoid"
            return keras.Sequential(stack + [layers.Dense(n_outputs, activation=out)])
        """,
    "compile_and_fit": """
        def compile_and_fit(model, X, Y, X_val, Y_val, lr, batch_size, epochs, patience, seed=0):
            import keras
            keras.utils.set_random_seed(seed)
            if model.outputs[0].shape[-1] == 1:
                loss = keras.losses.BinaryCrossentropy()
            else:
                loss = keras.losses.CategoricalCrossentropy()
            model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss,
                          metrics=[keras.metrics.BinaryAccuracy(name="accuracy")
                                   if model.outputs[0].shape[-1] == 1 else "accuracy"])
            callbacks = [keras.callbacks.EarlyStopping("val_loss", patience=patience,
                                                       restore_best_weights=True)]
            history = model.fit(X, Y, batch_size, epochs, verbose=0, callbacks=callbacks,
                                validation_data=(X_val, Y_val))
            return history
        """,
}
