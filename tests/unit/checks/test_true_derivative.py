"""Derivative checks compare with centred differences of the CORRECT function (an independent
reference), never of the student's own: a wrong pair consistent with itself (``0 * z`` for a
function and its derivative, attack zero-pair-passes-derivative-check) must not pass."""

import numpy as np
import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.checks.unit_support import expect_true_derivative
from grader.checks.errors import CheckFailed
from grader.devtools.mutate import solutions_with

pytestmark = pytest.mark.sandbox

ZERO = "    return 0 * np.asarray(z, dtype=float)\n"
ZERO_PAIRS = {
    "sigmoid": ("activations", (("sigmoid", "def sigmoid(z):\n" + ZERO),
                                ("sigmoid_derivative", "def sigmoid_derivative(z):\n" + ZERO)),
                "activations/public.py::test_sigmoid_derivative_matches_finite_differences"),
    "leaky_relu": ("more_activations", (
        ("leaky_relu", "def leaky_relu(z, alpha=0.01):\n" + ZERO),
        ("leaky_relu_derivative", "def leaky_relu_derivative(z, alpha=0.01):\n" + ZERO)),
        "more_activations/public.py::test_leaky_relu_derivative_matches_finite_differences"),
}
# A right derivative written on its own, next to a wrong forward function: the derivative
# check passes (it was failed by the student's own forward before).
RIGHT_DERIVATIVE_WRONG_FORWARD = {
    "sigmoid": ("activations", (
        ("sigmoid", "def sigmoid(z):\n" + ZERO),
        ("sigmoid_derivative", "def sigmoid_derivative(z):\n"
         "    s = 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))\n    return s * (1 - s)\n")),
        "activations/public.py::test_sigmoid_derivative_matches_finite_differences"),
    "mse": ("losses", (
        ("mse", "def mse(A, Y):\n    return 0.0\n"),),
        "losses/public.py::test_mse_gradient_matches_finite_differences"),
    "swish": ("more_activations", (("swish", "def swish(z):\n" + ZERO),
                                   ("swish_derivative", "def swish_derivative(z):\n"
         "    z = np.asarray(z, dtype=float)\n    s = 0.5 * (1 + np.tanh(0.5 * z))\n"
         "    return s + z * s * (1 - s)\n")),
        "more_activations/public.py::test_swish_derivative_matches_finite_differences"),
}


def _checks(exercise, replaced):
    results = run_checks(solutions_with(exercise, list(replaced)), exercises=[exercise],
                         suites=("public",), lang="en")
    return {c.id: c for c in results.checks}


@pytest.mark.parametrize("pair", sorted(ZERO_PAIRS))
def test_a_zero_pair_fails_the_finite_difference_check(pair):
    exercise, replaced, check_id = ZERO_PAIRS[pair]
    check = _checks(exercise, replaced)[check_id]
    assert check.status != PASSED, check.message("en")
    assert check.feedback.key == "feedback.finite_difference_true_forward_wrong", (
        check.message("en"))
    assert "true derivative" in check.message("en")
    assert "not of yours" in check.message("en")
    assert "derivada verdadera" in check.message("es")


@pytest.mark.parametrize("pair", sorted(RIGHT_DERIVATIVE_WRONG_FORWARD))
def test_a_right_derivative_next_to_a_wrong_forward_passes_its_check(pair):
    exercise, replaced, check_id = RIGHT_DERIVATIVE_WRONG_FORWARD[pair]
    check = _checks(exercise, replaced)[check_id]
    assert check.status == PASSED, check.message("en")


def test_a_wrong_derivative_with_a_right_forward_says_only_the_derivative():
    z = np.linspace(-1, 1, 5)
    with pytest.raises(CheckFailed) as info:
        expect_true_derivative(np.zeros(5), np.cos(z), call="f'(z)", of="sin", tol=1e-7,
                               at=lambda i: f"z = {z[i]:g}", own=lambda: np.sin(z),
                               true=np.sin(z))
    assert info.value.feedback.key == "feedback.finite_difference_true"
    expect_true_derivative(np.cos(z), np.cos(z), call="f'(z)", of="sin", tol=1e-7,
                           at=lambda i: f"z = {z[i]:g}")


RNN_CHECK = "rnn/public.py::test_rnn_backward_matches_finite_differences_of_rnn_forward"
RNN_ZERO_PAIR = (
    ("rnn_forward", "def rnn_forward(X, h0, Wx, Wh, b):\n"
     "    X, Wh = np.asarray(X, dtype=float), np.asarray(Wh, dtype=float)\n"
     "    Hs = np.zeros((X.shape[0], X.shape[1], Wh.shape[0]))\n"
     "    return Hs, (X, np.asarray(h0, dtype=float), np.asarray(Wx, dtype=float), Wh)\n"),
    ("rnn_backward", "def rnn_backward(dHs, cache):\n"
     "    X, h0, Wx, Wh = cache\n"
     "    return (np.zeros_like(X), np.zeros_like(h0), np.zeros_like(Wx), np.zeros_like(Wh),\n"
     "            np.zeros(Wh.shape[0]))\n"))


def test_an_rnn_zero_pair_fails_the_gradient_check():
    check = _checks("rnn", RNN_ZERO_PAIR)[RNN_CHECK]
    assert check.status != PASSED, check.message("en")
    assert check.feedback.key == "feedback.rnn_bptt_fd_forward_wrong", check.message("en")
    assert "true derivative" in check.message("en")
