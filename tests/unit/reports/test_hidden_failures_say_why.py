"""A failed hidden check says which rule failed, without its hidden inputs (F3a)."""

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.devtools.mutate import solutions_with
from grader.reports.student import _check_message

pytestmark = pytest.mark.sandbox

COSH = """
def tanh_derivative(z):
    z = np.asarray(z, dtype=np.float64)
    return 1.0 / np.cosh(z) ** 2
"""


def _hidden_failures(exercise, func, source):
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=("hidden",), lang="en", graded=True)
    return [c for c in results.checks if c.status != PASSED and c.hidden]


def test_a_warning_on_hidden_finite_inputs_is_named_as_a_warning():
    failed = _hidden_failures("activations", "tanh_derivative", COSH)
    assert failed
    for check in failed:
        en, es = _check_message(check, "en"), _check_message(check, "es")
        assert "RuntimeWarning" in en and "warning" in en.lower(), en
        assert "RuntimeWarning" in es and "aviso" in es.lower(), es
        assert "1000" not in en and "1000" not in es       # the hidden input stays hidden
