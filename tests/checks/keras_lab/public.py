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
from grader.checks.expect import expect_true, fail, same

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


SUMMARY_LAYERS = 20    # layers named in a summary; the rest are counted


def summary(layers) -> str:
    """``Dense(8, relu) → Dropout(0.3) → Dense(1, sigmoid)`` (at most SUMMARY_LAYERS named)."""
    parts = []
    for layer in layers[:SUMMARY_LAYERS]:
        if layer.get("type") == "Dropout":
            parts.append(f"Dropout({layer.get('rate')})")
        elif layer.get("type") == "Dense":
            parts.append(f"Dense({layer.get('units')}, {layer.get('activation')})")
        else:
            parts.append(str(layer.get("type")))
    if len(layers) > SUMMARY_LAYERS:
        parts.append(f"… (+{len(layers) - SUMMARY_LAYERS})")
    return " → ".join(parts) or "[]"       # no layers (a language-neutral mark)


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


# -- the probe's replies: the student's process wrote them, so their form is checked -------
# Bounds far above any honest reply (the contract's networks have a few layers, one callback,
# at most 60 epochs), so that no text built from a reply can grow large.
MAX_TEXT = 200          # characters of a name (layer, activation, loss, optimizer, ...)
MAX_ITEMS = 100         # layers, callbacks, metrics, history keys, weight arrays
MAX_EPOCHS = 10_000     # values per history key
CALLS = {"describe_mlp": "build_mlp(...)", "fit_mlp": "compile_and_fit(...)"}


class MalformedReply(Exception):
    """A probe reply without the form keras_probe gives it; ``args[0]`` says where."""


def _need(condition, where):
    if not condition:
        raise MalformedReply(where)


def _is_bool(v):
    return isinstance(v, (bool, np.bool_))


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not _is_bool(v)


def _is_number(v):
    return isinstance(v, (int, float, np.integer, np.floating)) and not _is_bool(v)


def _is_text(v):
    return v is None or (isinstance(v, str) and len(v) <= MAX_TEXT)


def _is_scalar(v):
    return _is_bool(v) or _is_number(v) or _is_text(v)


def _items(value, where, limit=MAX_ITEMS):
    _need(isinstance(value, (list, tuple)) and len(value) <= limit, where)
    return value


def _record(value, where, keys=()):
    """A dict with (at least) ``keys``, at most MAX_ITEMS of them, all strings."""
    _need(isinstance(value, dict) and len(value) <= MAX_ITEMS
          and all(isinstance(k, str) for k in value), where)
    missing = [k for k in keys if k not in value]
    _need(not missing, f"{where}[{missing[0]!r}]" if missing else where)
    return value


def valid_model(model, where="model"):
    """``keras_probe._describe``'s form: ``{"is_model": bool, "type": str, ...}``."""
    _record(model, where, ("is_model", "type"))
    _need(_is_bool(model["is_model"]), f"{where}['is_model']")
    _need(_is_text(model["type"]), f"{where}['type']")
    if not model["is_model"]:
        return
    _record(model, where, ("layers", "params", "input_shape", "compiled"))
    for i, layer in enumerate(_items(model["layers"], f"{where}['layers']")):
        at = f"{where}['layers'][{i}]"
        _record(layer, at, ("type",))
        for key, ok in (("type", _is_text), ("name", _is_text), ("activation", _is_text),
                        ("units", _is_int), ("rate", _is_number), ("use_bias", _is_bool)):
            _need(key not in layer or layer[key] is None or ok(layer[key]), f"{at}[{key!r}]")
    _need(model["params"] is None or _is_int(model["params"]), f"{where}['params']")
    shape = model["input_shape"]
    _need(shape is None or all(d is None or _is_int(d)
                               for d in _items(shape, f"{where}['input_shape']")),
          f"{where}['input_shape']")
    _need(model["compiled"] is None or _is_bool(model["compiled"]), f"{where}['compiled']")


