"""Keras checks of early_stopping.py on fixed problems (grader.baseline.assignment2_suite):
train_with_early_stopping with rng=None against Keras
``fit(validation_data=..., shuffle=False, callbacks=[EarlyStopping(monitor="val_loss",
patience, min_delta, restore_best_weights)])`` with SGD(lr): the epoch where it stops, the
best epoch, the losses after every epoch and the weights returned. One problem restores
the best weights (patience 5), the other keeps the last ones (patience 3, min_delta 1e-3).
Keras's results come from the baseline cache; without TensorFlow and without a cached value
the check is skipped."""

import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.assignment2_suite import inputs, keras_results_or_skip
from grader.checks.unit_support import sibling_module
from grader.checks.expect import expect_array, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras
TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


def _against_keras(student, index):
    c = inputs("early_stopping")["cases"][index]
    call = (f"train_with_early_stopping(X, Y, X_val, Y_val, params, lr={c['lr']:g}, "
            f"batch_size={c['batch_size']}, max_epochs={c['max_epochs']}, "
            f"patience={c['patience']}, min_delta={c['min_delta']:g}, "
            f"restore_best_weights={c['restore_best_weights']})  [Keras EarlyStopping]")
    got = student.early_stopping.train_with_early_stopping(
        c["X"], c["Y"], c["X_val"], c["Y_val"], c["params"], c["lr"], c["batch_size"],
        c["max_epochs"], c["patience"], c["min_delta"], c["restore_best_weights"])
    keras = keras_results_or_skip("early_stopping")["cases"][index]
    public = sibling_module(__file__, "public")
    if not isinstance(got, (list, tuple)) or len(got) != 5:
        fail("feedback.es_train_return", call=call, got=show(got))
    public.expect_decision(got[3:], (keras["stopped_epoch"], keras["best_epoch"]), call=call)
    expect_array(got[1], keras["history"], call=f"{call} -> history", **TOL)
    expect_array(got[2], keras["val_history"], call=f"{call} -> val_history", **TOL)
    for layer, (pair, (eW, eb)) in enumerate(zip(got[0], keras["weights"]), start=1):
        expect_array(pair[0], eW, call=f"{call} -> W{layer}", **TOL)
        expect_array(pair[1], eb, call=f"{call} -> b{layer}", **TOL)


def test_train_with_early_stopping_restoring_the_best_weights_matches_keras(student):
    _against_keras(student, 0)


def test_train_with_early_stopping_keeping_the_last_weights_matches_keras(student):
    _against_keras(student, 1)
