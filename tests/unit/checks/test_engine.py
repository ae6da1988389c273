"""The check engine: solutions earn everything, untouched stubs are 'not attempted'."""

import pytest

from grader import config
from grader.checks.engine import run_checks
from grader.checks.results import NOT_ATTEMPTED, PASSED
from grader.checks.session import read_student_files
from grader.rubric import load_rubric

pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def solution_results():
    files = read_student_files(config.SOLUTIONS_DIR)
    return run_checks(files, suites=("public", "hidden", "keras"), graded=True, seed=1234)


def test_reference_solutions_pass_every_public_and_hidden_check(solution_results):
    failing = [(c.id, c.status, c.message("en")) for c in solution_results.checks
               if c.status != PASSED]
    assert failing == []
    assert solution_results.score == pytest.approx(load_rubric().total)


def test_untouched_stubs_report_every_check_as_not_attempted():
    results = run_checks(read_student_files(config.EXERCISES_DIR), suites=("public",))
    wrong = [(c.id, c.status, c.message("en")) for c in results.checks
             if c.status != NOT_ATTEMPTED]
    assert wrong == []
    assert results.score == 0


def test_results_have_the_gradescope_form_with_hidden_visibility(solution_results):
    doc = solution_results.to_gradescope()
    assert {"score", "max_score", "tests"} <= set(doc)
    for test in doc["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
    hidden = [t for t in doc["tests"] if "/hidden.py::" in t["number"]]
    assert hidden and all(t["visibility"] == "hidden" for t in hidden)


def test_a_missing_file_costs_only_that_exercise():
    files = read_student_files(config.SOLUTIONS_DIR)
    del files["dropout.py"]
    results = run_checks(files, exercises=["dropout", "activations"])
    by = results.by_exercise()
    assert all(c.status == NOT_ATTEMPTED for c in by["dropout"])
    assert all(c.status == PASSED for c in by["activations"])
    assert "dropout.py" in by["dropout"][0].message("en")


def test_a_syntax_error_is_reported_with_file_and_line():
    files = read_student_files(config.SOLUTIONS_DIR)
    files["activations.py"] = b"import numpy as np\n\ndef sigmoid(z)\n    return z\n"
    results = run_checks(files, exercises=["activations"], lang="es")
    message = results.checks[0].message("es")
    assert results.checks[0].status == "error"
    assert "activations.py" in message and "línea 3" in message


def test_a_wrong_sigmoid_derivative_is_named_in_both_languages(tmp_path):
    files = read_student_files(config.SOLUTIONS_DIR)
    source = files["activations.py"].decode()
    files["activations.py"] = (source + "\n\ndef sigmoid_derivative(z):\n"
                               "    return sigmoid(z)\n").encode()
    results = run_checks(files, exercises=["activations"])
    named = [c for c in results.checks if c.feedback is not None
             and c.feedback.mistake == "sigmoid_derivative_returns_sigmoid"]
    assert named, [c.message("en") for c in results.checks]
    assert "σ(z)" in named[0].message("en") and "devolviste" in named[0].message("es")


def test_a_run_leaves_a_module_named_after_an_exercise_alone(monkeypatch):
    """A notebook kernel imports the student's activations.py as ``activations``; running the
    checks there must neither replace it nor leave the check folders in sys.modules."""
    import sys
    import types

    mine = types.ModuleType("activations")
    mine.__file__ = "/somewhere/_modules/activations.py"
    monkeypatch.setitem(sys.modules, "activations", mine)
    results = run_checks(read_student_files(config.SOLUTIONS_DIR), exercises=["activations"],
                         suites=("public",))
    assert results.checks and {c.status for c in results.checks} == {PASSED}
    assert {c.id.split("/")[0] for c in results.checks} == {"activations"}
    assert sys.modules["activations"] is mine
    assert "checks" not in sys.modules


def test_a_judge_collects_the_checks_once_for_the_whole_class(monkeypatch):
    from grader.checks import direct, engine
    from grader.exercises import unit_dir

    paths = [unit_dir("activations") / "public.py", unit_dir("activations") / "hidden.py"]
    calls = []
    real = direct.collect
    monkeypatch.setattr(direct, "collect", lambda p: calls.append(list(p)) or real(p))
    monkeypatch.setattr(engine, "_COLLECTED", {})
    monkeypatch.setattr(engine, "KEEP_CHECK_MODULES", False)   # a student's own check
    first = engine._collect(paths)
    assert engine._collect(paths) == first and len(calls) == 2
    monkeypatch.setattr(engine, "KEEP_CHECK_MODULES", True)    # a judge: modules kept
    assert engine._collect(paths) == first
    assert engine._collect(paths) == first and len(calls) == 3
    assert {path.stem for path, _, _, _ in first} == {"public", "hidden"}