def valid_run(run):
    """``keras_probe.fit_mlp``'s form (its docstring lists the keys)."""
    _record(run, "reply", ("returned", "history", "model", "compile", "fit", "callbacks",
                           "epochs_run", "val_accuracy", "weights"))
    _need(_is_text(run["returned"]), "reply['returned']")
    history = run["history"]
    if history is not None:
        _record(history, "reply['history']")
        for key, values in history.items():
            at = f"reply['history'][{key[:MAX_TEXT]!r}]"
            _need(len(key) <= MAX_TEXT, at)
            _need(all(_is_number(v) for v in _items(values, at, MAX_EPOCHS)), at)
    valid_model(run["model"], "reply['model']")
    compiled = _record(run["compile"], "reply['compile']",
                       ("calls", "optimizer", "learning_rate", "loss", "metrics"))
    _need(_is_int(compiled["calls"]), "reply['compile']['calls']")
    for key in ("optimizer", "loss"):
        _need(_is_text(compiled[key]), f"reply['compile'][{key!r}]")
    _need(compiled["learning_rate"] is None or _is_number(compiled["learning_rate"]),
          "reply['compile']['learning_rate']")
    _need(all(_is_text(m) for m in _items(compiled["metrics"], "reply['compile']['metrics']")),
          "reply['compile']['metrics']")
    fit = _record(run["fit"], "reply['fit']",
                  ("calls", "batch_size", "epochs", "validation_data"))
    _need(_is_int(fit["calls"]), "reply['fit']['calls']")
    _need(_is_bool(fit["validation_data"]), "reply['fit']['validation_data']")
    for key in ("batch_size", "epochs", "shuffle"):
        _need(_is_scalar(fit.get(key)), f"reply['fit'][{key!r}]")
    for i, cb in enumerate(_items(run["callbacks"], "reply['callbacks']")):
        at = f"reply['callbacks'][{i}]"
        _record(cb, at, ("type",))
        _need(all(_is_scalar(v) for v in cb.values()), at)
    _need(_is_int(run["epochs_run"]), "reply['epochs_run']")
    _need(run["val_accuracy"] is None or _is_number(run["val_accuracy"]), "reply['val_accuracy']")
    weights = run["weights"]
    _need(weights is None or all(isinstance(w, np.ndarray) and w.dtype.kind in "biuf"
                                 for w in _items(weights, "reply['weights']")),
          "reply['weights']")


VALIDATORS = {"describe_mlp": valid_model, "fit_mlp": valid_run}


def well_formed(func, reply):
    """The reply of ``keras_probe.<func>`` if it has the probe's form, else the student's
    check fails (their process wrote it: a malformed reply is theirs, never a grader error)."""
    try:
        VALIDATORS[func](reply)
    except MalformedReply as exc:
        fail("feedback.keras_lab_malformed_reply", call=CALLS[func], where=str(exc.args[0]))
    return reply


# -- what the checks share: the probe in the worker, and the contract's expectations --------
def probe(student, func, *args):
    """``keras_probe.<func>(*args)`` in the worker, once per student (fits take seconds);
    the reply is checked for the probe's form before any check reads it."""
    if not keras_importable():      # the worker imports TensorFlow + Keras from this install
        pytest.skip(SKIP_KEY)
    memo = vars(student).setdefault("_keras_lab_memo", {})
    key = _args_key(func, args)
    if key not in memo:
        try:
            memo[key] = (True, student.call("keras_probe", func, *args).value)
        except Exception as exc:  # noqa: BLE001 - the engine reports it; re-raised for each check
            memo[key] = (False, exc)
    ok, value = memo[key]
    if not ok:
        raise value
    return well_formed(func, value)


# The reference compile_and_fit's runs (in a worker without student code), per arguments:
# the same for every student of a batch, so each judge computes them once.
_REFERENCE_RUNS: dict = {}
HISTORY_RTOL = 1e-6     # two runs of one training, each in its own process, agree bit for bit


def _args_key(func, args):
    return (func, *(("array", a.shape, hashlib.sha256(a.tobytes()).hexdigest())
                    if isinstance(a, np.ndarray) else repr(a) for a in args))


def reference_run(func, *args):
    """``keras_probe.<func>(*args)`` with the REFERENCE keras_lab, in a worker that holds no
    student file; None where the reference is not at hand (a student's own check)."""
    from grader.checks.session import current

    key = _args_key(func, args)
    if key not in _REFERENCE_RUNS:
        session = current()
        worker = session.reference_worker("keras_lab") if session is not None else None
        if worker is None:
            return None
        outcome = worker.call("keras_probe", func, *args)
        if outcome.status != "ok":
            raise RuntimeError(f"the reference Keras run failed ({outcome.status})")
        _REFERENCE_RUNS[key] = outcome.value
    return _REFERENCE_RUNS[key]


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
    args = (2, list(hidden), n_outputs, 0.0, X, Y, X_val, Y_val, lr, batch_size, epochs,
            patience, seed, "reference")
    run = probe(student, "fit_mlp", *args)
    return dict(run, reference=reference_run("fit_mlp", *args))


def _as_arrays(value) -> list | None:
    try:
        return [np.asarray(v, dtype=np.float64) for v in value]
    except (TypeError, ValueError):
        return None


