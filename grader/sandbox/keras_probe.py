"""Runs INSIDE a Keras worker (profile "keras"): the student's Keras objects as plain data.

The judge never imports TensorFlow and never receives a Keras object: the
checks of the Keras lab call the functions below in the worker
(``student.call("keras_probe", "describe_mlp", ...)``), which call the
student's ``keras_lab`` functions there and send back only plain data (layer
types, units, activations, dropout rates, parameter count, compile and fit
settings, callbacks, the history and a validation accuracy).

The judge ships this file into the worker with the student's files (it cannot
be read from the grader's package there). Like everything in the worker, its
replies are untrusted data for the judge: the checks test them against the
contract, never take them as a verdict.

TensorFlow and Keras are imported before student code runs (the profile's
``preload``), with 2 threads per pool and op determinism: a fixed seed gives the same
run every time. They train on the CPU (the sandbox's /dev has no GPU node), or on the GPU
whose nodes the batch bound into this worker (grader.sandbox.devices).
"""

import inspect
import logging

import numpy as np

import keras

# TensorFlow's own log lines (retracing notes, at WARNING) are not the student's output
logging.getLogger("tensorflow").setLevel(logging.ERROR)

_tf = None
if keras.backend.backend() == "tensorflow":   # deterministic kernels (JAX: XLA's flags)
    try:
        import tensorflow as _tf

        _tf.config.experimental.enable_op_determinism()
    except Exception:  # noqa: BLE001 - already set
        pass


def _name(obj):
    """A plain name for an activation, loss, metric or optimizer object."""
    if obj is None:
        return None
    if isinstance(obj, str):
        return obj
    for attr in ("name", "__name__"):
        value = getattr(obj, attr, None)
        if isinstance(value, str):
            return value
    return type(obj).__name__


def _number(value):
    try:
        return float(np.asarray(keras.ops.convert_to_numpy(value)))
    except Exception:  # noqa: BLE001
        try:
            return float(value)
        except Exception:  # noqa: BLE001
            return None


def _layer(layer):
    out = {"type": type(layer).__name__, "name": layer.name}
    if hasattr(layer, "units"):
        out["units"] = int(layer.units)
    if hasattr(layer, "activation"):
        out["activation"] = _name(layer.activation)
    if hasattr(layer, "rate"):
        out["rate"] = float(layer.rate)
    if hasattr(layer, "use_bias"):
        out["use_bias"] = bool(layer.use_bias)
    return out


def _describe(model):
    """What a model is, as plain data."""
    if not isinstance(model, keras.Model):
        return {"is_model": False, "type": type(model).__name__}
    try:
        params = int(model.count_params())
    except Exception:  # noqa: BLE001 - an unbuilt model has no parameters yet
        params = None
    try:
        input_shape = [None if d is None else int(d) for d in model.inputs[0].shape]
    except Exception:  # noqa: BLE001
        input_shape = None
    return {"is_model": True, "type": type(model).__name__,
            "layers": [_layer(layer) for layer in model.layers],
            "params": params, "input_shape": input_shape,
            "compiled": bool(getattr(model, "compiled", False))}


def describe_mlp(n_inputs, hidden, n_outputs=1, dropout_rate=0.0):
    """The student's ``build_mlp(...)`` described: ``{"is_model", "type", "layers", "params", ...}``."""
    import keras_lab

    return _describe(keras_lab.build_mlp(int(n_inputs), [int(h) for h in hidden],
                                         int(n_outputs), float(dropout_rate)))


def _reference_mlp(n_inputs, hidden, n_outputs, dropout_rate, seed):
    """The contract's network, built here so that compile_and_fit is graded on its own."""
    keras.utils.set_random_seed(int(seed) + 1000)
    layers = [keras.Input((int(n_inputs),))]
    for units in hidden:
        layers.append(keras.layers.Dense(int(units), activation="relu"))
        if dropout_rate > 0:
            layers.append(keras.layers.Dropout(float(dropout_rate)))
    layers.append(keras.layers.Dense(int(n_outputs),
                                     activation="sigmoid" if n_outputs == 1 else "softmax"))
    return keras.Sequential(layers)


def _arguments(method, args, kwargs):
    """The arguments of a call by parameter name, however they were passed."""
    try:
        return dict(inspect.signature(method).bind(*args, **kwargs).arguments)
    except TypeError:
        return dict(kwargs)


def _recording(model):
    """Wrap the instance's compile and fit so that the arguments they get are kept."""
    seen = {"compile": [], "fit": []}
    compile_, fit = model.compile, model.fit

    def compile_recorded(*args, **kwargs):
        seen["compile"].append(_arguments(compile_, args, kwargs))
        return compile_(*args, **kwargs)

    def fit_recorded(*args, **kwargs):
        seen["fit"].append(_arguments(fit, args, kwargs))
        return fit(*args, **kwargs)

    model.compile, model.fit = compile_recorded, fit_recorded
    return seen


