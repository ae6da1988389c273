"""Every named mistake is caught by the checks and named in the feedback.

For each mistake of tests/checks/<exercise>/mistake_sources.py, a student directory
is the reference with ONE function rewritten the way a student gets it wrong;
the public and hidden checks run on it through the engine, and at least one
check must fail naming that mistake, in both languages. Correct
implementations written differently must get full marks.
"""

from __future__ import annotations

import pytest

from grader import config
from grader.assignments import containing
from grader.checks.engine import run_checks
from grader.checks.results import NOT_ATTEMPTED, PASSED
from grader.checks.session import read_student_files
from grader.devtools.mutate import solutions_with
from grader.exercises import ORDER
from grader.mutants import mutants, sources_of
from grader.rubric import rubric_for

SUITES = ("public", "hidden")
SOURCES = {ex: sources_of(ex) for ex in ORDER}
WRONG_CASES = [
    pytest.param(ex, mistake, func, source,
                 id=f"{ex}-{mistake}" + (f"-{k}" if len(wrong) > 1 else ""))
    for ex in ORDER for mistake, wrong in SOURCES[ex].WRONG.items()
    for k, (func, source) in enumerate(wrong)]


@pytest.mark.parametrize("exercise", ORDER)
def test_every_mutant_of_the_exercise_has_a_student_style_source(exercise):
    assert set(mutants(exercise)) <= set(SOURCES[exercise].WRONG)


@pytest.mark.sandbox
@pytest.mark.parametrize("exercise, mistake, func, source", WRONG_CASES)
def test_the_checks_catch_and_name_the_mistake(exercise, mistake, func, source):
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=SUITES, lang="en")
    failing = [c for c in results.checks if c.status != PASSED]
    assert failing, f"no check failed with the mistake {mistake}"
    named = [c.id for c in failing if c.feedback is not None and c.feedback.mistake == mistake]
    assert named, (f"{mistake}: failing checks name "
                   f"{[(c.id, c.feedback and c.feedback.mistake) for c in failing]}")
    for c in failing:       # the message renders in both languages; no bug in a check
        assert c.message("es") and c.message("en")
        assert c.feedback.key != "feedback.internal_error", c.message("en")


@pytest.mark.sandbox
@pytest.mark.parametrize("exercise", [ex for ex in ORDER if SOURCES[ex].RIGHT])
def test_correct_implementations_written_differently_get_full_marks(exercise):
    files = solutions_with(exercise, SOURCES[exercise].RIGHT.items())
    results = run_checks(files, exercises=[exercise], suites=SUITES, lang="en")
    assert {c.status for c in results.checks} == {PASSED}, [
        (c.id, c.message("en")) for c in results.checks if c.status != PASSED]


@pytest.mark.sandbox
@pytest.mark.parametrize("graded", [False, True], ids=["check", "grade"])
@pytest.mark.parametrize("exercise", ORDER)
def test_the_solutions_get_full_marks_and_the_stubs_are_not_attempted(exercise, graded):
    rubric = rubric_for([exercise])
    for directory, status in ((config.SOLUTIONS_DIR, PASSED), (config.EXERCISES_DIR, NOT_ATTEMPTED)):
        results = run_checks(read_student_files(directory), exercises=[exercise], suites=SUITES,
                             lang="en", graded=graded)
        assert results.checks and {c.status for c in results.checks} == {status}, (
            directory, [(c.id, c.message("en")) for c in results.checks if c.status != status])
        assert {c.id for c in results.checks} == {
            i.id for i in rubric.for_exercises([exercise], SUITES)}
    assert results.score == 0
    assert rubric.exercise_points(exercise) == containing([exercise]).points[exercise]
