"""Public checks of activations.py: course values, finite differences, invariants."""

import numpy as np

from grader import config
from grader.checks.expect import expect_array, expect_finite_shape, expect_unchanged, fail
from grader.checks.unit_support import expect_true_derivative

FD_EPS = config.FINITE_DIFF_EPS
FD_MAX_REL_ERROR = config.FINITE_DIFF_MAX_REL_ERROR
Z_SMOOTH = np.linspace(-5.0, 5.0, 21)


def _values(student, golden, func):
    case = golden[func]
    got = getattr(student.activations, func)(case["z"])
    expect_array(got, case["expected"], call=f"{func}(z)", mistakes=case["mistakes"])
    got = getattr(student.activations, func)(case["z_matrix"])
    expect_array(got, case["expected_matrix"], call=f"{func}(Z)  [Z.shape = (2, 3)]")


def _no_warnings(student, func, z):
    outcome = student.call("activations", func, z)
    warnings = outcome.info.get("warnings") or []
    if warnings:
        fail("feedback.warning_emitted", call=f"{func}(z)", inputs="z = [-1000, 1000]",
             warning=f"{warnings[0]['category']}: {warnings[0]['message']}",
             mistake="overflow_in_exp")


def _centered_difference(f, z):
    return (np.asarray(f(z + FD_EPS), dtype=float) - np.asarray(f(z - FD_EPS), dtype=float)) / (
        2 * FD_EPS)


def _true_sigmoid(z):
    """σ(z) written here from its definition (not the student's): the independent reference
    whose centred differences give the true derivative."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _expect_matches_difference(analytic, numeric, call, of, own=None, true=None):
    """``analytic`` against ``numeric``, centred differences of the CORRECT ``of``."""
    expect_true_derivative(analytic, numeric, call=call, of=of, tol=FD_MAX_REL_ERROR,
                           at=lambda i: f"z = {Z_SMOOTH[i]:g}", own=own, true=true)


def test_sigmoid_matches_course_values(student, golden):
    _values(student, golden, "sigmoid")


def test_sigmoid_is_stable_without_warnings_at_extremes(student):
    z = np.array([-1000.0, 1000.0])
    got = student.activations.sigmoid(z)
    expect_array(got, np.array([0.0, 1.0]), call="sigmoid([-1000, 1000])")
    _no_warnings(student, "sigmoid", z)


def test_sigmoid_derivative_matches_course_values(student, golden):
    _values(student, golden, "sigmoid_derivative")


def test_sigmoid_derivative_matches_finite_differences(student):
    analytic = student.activations.sigmoid_derivative(Z_SMOOTH)
    expect_finite_shape(analytic, Z_SMOOTH.shape, call="sigmoid_derivative(z)")
    numeric = _centered_difference(_true_sigmoid, Z_SMOOTH)
    _expect_matches_difference(analytic, numeric, "sigmoid_derivative(z)", "sigmoid",
                               own=lambda: student.activations.sigmoid(Z_SMOOTH),
                               true=_true_sigmoid(Z_SMOOTH))


def test_sigmoid_derivative_has_no_warnings_at_extremes(student):
    _no_warnings(student, "sigmoid_derivative", np.array([-1000.0, 1000.0]))


def test_tanh_derivative_matches_finite_differences(student, golden):
    _values(student, golden, "tanh_derivative")
    analytic = student.activations.tanh_derivative(Z_SMOOTH)
    _expect_matches_difference(analytic, _centered_difference(np.tanh, Z_SMOOTH),
                               "tanh_derivative(z)", "tanh")


def test_relu_matches_definition(student, golden):
    _values(student, golden, "relu")


def test_relu_derivative_is_zero_at_zero_and_one_above(student, golden):
    _values(student, golden, "relu_derivative")


def test_activations_accept_lists_and_do_not_modify_arguments(student):
    z = np.array([[-2.0, 0.0], [0.5, 3.0]])
    for func in ("sigmoid", "sigmoid_derivative", "tanh_derivative", "relu", "relu_derivative"):
        outcome = student.call("activations", func, z, return_args=True)
        expect_unchanged(z, outcome.args_after[0], call=f"{func}(z)", argument="z")
        from_list = getattr(student.activations, func)([[-2.0, 0.0], [0.5, 3.0]])
        expect_array(from_list, outcome.value, call=f"{func}(list)")
