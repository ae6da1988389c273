"""Every function of assignment 1 has a check for each convention of the contract."""

import re

import numpy as np
import pytest

from grader import config
from grader.checks.contract import EVERY_FUNCTION
from grader.checks.contract_a1 import SPECS
from grader.exercises import EXERCISES
from grader.rubric import rubric_for

ASSIGNMENT_1 = ("activations", "perceptron", "backprop", "dropout", "sgd")
DOC = config.REPO_DIR / "docs" / "contract-coverage.md"


def _contract_id(ex, func):
    return f"{ex}/hidden.py::test_contract_{func}"


@pytest.mark.parametrize("exercise", ASSIGNMENT_1)
def test_every_function_has_a_spec_covering_every_general_clause(exercise):
    for func in EXERCISES[exercise].functions:
        clauses = {c for s in SPECS[exercise] if s.func == func for c in s.clauses}
        assert set(EVERY_FUNCTION) <= clauses, (func, sorted(clauses))


@pytest.mark.parametrize("exercise", ASSIGNMENT_1)
def test_every_function_has_a_contract_check_with_points(exercise):
    rubric = rubric_for([exercise])
    for func in EXERCISES[exercise].functions:
        item = rubric.items.get(_contract_id(exercise, func))
        assert item is not None and item.points > 0, func


def test_the_coverage_table_lists_each_contract_check_for_each_general_clause():
    text = DOC.read_text(encoding="utf-8")
    for clause in EVERY_FUNCTION:
        row = re.search(rf"^\| {clause} \|.*$", text, re.M)
        assert row, clause
        for ex in ASSIGNMENT_1:
            for func in EXERCISES[ex].functions:
                assert _contract_id(ex, func) in row.group(0), (clause, ex, func)


def test_every_check_id_named_in_the_table_exists():
    ids = set(rubric_for(list(ASSIGNMENT_1)).items)
    named = set(re.findall(r"[a-z_]+/(?:public|hidden|keras)\.py::test_[a-z0-9_]+",
                           DOC.read_text(encoding="utf-8")))
    assert named and named <= ids, sorted(named - ids)


@pytest.mark.parametrize("exercise", ASSIGNMENT_1)
def test_the_reference_meets_the_wide_range_inputs_without_warnings(exercise):
    """The warnings clause is judged only where the reference itself is quiet: it must be."""
    import warnings

    from grader.reference import reference
    ref = reference()
    rng = np.random.default_rng(0)
    for spec in SPECS[exercise]:
        for _ in range(5):
            args = list(spec.make(rng, True))
            if spec.rng_arg is not None:
                args[spec.rng_arg] = np.random.default_rng(1)
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                getattr(getattr(ref, spec.module), spec.func)(*args)
