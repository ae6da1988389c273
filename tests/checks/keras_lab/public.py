"""Public checks of keras_lab.py: the student's Keras code, run in a Keras worker.

The judge never imports Keras: ``student.call("keras_probe", ...)`` runs the
student's functions in the worker (grader/sandbox/keras_probe.py) and returns
plain data (layers, parameter count, compile and fit settings, callbacks,
history, validation accuracy), checked here against the contract.
"""

import hashlib

import numpy as np
import pytest

from grader import datasets
from grader.baseline.suite import SKIP_KEY, keras_importable
from grader.checks.expect import expect_true, fail

# The course data set of the training checks: moons (n=400, noise 0.15, seed 3), 300
# samples to train and 100 to validate, a 2-32-1 network, Adam(0.05), batches of 30,
# at most 60 epochs, patience 10, seed 0. Measured in the worker (TensorFlow 2.21 CPU):
# the contract's lab reaches 0.98-0.99 validation accuracy (seeds 0 and 1), a linear
# network (no hidden activation) 0.91. MIN_VAL_ACCURACY sits between, 3 samples of 100
# from each: a float32 GPU run that changes a few predictions keeps the verdict.
MOONS = {"n": 400, "noise": 0.15, "seed": 3, "n_train": 300}
FIT = {"hidden": [32], "lr": 0.05, "batch_size": 30, "epochs": 60, "patience": 10, "seed": 0}
MIN_VAL_ACCURACY = 0.95
LR_RTOL = 1e-6      # Keras keeps the learning rate in float32


def expected_layers(hidden, n_outputs, dropout_rate):
    """The contract's layers (after the Input): type, units, activation, rate."""
    layers = []
    for units in hidden:
        layers.append({"type": "Dense", "units": int(units), "activation": "relu"})
        if dropout_rate > 0:
            layers.append({"type": "Dropout", "rate": float(dropout_rate)})
    layers.append({"type": "Dense", "units": int(n_outputs),
                   "activation": "sigmoid" if n_outputs == 1 else "softmax"})
    return layers


def expected_params(n_inputs, hidden, n_outputs):
    sizes = [int(n_inputs), *[int(h) for h in hidden], int(n_outputs)]
    return sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))


def _key(layer):
    if layer.get("type") == "Dropout":
        return ("Dropout", round(float(layer.get("rate", -1.0)), 9))
    return (layer.get("type"), layer.get("units"), layer.get("activation"))


def same_layers(got, expected) -> bool:
    return [_key(layer) for layer in got] == [_key(layer) for layer in expected]


def summary(layers) -> str:
    """``Dense(8, relu) → Dropout(0.3) → Dense(1, sigmoid)``."""
    parts = []
    for layer in layers:
        if layer.get("type") == "Dropout":
            parts.append(f"Dropout({layer.get('rate')})")
        elif layer.get("type") == "Dense":
            parts.append(f"Dense({layer.get('units')}, {layer.get('activation')})")
        else:
            parts.append(str(layer.get("type")))
    return " → ".join(parts) or "(no layers)"


def diagnose_layers(got, hidden, n_outputs, dropout_rate):
    """The named mistake that the layer list ``got`` shows, if one does."""
    dense = [layer for layer in got if layer.get("type") == "Dense"]
    dropouts = [i for i, layer in enumerate(got) if layer.get("type") == "Dropout"]
    if got and got[-1].get("type") == "Dropout":
        return "dropout_after_output_layer"
    if len(dense) == len(hidden) + 1:
        output, hidden_dense = dense[-1], dense[:-1]
        if any(layer.get("activation") in (None, "linear") for layer in hidden_dense):
            return "hidden_layers_without_activation"
        if any(layer.get("activation") != "relu" for layer in hidden_dense):
            return "hidden_activation_not_relu"
        if n_outputs == 1 and output.get("activation") == "softmax":
            return "softmax_on_single_output"
        if n_outputs > 1 and output.get("activation") == "sigmoid":
            return "sigmoid_on_several_outputs"
        if output.get("activation") in (None, "linear"):
            return "output_without_activation"
    if dropout_rate == 0 and dropouts:
        return "dropout_with_rate_zero"
    if dropout_rate > 0 and not dropouts:
        return "dropout_missing"
    return None


def loss_kind(name) -> str | None:
    """``"binary"``, ``"categorical"``, ``"sparse"``, ``"mse"`` or None, from a loss name."""
    if not isinstance(name, str):
        return None
    flat = name.lower().replace("_", "").replace(" ", "")
    if flat in ("binarycrossentropy", "bce"):
        return "binary"
    if flat in ("categoricalcrossentropy", "cce"):
        return "categorical"
    if flat.startswith("sparsecategorical"):
        return "sparse"
    if flat in ("mse", "meansquarederror"):
        return "mse"
    return flat