def expect_reference_training(run, call):
    """What the student's process says it did (settings, history, weights) holds only if the
    training it returns IS the contract's: the history and the final weights of the
    reference compile_and_fit on the same network, data and seed, run in a worker that
    holds no student code (Keras is deterministic there: 2 threads, op determinism)."""
    reference = run.get("reference")
    if reference is None:
        return                              # a student's own check: no reference at hand
    expected, got = reference.get("history") or {}, run.get("history")
    reproduced = (isinstance(got, dict) and set(got) == set(expected)
                  and all(same(got[k], expected[k], rtol=HISTORY_RTOL, atol=1e-9)
                          for k in expected)
                  and same(run.get("weights"), reference.get("weights"), rtol=HISTORY_RTOL,
                           atol=1e-9))
    if not reproduced:
        shown = got.get("val_loss") if isinstance(got, dict) else None
        fail("feedback.keras_lab_not_reproduced", call=call,
             expected=_losses(expected.get("val_loss")), got=_losses(shown))


def _losses(values) -> str:
    try:
        return "[" + ", ".join(f"{float(v):.4f}" for v in list(values)[:8]) + "]"
    except (TypeError, ValueError):
        return str(values)[:80]


def judged_accuracy(weights, sizes, X_val, Y_val) -> float | None:
    """The validation accuracy of the returned weights, computed here (numpy, float64) with
    the contract's network of layer ``sizes`` (relu hidden layers, sigmoid or softmax
    output); None when the weights are not that network's."""
    arrays = _as_arrays(weights or ())
    shapes = [s for a, b in zip(sizes, sizes[1:]) for s in ((a, b), (b,))]
    if arrays is None or [a.shape for a in arrays] != shapes:
        return None
    A = np.asarray(X_val, dtype=np.float64)
    pairs = list(zip(arrays[::2], arrays[1::2]))
    for i, (W, b) in enumerate(pairs):
        Z = A @ W + b
        if i < len(pairs) - 1:
            A = np.maximum(Z, 0.0)
    Y_val = np.asarray(Y_val)
    if Z.shape[1] == 1:
        return float(np.mean((Z[:, 0] > 0) == (Y_val[:, 0] > 0.5)))    # sigmoid(z) > 0.5
    return float(np.mean(np.argmax(Z, axis=1) == np.argmax(Y_val, axis=1)))


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
    call = "compile_and_fit(model, ..., lr=0.01)  [one sigmoid output]"
    expect_compile(run, 1, 0.01, call)
    expect_reference_training(run, call)


def test_compile_and_fit_trains_with_validation_data_and_early_stopping(student):
    run = fit_settings(student)
    call = "compile_and_fit(model, ..., batch_size=25, epochs=4, patience=2)"
    expect_fit(run, batch_size=25, epochs=4, patience=2, call=call)
    expect_reference_training(run, call)


def test_compile_and_fit_with_several_outputs_uses_categorical_cross_entropy(student):
    run = fit_settings(student, n_outputs=2, epochs=2)
    call = "compile_and_fit(model, ..., lr=0.01)  [two softmax outputs]"
    expect_compile(run, 2, 0.01, call)
    expect_reference_training(run, call)


def test_the_lab_learns_the_moons_with_early_stopping(student):
    """build_mlp + compile_and_fit on the moons, seed 0: validation accuracy at least 0.95."""
    X, Y, X_val, Y_val = moons()
    fit = FIT
    run = probe(student, "fit_mlp", 2, fit["hidden"], 1, 0.0, X, Y, X_val, Y_val, fit["lr"],
                fit["batch_size"], fit["epochs"], fit["patience"], fit["seed"], "student")
    call = (f"compile_and_fit(build_mlp(2, {fit['hidden']}), moons, lr={fit['lr']}, "
            f"batch_size={fit['batch_size']}, epochs={fit['epochs']}, "
            f"patience={fit['patience']}, seed={fit['seed']})")
    expect_true(run.get("returned") == "History", "feedback.keras_lab_returned", call=call,
                got=run.get("returned"), mistake="history_not_returned")
    history = run.get("history") or {}
    expect_true("val_loss" in history, "feedback.keras_lab_no_validation", call=call,
                mistake="validation_data_missing")
    # the accuracy of the weights that came back, computed here: not what the worker says
    accuracy = judged_accuracy(run.get("weights"), [2, *fit["hidden"], 1], X_val, Y_val)
    model = run.get("model") or {}
    mistake = diagnose_layers(model.get("layers") or [], fit["hidden"], 1, 0.0)
    if accuracy is None:
        fail("feedback.keras_lab_weights_not_the_network", call=call,
             expected=summary(expected_layers(fit["hidden"], 1, 0.0)), mistake=mistake)
    if accuracy < MIN_VAL_ACCURACY:
        fail("feedback.keras_lab_accuracy", call=call, got=accuracy,
             expected=MIN_VAL_ACCURACY, mistake=mistake)
