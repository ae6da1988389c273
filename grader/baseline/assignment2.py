"""What Keras computes for assignment 2's "as Keras computes it" clauses (plain data in, NumPy out).

- ``activations2``: ``keras.activations.leaky_relu(z, negative_slope=alpha)`` and
  ``keras.activations.silu`` with their derivatives by automatic differentiation;
- ``losses``: ``keras.losses.MeanSquaredError`` (and its gradient with respect
  to the predictions), ``keras.activations.softmax``,
  ``keras.losses.CategoricalCrossentropy()`` on probabilities, and the gradient
  of that loss composed with the softmax with respect to the logits;
- ``optimizer_steps``: one parameter array updated by ``SGD(momentum)``,
  ``RMSprop`` or ``Adam`` with given gradients, step after step;
- ``fit_optimizer``: the exercises' network (grader.baseline.model) trained by
  ``model.fit(..., shuffle=False)`` with one of those optimizers;
- ``fit_early_stopping``: the same, with ``validation_data`` and
  ``keras.callbacks.EarlyStopping(monitor="val_loss", ...)``.

Keras 3 keeps a few hyperparameters in float32 even under ``floatx="float64"``
(leaky ReLU's slope, SGD's momentum, Adam's betas): the callers pass values
exact in float32 (0.25, 0.875, 1 - 2**-9) so that the float64 comparison holds
at round-off level. Everything runs under ``keras.device`` of ``select_device``
and is cached with ``grader.baseline.cached`` by the Keras checks
(grader.baseline.assignment2_suite).
"""

from __future__ import annotations

import numpy as np

from grader.baseline.backend import keras_module, select_device
from grader.baseline.model import (_as_data, _as_params, _build, _gradient, _numpy, _pairs,
                                   _probabilities, _training_loss)

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def _reported_loss(keras, Y: np.ndarray, probabilities: np.ndarray) -> float:
    """The exercises' binary cross-entropy: clipped probabilities, sum over outputs, mean over
    samples (as grader.baseline.model explains)."""
    per_entry = keras.ops.binary_crossentropy(Y, np.asarray(probabilities), from_logits=False)
    return float(_numpy(keras, keras.ops.sum(per_entry))) / Y.shape[0]


