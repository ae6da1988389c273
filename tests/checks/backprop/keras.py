"""Keras check of backprop.py: the student's backward against Keras's autodiff gradients.

On a fixed 3-5-4-2 network and batch (grader.baseline.suite), the student's
``forward`` (given) and ``backward`` run in the sandbox; Keras differentiates
the same network's loss (``tf.GradientTape``), read from the baseline's disk
cache. Gradients are compared from the output layer back, so the first one
named is where the chain rule first breaks. Without TensorFlow/Keras and
without a cached value the check is skipped.
Tolerance: grader.baseline.BASELINE_RTOL / BASELINE_ATOL (float64 round-off).
"""


import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.suite import inputs, keras_results_or_skip
from grader.checks.expect import (close, expect_finite_shape, fail, naming, same)
from grader.checks.feedback import show

pytestmark = pytest.mark.keras

CALL = "backward(params, cache, Y)"



def _diagnose(got, keras, n):
    """The named mistake whose gradients ``got`` are, built from Keras's (N = batch size)."""
    variants = {
        "layer_gradients_summed": [(n * dW, n * db) for dW, db in keras],
        "layer_gradients_dw_summed": [(n * dW, db) for dW, db in keras],
        "layer_gradients_db_summed": [(dW, n * db) for dW, db in keras],
        "backward_grads_reversed": keras[::-1],
    }
    return next((name for name, wrong in variants.items() if same(got, wrong)), None)



def test_backward_matches_keras_autodiff_gradients(student):
    case = inputs("backprop")
    params, X, Y = case["params"], case["X"], case["Y"]
    _, cache = student.backprop.forward(X, params)
    got = student.backprop.backward(params, cache, Y)
    keras = keras_results_or_skip("backprop")["grads"]
    mistake = _diagnose(got, keras, X.shape[0])
    if not isinstance(got, (list, tuple)) or len(got) != len(params) or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 for pair in got):
        fail("feedback.backprop_grads_structure", call=CALL, expected=len(params),
             got=show(got), mistake=mistake)
    with naming(mistake):
        for layer in range(len(params), 0, -1):
            for name, mine, theirs in zip(("dW", "db"), got[layer - 1], keras[layer - 1]):
                label = f"{name}{layer}"
                arr = expect_finite_shape(mine, theirs.shape, call=f"{CALL} -> {label}")
                arr = arr.astype(np.float64)
                if close(arr, theirs, BASELINE_RTOL, BASELINE_ATOL):
                    continue
                diff = np.abs(arr - theirs)
                index = np.unravel_index(int(np.argmax(diff)), diff.shape)
                fail("feedback.keras_gradient", call=CALL, rtol=BASELINE_RTOL,
                     atol=BASELINE_ATOL, name=label, layer=layer, layers=len(params),
                     max_error=f"{diff[index]:.3g}", index=str(tuple(int(i) for i in index)),
                     expected=show(theirs), got=show(arr), mistake=mistake)
