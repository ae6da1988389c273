"""Named mistakes are computed only to explain a failure (grader.checks.expect.Lazy)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from grader import config, mutants
from grader.checks.engine import run_checks
from grader.checks.expect import Lazy
from grader.checks.results import PASSED
from grader.checks.session import read_student_files
from grader.reference import reference

SOLUTIONS = read_student_files(config.SOLUTIONS_DIR)


def test_a_lazy_mapping_computes_once_and_only_when_read():
    calls = []
    lazy = Lazy(lambda: calls.append(1) or {"a": 1})
    assert calls == []
    assert dict(lazy) == {"a": 1} and lazy["a"] == 1 and len(lazy) == 1
    assert calls == [1]


def test_variants_wait_unless_a_generator_is_among_the_inputs():
    ref = reference()
    z = np.linspace(-2, 2, 5)
    assert isinstance(mutants.variants(ref, "activations", "sigmoid", z), Lazy)
    drawn = mutants.variants(ref, "dropout", "dropout_mask", (3, 4), 0.5,
                             np.random.default_rng(0))
    assert isinstance(drawn, dict)        # computed now: the mutants draw from the generator


def _counting(monkeypatch):
    made = []
    real = mutants.mutants

    def counting(exercise=None):
        out = {}
        for name, m in real(exercise).items():
            def make(ref, m=m):
                made.append(m.name)
                return m.make(ref)
            out[name] = dataclasses.replace(m, make=make)
        return out

    monkeypatch.setattr(mutants, "mutants", counting)
    return made


@pytest.mark.sandbox
def test_a_passing_check_computes_no_wrong_variant_and_a_failing_one_does(monkeypatch):
    made = _counting(monkeypatch)
    results = run_checks(SOLUTIONS, exercises=["perceptron"], suites=("hidden",), graded=True)
    assert results.checks and all(c.status == PASSED for c in results.checks)
    assert made == []
    wrong = SOLUTIONS["perceptron.py"] + (b"\n\ndef update(w, b, x, d, lr):\n"
                                          b"    y = predict(x, w, b)\n"
                                          b"    return w - lr * (d - y) * x, b - lr * (d - y)\n")
    results = run_checks(dict(SOLUTIONS, **{"perceptron.py": wrong}), exercises=["perceptron"],
                         suites=("hidden",), graded=True)
    assert any(c.status != PASSED for c in results.checks)
    assert made


@pytest.mark.sandbox
@pytest.mark.parametrize("assignment", ["1", "2", "rnn"])
def test_the_solutions_get_full_marks_without_computing_a_wrong_variant(monkeypatch, assignment):
    made = _counting(monkeypatch)
    where = {"exercises": ["rnn"]} if assignment == "rnn" else {"assignment": assignment}
    results = run_checks(SOLUTIONS, suites=("public", "hidden"), graded=True, **where)
    assert results.checks and all(c.status == PASSED for c in results.checks)
    assert sorted(set(made)) == []
