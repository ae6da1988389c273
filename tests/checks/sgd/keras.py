"""Keras check of sgd.py: the student's train against Keras's model.fit, step for step.

On fixed data and initial weights (grader.baseline.suite: 30 moons samples, a
2-4-1 network, lr 0.5, mini-batches of 8, 12 epochs), the student's
``train(..., rng=None, dropout_rate=0.0)`` and Keras's ``model.fit(...,
shuffle=False)`` with ``SGD(learning_rate=lr)`` take the same steps; Keras's
run comes from the baseline's disk cache. The loss after every epoch and the
final weights must agree; the feedback names the first epoch where they part.
Without TensorFlow/Keras and without a cached value the check is skipped.
Tolerance: grader.baseline.BASELINE_RTOL / BASELINE_ATOL (float64 round-off;
the small lr keeps this training far from amplifying it).
"""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.suite import inputs, keras_results_or_skip
from grader.checks.expect import as_array, close, expect_finite_shape, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras


def _losses(values) -> str:
    return "[" + ", ".join(f"{v:.10g}" for v in values) + "]"


def test_train_matches_keras_fit_step_for_step(student):
    case = inputs("sgd")
    X, Y, params = case["X"], case["Y"], case["params"]
    lr, batch_size, epochs = case["lr"], case["batch_size"], case["epochs"]
    call = (f"train(X, Y, params, lr={lr:g}, batch_size={batch_size}, epochs={epochs}, "
            f"rng=None, dropout_rate=0.0)  [X.shape = {X.shape}]")
    value = student.sgd.train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0)
    keras = keras_results_or_skip("sgd")
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        fail("feedback.sgd_train_return", call=call, got=show(value))
    got_params, history = value

    history = as_array(history, call=f"{call} -> history").astype(np.float64).reshape(-1)
    if history.shape != (epochs,):
        fail("feedback.sgd_history_length", call=call, got=history.size, expected=epochs)
    agree = np.isclose(history, keras["history"], rtol=BASELINE_RTOL, atol=BASELINE_ATOL)
    if not agree.all():
        epoch = int(np.argmin(agree)) + 1
        fail("feedback.keras_loss_diverges", call=call, lr=lr, epoch=epoch, epochs=epochs,
             got=f"{history[epoch - 1]:.12g}", expected=f"{keras['history'][epoch - 1]:.12g}",
             rtol=BASELINE_RTOL, atol=BASELINE_ATOL, history=_losses(history),
             keras_history=_losses(keras["history"]))

    if not isinstance(got_params, (list, tuple)) or len(got_params) != len(params) or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in got_params):
        fail("feedback.sgd_params_structure", call=call, expected=len(params),
             got=show(got_params))
    for layer, (pair, theirs) in enumerate(zip(got_params, keras["weights"]), start=1):
        for name, mine, expected in zip(("W", "b"), pair, theirs):
            label = f"{name}{layer}"
            arr = expect_finite_shape(mine, expected.shape, call=f"{call} -> {label}")
            arr = arr.astype(np.float64)
            if not close(arr, expected, BASELINE_RTOL, BASELINE_ATOL):
                fail("feedback.keras_weights_differ", call=call, name=label, layer=layer,
                     max_error=f"{float(np.max(np.abs(arr - expected))):.3g}",
                     rtol=BASELINE_RTOL, atol=BASELINE_ATOL, expected=show(expected),
                     got=show(arr))
