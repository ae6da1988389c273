"""A named mistake is shown only when the student's values are that mistake's values."""

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.devtools.mutate import solutions_with

pytestmark = pytest.mark.sandbox


def _failing(exercise, func, source):
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=("public", "hidden"), lang="en", graded=True)
    return [c for c in results.checks if c.status != PASSED]


def test_recomputing_y_before_the_bias_is_not_called_a_bias_never_updated():
    failing = _failing("perceptron", "update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            w_new = w + lr * (d - y) * x
            y = predict(x, w_new, b)          # recomputed with the new w
            return w_new, b + lr * (d - y)
        """)
    assert failing
    assert not any(c.feedback and c.feedback.mistake == "perceptron_bias_not_updated"
                   for c in failing), [(c.id, c.message("en")) for c in failing]
    assert any(c.diagnosis for c in failing)


def test_z_times_one_minus_z_is_named():
    failing = _failing("activations", "sigmoid_derivative", """
        def sigmoid_derivative(z):
            return z * (1 - z)
        """)
    assert any(c.feedback and c.feedback.mistake == "sigmoid_derivative_of_activation"
               for c in failing)