def _batches(keras, X, Y, batch_size: int) -> dict:
    """``model.fit``'s data arguments: batches of rows in order (shuffle=False)."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        return {"x": tf.data.Dataset.from_tensor_slices((X, Y)).batch(batch_size)}
    return {"x": X, "y": Y, "batch_size": batch_size}


def _epoch_recorder(keras, X, Y):
    """A callback recording the exercises' loss on (X, Y) after each epoch."""

    class EpochRecorder(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.losses = []

        def on_epoch_end(self, epoch, logs=None):
            self.losses.append(_reported_loss(keras, Y, _probabilities(keras, self.model, X)))

    return EpochRecorder()


def activations2(z, alpha: float, *, device: str = "auto", lang: str | None = None) -> dict:
    """Keras's leaky ReLU (slope ``alpha``) and SiLU at ``z``, and their autodiff derivatives.

    Returns: dict of float64 arrays shaped like ``z``: ``"leaky_relu"``,
    ``"leaky_relu_derivative"``, ``"swish"``, ``"swish_derivative"``.
    """
    info = select_device(device, lang)
    keras = keras_module()
    z = np.asarray(z, dtype=np.float64)
    functions = {
        "leaky_relu": lambda x: keras.activations.leaky_relu(x, negative_slope=float(alpha)),
        "swish": keras.activations.silu,
    }
    out = {}
    with keras.device(info.device_name):
        for name, f in functions.items():
            out[name] = _numpy(keras, f(z)).reshape(z.shape)
            out[f"{name}_derivative"] = _gradient(
                keras, lambda x, f=f: keras.ops.sum(f(x)), z).reshape(z.shape)
    return out


def losses(A, Y, Z, Y_onehot, *, device: str = "auto", lang: str | None = None) -> dict:
    """Keras's MSE, softmax and categorical cross-entropy, and the gradients the exercises ask.

    Inputs:
    - A, Y: (N, K) predictions and targets for the MSE
    - Z: (M, C) logits;  Y_onehot: (M, C) one-hot rows

    Returns: dict of float64 values: ``"mse"`` (float), ``"mse_gradient"`` (N, K),
    ``"softmax"`` (M, C), ``"cce"`` (float, CategoricalCrossentropy() on
    ``softmax(Z)`` as plain probabilities), ``"softmax_cce_gradient"`` (M, C, the
    gradient of that loss with respect to ``Z``).
    """
    info = select_device(device, lang)
    keras = keras_module()
    A, Y = np.asarray(A, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    Z, T = np.asarray(Z, dtype=np.float64), np.asarray(Y_onehot, dtype=np.float64)
    with keras.device(info.device_name):
        mse = keras.losses.MeanSquaredError(dtype="float64")
        cce = keras.losses.CategoricalCrossentropy(dtype="float64")
        probabilities = _numpy(keras, keras.activations.softmax(Z))
        return {
            # Keras on JAX averages float64 in float32 (keras.ops.mean; see model.py): the
            # MSE and its gradient are only float32-accurate there, and the checks say so.
            "float32": ["mse", "mse_gradient"] if keras.backend.backend() == "jax" else [],
            "mse": float(_numpy(keras, mse(Y, A))),
            "mse_gradient": _gradient(keras, lambda a: mse(Y, a), A),
            "softmax": probabilities,
            # A fresh NumPy array: no logits attached, the loss sees probabilities.
            "cce": float(_numpy(keras, cce(T, np.array(probabilities)))),
            "softmax_cce_gradient": _gradient(
                keras, lambda z: cce(T, keras.activations.softmax(z)), Z),
        }


def _optimizer(keras, name: str, lr: float, hyper: dict):
    """A Keras optimizer for one of ``OPTIMIZERS`` with the exercises' hyperparameter names."""
    hyper = dict(hyper)
    if name == "sgd":
        return keras.optimizers.SGD(learning_rate=float(lr))
    if name == "momentum":
        return keras.optimizers.SGD(learning_rate=float(lr),
                                    momentum=float(hyper.pop("momentum", 0.9)))
    if name == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate=float(lr), rho=float(hyper.pop("rho", 0.9)),
                                        epsilon=float(hyper.pop("eps", 1e-7)))
    if name == "adam":
        return keras.optimizers.Adam(learning_rate=float(lr),
                                     beta_1=float(hyper.pop("beta_1", 0.9)),
                                     beta_2=float(hyper.pop("beta_2", 0.999)),
                                     epsilon=float(hyper.pop("eps", 1e-7)))
    raise ValueError(f"unknown optimizer {name!r}")


def optimizer_steps(name: str, w0, grads, lr: float, hyper: dict | None = None, *,
                    device: str = "auto", lang: str | None = None) -> np.ndarray:
    """One variable holding ``w0`` updated by Keras's optimizer with ``grads[0]``, ``grads[1]``, ...

    Inputs:
    - name: ``"momentum" | "rmsprop" | "adam"`` (or ``"sgd"``)
    - w0: array of any shape; grads: (T, *w0.shape), one gradient per step
    - lr, hyper: the learning rate and the exercises' hyperparameters
      (``momentum``; ``rho``, ``eps``; ``beta_1``, ``beta_2``, ``eps``)

    Returns: (T, *w0.shape) float64, the variable after each step.
    """
    info = select_device(device, lang)
    keras = keras_module()
    w0 = np.asarray(w0, dtype=np.float64)
    grads = np.asarray(grads, dtype=np.float64)
    with keras.device(info.device_name):
        variable = keras.Variable(w0, dtype="float64")
        optimizer = _optimizer(keras, name, lr, hyper or {})
        after = []
        for g in grads:
            optimizer.apply([keras.ops.convert_to_tensor(g)], [variable])
            after.append(_numpy(keras, variable.value))
    return np.stack(after)


def fit_optimizer(params, X, Y, optimizer: str, lr: float, batch_size: int, epochs: int,
                  hyper: dict | None = None, *, device: str = "auto",
                  lang: str | None = None) -> dict:
    """The exercises' network trained by ``model.fit(..., shuffle=False)`` with ``optimizer``.

    What the exercises' ``optimizers.train`` does with ``rng=None``.

    Returns: dict with ``"history"`` ((epochs,) the exercises' binary cross-entropy on the
    whole training set after each epoch) and ``"weights"`` (final list of ``(W, b)``).
    """
    params = _as_params(params)
    X, Y = _as_data(X, Y, n_in=params[0][0].shape[0])
    info = select_device(device, lang)
    keras = keras_module()
    with keras.device(info.device_name):
        model = _build(keras, params)
        model.compile(optimizer=_optimizer(keras, optimizer, lr, hyper or {}),
                      loss=_training_loss(keras), jit_compile=False)
        recorder = _epoch_recorder(keras, X, Y)
        model.fit(**_batches(keras, X, Y, int(batch_size)), epochs=int(epochs), shuffle=False,
                  verbose=0, callbacks=[recorder])
        return {"history": np.asarray(recorder.losses, dtype=np.float64),
                "weights": _pairs(model.get_weights())}


def fit_early_stopping(params, X, Y, X_val, Y_val, lr: float, batch_size: int, max_epochs: int,
                       patience: int, min_delta: float = 0.0, restore_best_weights: bool = True,
                       *, device: str = "auto", lang: str | None = None) -> dict:
    """``model.fit(validation_data=..., shuffle=False)`` with SGD(lr) and ``EarlyStopping``.

    ``EarlyStopping(monitor="val_loss", patience, min_delta, restore_best_weights)``
    decides on Keras's ``val_loss`` (the fused sigmoid + BCE of the validation
    set, equal to the exercises' clipped BCE up to round-off away from saturation).

    Returns: dict with ``"history"`` and ``"val_history"`` (the exercises' BCE on the
    training and validation sets after each epoch run), ``"keras_val_loss"``
    (Keras's own ``val_loss`` log), ``"stopped_epoch"`` (None when fit ran
    ``max_epochs``), ``"best_epoch"`` and ``"weights"`` (what fit left in the model).
    """
    params = _as_params(params)
    X, Y = _as_data(X, Y, n_in=params[0][0].shape[0])
    X_val, Y_val = _as_data(X_val, Y_val, n_in=params[0][0].shape[0])
    info = select_device(device, lang)
    keras = keras_module()
    with keras.device(info.device_name):
        model = _build(keras, params)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=float(lr)),
                      loss=_training_loss(keras), jit_compile=False)
        recorder = _epoch_recorder(keras, X, Y)
        val_losses = []

        class ValRecorder(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                val_losses.append(_reported_loss(keras, Y_val,
                                                 _probabilities(keras, self.model, X_val)))

        stopper = keras.callbacks.EarlyStopping(monitor="val_loss", patience=int(patience),
                                                min_delta=float(min_delta),
                                                restore_best_weights=bool(restore_best_weights))
        fitted = model.fit(**_batches(keras, X, Y, int(batch_size)),
                           validation_data=(X_val, Y_val), epochs=int(max_epochs),
                           shuffle=False, verbose=0,
                           callbacks=[recorder, ValRecorder(), stopper])
        return {"history": np.asarray(recorder.losses, dtype=np.float64),
                "val_history": np.asarray(val_losses, dtype=np.float64),
                "keras_val_loss": np.asarray(fitted.history["val_loss"], dtype=np.float64),
                "stopped_epoch": int(stopper.stopped_epoch) or None,
                "best_epoch": int(stopper.best_epoch),
                "weights": _pairs(model.get_weights())}


__all__ = ["OPTIMIZERS", "activations2", "fit_early_stopping", "fit_optimizer", "losses",
           "optimizer_steps"]
