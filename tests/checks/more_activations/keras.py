"""Keras checks of more_activations.py: leaky_relu against
``keras.activations.leaky_relu(z, negative_slope=alpha)`` and swish against
``keras.activations.silu``, with the derivatives against Keras's automatic
differentiation, on fixed inputs (grader.baseline.assignment2_suite; alpha = 0.25,
exact in float32). Keras's values come from the baseline cache; without
TensorFlow and without a cached value the check is skipped."""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.assignment2_suite import inputs, keras_results_or_skip
from grader.checks.expect import expect_array

pytestmark = pytest.mark.keras


def _against_keras(student, func, with_alpha):
    case = inputs("more_activations")
    args = (case["alpha"],) if with_alpha else ()
    got = getattr(student.more_activations, func)(case["z"], *args)
    keras = keras_results_or_skip("more_activations")
    expected = np.asarray(keras[func], dtype=float)
    if func == "leaky_relu_derivative":
        # At the kink z = 0 automatic differentiation gives one of the one-sided slopes, and
        # which one depends on the backend (TensorFlow: alpha, JAX: 1). The contract's value
        # there (alpha) is checked against the reference by the public and hidden checks.
        expected = np.where(case["z"] == 0, case["alpha"], expected)
    expect_array(got, expected, call=f"{func}(z{', alpha=0.25' if args else ''})  [Keras]",
                 rtol=BASELINE_RTOL, atol=BASELINE_ATOL)


def test_leaky_relu_and_its_derivative_match_keras(student):
    _against_keras(student, "leaky_relu", True)
    _against_keras(student, "leaky_relu_derivative", True)


def test_swish_and_its_derivative_match_keras_silu(student):
    _against_keras(student, "swish", False)
    _against_keras(student, "swish_derivative", False)
