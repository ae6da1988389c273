"""Keras check of activations.py: the student's functions against Keras and its autodiff.

The inputs are fixed in grader.baseline.suite; Keras's values (keras.activations
and their derivatives by automatic differentiation) come from the baseline's
disk cache, so TensorFlow is imported at most once per machine. Without
TensorFlow/Keras and without a cached value the check is skipped.
Tolerance: grader.baseline.BASELINE_RTOL / BASELINE_ATOL (float64 round-off).
"""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.suite import inputs, keras_results_or_skip
from grader.checks.expect import close, diagnose, expect_finite_shape, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras


def _expect_like_keras(got, expected, z, *, call, what, mistakes):
    """``got`` has the shape of ``expected``, finite values, and equals it within tolerance."""
    arr = expect_finite_shape(got, expected.shape, call=call).astype(np.float64)
    if close(arr, expected, BASELINE_RTOL, BASELINE_ATOL):
        return
    diff = np.abs(arr - expected)
    worst = int(np.argmax(diff))
    fail("feedback.keras_values", call=call, what=what, rtol=BASELINE_RTOL, atol=BASELINE_ATOL,
         expected=show(expected), got=show(arr), max_error=f"{diff[worst]:.3g}",
         z_at=f"{z[worst]:g}", expected_at=f"{expected[worst]:.10g}",
         got_at=f"{arr[worst]:.10g}", mistake=diagnose(arr, mistakes))


def test_activations_match_keras_and_its_autodiff(student):
    z = inputs("activations")["z"]
    got = {func: getattr(student.activations, func)(z)
           for func in ("sigmoid", "sigmoid_derivative", "tanh_derivative", "relu_derivative")}
    keras = keras_results_or_skip("activations")
    relu_one_at_zero = np.where(z == 0.0, 1.0, keras["relu_derivative"])
    expectations = (
        ("sigmoid", "keras.activations.sigmoid", keras["sigmoid"],
         {"sigmoid_sign_flipped": 1.0 - keras["sigmoid"]}),
        ("sigmoid_derivative", "autodiff of keras.activations.sigmoid",
         keras["sigmoid_derivative"],
         {"sigmoid_derivative_returns_sigmoid": keras["sigmoid"],
          "sigmoid_derivative_applied_to_sigmoid": keras["sigmoid_derivative_at_sigmoid"],
          "sigmoid_derivative_missing_one_minus": keras["sigmoid"] ** 2}),
        ("tanh_derivative", "autodiff of keras.activations.tanh", keras["tanh_derivative"],
         {"tanh_derivative_returns_tanh": keras["tanh"],
          "tanh_derivative_not_squared": 1.0 - keras["tanh"]}),
        ("relu_derivative", "autodiff of keras.activations.relu", keras["relu_derivative"],
         {"relu_derivative_one_at_zero": relu_one_at_zero,
          "relu_derivative_returns_relu": keras["relu"]}),
    )
    for func, what, expected, mistakes in expectations:
        _expect_like_keras(got[func], expected, z, call=f"{func}(z)", what=what,
                           mistakes=mistakes)