def _callback(cb):
    out = {"type": type(cb).__name__}
    for attr in ("monitor", "patience", "restore_best_weights", "min_delta", "mode",
                 "start_from_epoch", "baseline"):
        if hasattr(cb, attr):
            value = getattr(cb, attr)
            out[attr] = value if isinstance(value, (bool, int, float, str, type(None))) else str(value)
    if hasattr(cb, "stopped_epoch"):
        out["stopped_epoch"] = int(cb.stopped_epoch)
    if hasattr(cb, "best_epoch"):
        out["best_epoch"] = int(cb.best_epoch)
    return out


def _accuracy(model, X, Y):
    P = np.asarray(model.predict(np.asarray(X, dtype=np.float32), verbose=0), dtype=np.float64)
    Y = np.asarray(Y)
    if P.ndim != 2 or P.shape[0] != Y.shape[0]:
        return None
    if P.shape[1] == 1:
        return float(np.mean((P[:, 0] > 0.5) == (Y[:, 0] > 0.5)))
    return float(np.mean(np.argmax(P, axis=1) == np.argmax(Y, axis=1)))


def fit_mlp(n_inputs, hidden, n_outputs, dropout_rate, X, Y, X_val, Y_val, lr, batch_size, epochs,
            patience, seed=0, build="reference"):
    """The student's ``compile_and_fit`` on a network, described as plain data.

    ``build="reference"`` trains the contract's network (so compile_and_fit is
    graded alone); ``build="student"`` trains the student's ``build_mlp``.

    Returns: dict with ``"returned"`` (the type of what came back), ``"history"``
    ({metric: [per epoch]}), ``"compile"`` (optimizer class and learning rate,
    loss, metrics as passed), ``"fit"`` (batch_size, epochs, shuffle, whether
    validation data was given), ``"callbacks"`` (type and settings of each),
    ``"epochs_run"``, ``"val_accuracy"`` (the returned model on the validation
    set), ``"model"`` (its description) and ``"weights"`` (after training).

    All of it is what the student's process says: the checks hold the settings against
    a run of the REFERENCE compile_and_fit in a worker without student code, and compute
    the validation accuracy themselves from the weights (tests/checks/keras_lab).
    """
    import keras_lab

    hidden = [int(h) for h in hidden]
    if build == "student":
        keras.utils.set_random_seed(int(seed) + 1000)
        model = keras_lab.build_mlp(int(n_inputs), hidden, int(n_outputs), float(dropout_rate))
    else:
        model = _reference_mlp(n_inputs, hidden, int(n_outputs), float(dropout_rate), seed)
    seen = _recording(model) if isinstance(model, keras.Model) else {"compile": [], "fit": []}
    returned = keras_lab.compile_and_fit(model, np.asarray(X), np.asarray(Y), np.asarray(X_val),
                                         np.asarray(Y_val), float(lr), int(batch_size),
                                         int(epochs), int(patience), seed=int(seed))
    history = getattr(returned, "history", None)
    out = {"returned": type(returned).__name__,
           "history": ({str(k): [float(v) for v in vs] for k, vs in history.items()}
                       if isinstance(history, dict) else None),
           "model": _describe(model)}
    optimizer = getattr(model, "optimizer", None)
    out["compile"] = {
        "calls": len(seen["compile"]),
        "optimizer": type(optimizer).__name__ if optimizer is not None else None,
        "learning_rate": _number(getattr(optimizer, "learning_rate", None)),
        "loss": _name(getattr(model, "loss", None)),
        "metrics": [_name(m) for m in (seen["compile"][-1].get("metrics") or [])]
        if seen["compile"] else [],
    }
    fit = seen["fit"][-1] if seen["fit"] else {}
    callbacks = fit.get("callbacks") or []
    out["fit"] = {"calls": len(seen["fit"]), "batch_size": fit.get("batch_size"),
                  "epochs": fit.get("epochs"), "validation_data": fit.get("validation_data")
                  is not None, "shuffle": fit.get("shuffle", True)}
    out["callbacks"] = [_callback(cb) for cb in callbacks]
    out["epochs_run"] = len(next(iter(history.values()))) if isinstance(history, dict) and history else 0
    out["val_accuracy"] = _accuracy(model, X_val, Y_val) if isinstance(model, keras.Model) else None
    out["weights"] = _weights(model)
    return out


def devices():
    """The devices TensorFlow placed this worker's work on (``["CPU:0", "GPU:0"]``): what
    the worker says, for the record (the proof script of the GPU path prints it)."""
    if _tf is not None:
        return [d.name.split("device:")[-1] for d in _tf.config.list_logical_devices()]
    if keras.backend.backend() == "jax":
        import jax

        return [f"{d.platform.upper()}:{d.id}" for d in jax.devices()]
    return [str(keras.backend.backend())]


def _weights(model):
    """The model's weights after training (float64 arrays), or None."""
    try:
        return [np.asarray(w, dtype=np.float64) for w in model.get_weights()]
    except Exception:  # noqa: BLE001 - not a model, or not built
        return None
