"""Every named mistake of dropout.py is caught by the checks and named in the feedback.

For each mistake, a student directory is built from the reference solutions
with ONE function replaced by a wrong version (written below as source code),
the public and hidden checks run on it through the engine, and at least one
check must fail naming that mistake.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import NOT_ATTEMPTED, PASSED
from grader.checks.session import read_student_files
from grader.devtools.mutate import solutions_with
from grader.mutants import mutants
from grader.rubric import load_rubric

REPO_ROOT = Path(__file__).resolve().parents[3]
EXERCISE = "dropout"
SUITES = ("public", "hidden")

# mistake name -> [(function, wrong source), ...]
WRONG = {
    "dropout_rate_is_keep_probability": [
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) < rate) / rate          # CS231n's keep probability p
        """),
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) < rate) / (1.0 - rate)
        """),
    ],
    "dropout_missing_inverted_scaling": [("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) >= rate).astype(np.float64)
        """)],
    "dropout_ignores_rng": [
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (np.random.random(shape) >= rate) / (1.0 - rate)
        """),
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (np.random.default_rng(0).random(shape) >= rate) / (1.0 - rate)
        """),
    ],
    "dropout_active_at_inference": [("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask, mask
        """)],
    "dropout_forward_scaled_twice": [("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A, None
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask / (1.0 - rate), mask
        """)],
    "dropout_backward_ignores_mask": [("dropout_backward", """
        def dropout_backward(dout, mask):
            return np.asarray(dout, dtype=np.float64)
        """)],
    "modified_in_place": [
        ("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A, None
            mask = dropout_mask(A.shape, rate, rng)
            A *= mask
            return A, mask
        """),
        ("dropout_backward", """
        def dropout_backward(dout, mask):
            dout = np.asarray(dout, dtype=np.float64)
            if mask is not None:
                dout *= mask
            return dout
        """),
    ],
}


def student_files(func: str, new_source: str) -> dict:
    return solutions_with(EXERCISE, [(func, new_source)])


def test_every_mutant_of_the_exercise_has_a_wrong_source_here():
    assert set(mutants(EXERCISE)) <= set(WRONG)


@pytest.mark.sandbox
@pytest.mark.parametrize("mistake, func, source", [
    pytest.param(m, f, s, id=f"{m}-{f}" + (f"-{k}" if len(wrong) > 1 else ""))
    for m, wrong in WRONG.items() for k, (f, s) in enumerate(wrong)])
def test_the_checks_catch_and_name_the_mistake(mistake, func, source):
    results = run_checks(student_files(func, source), exercises=[EXERCISE], suites=SUITES,
                         lang="en")
    failing = [c for c in results.checks if c.status != PASSED]
    assert failing, f"no check failed with the mistake {mistake}"
    named = [c.id for c in failing if c.feedback is not None and c.feedback.mistake == mistake]
    assert named, (f"{mistake}: failing checks name "
                   f"{[(c.id, c.feedback and c.feedback.mistake) for c in failing]}")
    for c in failing:       # the message renders in both languages
        assert c.message("es") and c.message("en")


@pytest.mark.sandbox
def test_the_solutions_get_full_marks_and_the_stubs_are_not_attempted():
    rubric = load_rubric()
    for directory, status in (("solutions", PASSED), ("exercises", NOT_ATTEMPTED)):
        results = run_checks(read_student_files(REPO_ROOT / directory), exercises=[EXERCISE],
                             suites=SUITES, lang="en")
        assert results.checks and {c.status for c in results.checks} == {status}, directory
        assert {c.id for c in results.checks} == {
            i.id for i in rubric.for_exercises([EXERCISE], SUITES)}
    assert results.score == 0
    assert rubric.exercise_points(EXERCISE) == 20
