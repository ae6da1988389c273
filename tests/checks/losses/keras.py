"""Keras checks of losses.py on fixed inputs (grader.baseline.assignment2_suite): mse and
mse_gradient against ``keras.losses.MeanSquaredError`` (value and autodiff gradient);
softmax against ``keras.activations.softmax``; categorical_cross_entropy against
``keras.losses.CategoricalCrossentropy()``; softmax_cross_entropy_gradient against the
autodiff gradient of that loss composed with the softmax. Keras's values come from the
baseline cache; without TensorFlow and without a cached value the check is skipped."""

import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.assignment2_suite import inputs, keras_results_or_skip
from grader.checks.unit_support import expect_scalar
from grader.checks.expect import expect_array

pytestmark = pytest.mark.keras
TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


def test_mse_and_its_gradient_match_keras(student):
    case = inputs("losses")
    value = student.losses.mse(case["A"], case["Y"])
    gradient = student.losses.mse_gradient(case["A"], case["Y"])
    keras = keras_results_or_skip("losses")
    expect_scalar(value, keras["mse"], call="mse(A, Y)  [Keras MeanSquaredError"
                  + _precision(keras, "mse"), **_tol(keras, "mse"))
    expect_array(gradient, keras["mse_gradient"], call="mse_gradient(A, Y)  [Keras, ∂L/∂A"
                 + _precision(keras, "mse_gradient"), **_tol(keras, "mse_gradient"))


# Keras on JAX computes the MSE in float32 (the baseline lists such values in "float32").
FLOAT32_TOL = {"rtol": 1e-6, "atol": 1e-9}


def _tol(keras, name):
    return FLOAT32_TOL if name in (keras.get("float32") or []) else TOL


def _precision(keras, name):
    return ", JAX float32]" if name in (keras.get("float32") or []) else "]"


def test_softmax_and_categorical_cross_entropy_match_keras(student):
    case = inputs("losses")
    P = student.losses.softmax(case["Z"])
    keras = keras_results_or_skip("losses")
    expect_array(P, keras["softmax"], call="softmax(Z)  [Keras softmax]", **TOL)
    loss = student.losses.categorical_cross_entropy(keras["softmax"], case["Y_onehot"])
    expect_scalar(loss, keras["cce"], call="categorical_cross_entropy(P, Y)  "
                  "[Keras CategoricalCrossentropy]", **TOL)
    gradient = student.losses.softmax_cross_entropy_gradient(case["Z"], case["Y_onehot"])
    expect_array(gradient, keras["softmax_cce_gradient"],
                 call="softmax_cross_entropy_gradient(Z, Y)  [Keras, ∂L/∂Z]", **TOL)