def early_stopping(callbacks):
    """The first EarlyStopping among the callbacks' descriptions, or None."""
    return next((cb for cb in callbacks or [] if cb.get("type") == "EarlyStopping"), None)


# -- what the checks share: the probe in the worker, and the contract's expectations --------
def probe(student, func, *args):
    """``keras_probe.<func>(*args)`` in the worker, once per student (fits take seconds)."""
    if not keras_importable():      # the worker imports TensorFlow + Keras from this install
        pytest.skip(SKIP_KEY)
    memo = vars(student).setdefault("_keras_lab_memo", {})
    key = (func, *(("array", a.shape, hashlib.sha256(a.tobytes()).hexdigest())
                   if isinstance(a, np.ndarray) else repr(a) for a in args))
    if key not in memo:
        try:
            memo[key] = (True, student.call("keras_probe", func, *args).value)
        except Exception as exc:  # noqa: BLE001 - the engine reports it; re-raised for each check
            memo[key] = (False, exc)
    ok, value = memo[key]
    if not ok:
        raise value
    return value


def moons():
    X, Y = datasets.moons(n=MOONS["n"], noise=MOONS["noise"], seed=MOONS["seed"])
    n = MOONS["n_train"]
    return X[:n], Y[:n], X[n:], Y[n:]


def expect_model(model, call):
    if not isinstance(model, dict) or not model.get("is_model"):
        fail("feedback.keras_lab_not_a_model", call=call,
             got=str(model.get("type") if isinstance(model, dict) else model))
    return model


def expect_layers(model, n_inputs, hidden, n_outputs, rate, call):
    expected = expected_layers(hidden, n_outputs, rate)
    got = model.get("layers") or []
    if not same_layers(got, expected):
        fail("feedback.keras_lab_layers", call=call, expected=summary(expected),
             got=summary(got),
             mistake=diagnose_layers(got, hidden, n_outputs, rate))
    params = expected_params(n_inputs, hidden, n_outputs)
    expect_true(model.get("params") == params, "feedback.keras_lab_params", call=call,
                expected=params, got=model.get("params"))


def fit_settings(student, hidden=(8,), n_outputs=1, epochs=4, patience=2, lr=0.01,
                 batch_size=25, seed=0):
    """compile_and_fit on the contract's network (built in the worker): its settings."""
    X, Y, X_val, Y_val = moons()
    if n_outputs > 1:
        Y, Y_val = np.hstack([1 - Y, Y]), np.hstack([1 - Y_val, Y_val])
    return probe(student, "fit_mlp", 2, list(hidden), n_outputs, 0.0, X, Y, X_val, Y_val, lr,
                 batch_size, epochs, patience, seed, "reference")


def expect_compile(run, n_outputs, lr, call):
    compiled = run["compile"]
    expect_true(compiled["calls"] >= 1, "feedback.keras_lab_not_compiled", call=call)
    kind = loss_kind(compiled["loss"])
    wanted = "binary" if n_outputs == 1 else "categorical"
    expect_true(kind == wanted, "feedback.keras_lab_loss", call=call,
                expected=f"{wanted}_crossentropy", got=str(compiled["loss"]),
                outputs=n_outputs, mistake="loss_does_not_fit_output")
    expect_true(compiled["optimizer"] == "Adam", "feedback.keras_lab_optimizer", call=call,
                got=str(compiled["optimizer"]), mistake="optimizer_not_adam")
    rate = compiled["learning_rate"]
    expect_true(rate is not None and abs(rate - lr) <= LR_RTOL * lr,
                "feedback.keras_lab_learning_rate", call=call, expected=lr, got=rate,
                mistake="learning_rate_not_passed")
    expect_true(any(m in ("accuracy", "acc") for m in compiled["metrics"]),
                "feedback.keras_lab_metrics", call=call, got=str(compiled["metrics"]),
                mistake="accuracy_metric_missing")


