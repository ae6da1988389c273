"""The advice for a sigmoid that overflows never recommends what the student wrote.

A sigmoid written with ``np.where(z >= 0, 1/(1+exp(-z)), exp(z)/(1+exp(z)))``
overflows because np.where computes both branches for every z: the advice
must say so, and never tell that student to "use np.where".
"""

from __future__ import annotations

import re

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.devtools.mutate import solutions_with

WHERE_SIGMOID = """
def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
"""


@pytest.mark.sandbox
def test_a_np_where_sigmoid_is_told_that_np_where_computes_both_branches():
    results = run_checks(solutions_with("activations", [("sigmoid", WHERE_SIGMOID)]),
                         exercises=["activations"], suites=("public",), lang="en")
    named = [c for c in results.checks if c.status != PASSED and c.feedback is not None
             and c.feedback.mistake == "overflow_in_exp"]
    assert named, [(c.id, c.message("en")) for c in results.checks if c.status != PASSED]
    en, es = named[0].message("en"), named[0].message("es")
    assert "both branches" in en, en
    assert "las dos ramas" in es, es
    # np.where is named only as what does not help, never as the fix
    assert not re.search(r"\buse\b[^.]*np\.where", en), en
    assert not re.search(r"\busa\b[^.]*np\.where", es), es