def expect_fit(run, *, batch_size, epochs, patience, call):
    fit = run["fit"]
    expect_true(fit["calls"] >= 1, "feedback.keras_lab_not_fitted", call=call)
    expect_true(fit["validation_data"], "feedback.keras_lab_no_validation", call=call,
                mistake="validation_data_missing")
    expect_true(fit["batch_size"] == batch_size and fit["epochs"] == epochs,
                "feedback.keras_lab_fit_args", call=call, batch_size=fit["batch_size"],
                epochs=fit["epochs"], expected_batch_size=batch_size, expected_epochs=epochs)
    stop = early_stopping(run["callbacks"])
    expect_true(stop is not None, "feedback.keras_lab_no_early_stopping", call=call,
                got=str([cb.get("type") for cb in run["callbacks"]]),
                mistake="early_stopping_missing")
    expect_true(stop.get("monitor") == "val_loss", "feedback.keras_lab_monitor", call=call,
                got=str(stop.get("monitor")), mistake="early_stopping_not_on_val_loss")
    expect_true(stop.get("patience") == patience, "feedback.keras_lab_patience", call=call,
                expected=patience, got=stop.get("patience"))
    expect_true(stop.get("restore_best_weights") is True, "feedback.keras_lab_restore", call=call,
                mistake="early_stopping_without_restore_best_weights")
    expect_true(run["returned"] == "History", "feedback.keras_lab_returned", call=call,
                got=run["returned"], mistake="history_not_returned")



def test_build_mlp_returns_an_uncompiled_sequential_with_an_input(student):
    call = "build_mlp(2, [8])"
    model = expect_model(probe(student, "describe_mlp", 2, [8], 1, 0.0), call)
    expect_true(model.get("type") == "Sequential", "feedback.keras_lab_not_sequential", call=call,
                got=str(model.get("type")))
    expect_true(model.get("input_shape") == [None, 2], "feedback.keras_lab_input", call=call,
                got=str(model.get("input_shape")))
    expect_true(not model.get("compiled"), "feedback.keras_lab_compiled", call=call)


def test_build_mlp_hidden_layers_use_relu_and_the_output_fits_one_output(student):
    call = "build_mlp(2, [8, 4], n_outputs=1)"
    model = expect_model(probe(student, "describe_mlp", 2, [8, 4], 1, 0.0), call)
    expect_layers(model, 2, [8, 4], 1, 0.0, call)


def test_build_mlp_output_of_several_classes_is_softmax(student):
    call = "build_mlp(4, [6], n_outputs=3)"
    model = expect_model(probe(student, "describe_mlp", 4, [6], 3, 0.0), call)
    expect_layers(model, 4, [6], 3, 0.0, call)


def test_build_mlp_puts_dropout_after_every_hidden_layer_only(student):
    call = "build_mlp(3, [8, 8], dropout_rate=0.3)"
    model = expect_model(probe(student, "describe_mlp", 3, [8, 8], 1, 0.3), call)
    expect_layers(model, 3, [8, 8], 1, 0.3, call)


def test_compile_and_fit_compiles_with_adam_a_fitting_loss_and_accuracy(student):
    run = fit_settings(student)
    expect_compile(run, 1, 0.01, "compile_and_fit(model, ..., lr=0.01)  [one sigmoid output]")


def test_compile_and_fit_trains_with_validation_data_and_early_stopping(student):
    run = fit_settings(student)
    expect_fit(run, batch_size=25, epochs=4, patience=2,
               call="compile_and_fit(model, ..., batch_size=25, epochs=4, patience=2)")


def test_compile_and_fit_with_several_outputs_uses_categorical_cross_entropy(student):
    run = fit_settings(student, n_outputs=2, epochs=2)
    expect_compile(run, 2, 0.01, "compile_and_fit(model, ..., lr=0.01)  [two softmax outputs]")


def test_the_lab_learns_the_moons_with_early_stopping(student):
    """build_mlp + compile_and_fit on the moons, seed 0: validation accuracy at least 0.95."""
    X, Y, X_val, Y_val = moons()
    fit = FIT
    run = probe(student, "fit_mlp", 2, fit["hidden"], 1, 0.0, X, Y, X_val, Y_val, fit["lr"],
                fit["batch_size"], fit["epochs"], fit["patience"], fit["seed"], "student")
    call = (f"compile_and_fit(build_mlp(2, {fit['hidden']}), moons, lr={fit['lr']}, "
            f"batch_size={fit['batch_size']}, epochs={fit['epochs']}, "
            f"patience={fit['patience']}, seed={fit['seed']})")
    history = run.get("history") or {}
    expect_true("val_loss" in history, "feedback.keras_lab_no_validation", call=call,
                mistake="validation_data_missing")
    accuracy = run.get("val_accuracy")
    model = run.get("model") or {}
    mistake = diagnose_layers(model.get("layers") or [], fit["hidden"], 1, 0.0)
    if accuracy is None or accuracy < MIN_VAL_ACCURACY:
        fail("feedback.keras_lab_accuracy", call=call, got=accuracy,
             expected=MIN_VAL_ACCURACY, mistake=mistake)
