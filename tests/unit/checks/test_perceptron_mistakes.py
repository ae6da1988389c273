"""Every named mistake of perceptron.py is caught by the checks and named in the feedback.

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
EXERCISE = "perceptron"
SUITES = ("public", "hidden")

# mistake name -> [(function, wrong source), ...]
WRONG = {
    "perceptron_predict_ge_zero": [("predict", """
        def predict(X, w, b):
            X = np.asarray(X, dtype=np.float64)
            return np.asarray(X @ np.asarray(w, dtype=np.float64) + b >= 0, dtype=np.int64)
        """)],
    "perceptron_predict_ignores_bias": [("predict", """
        def predict(X, w, b):
            X = np.asarray(X, dtype=np.float64)
            return np.asarray(X @ np.asarray(w, dtype=np.float64) > 0, dtype=np.int64)
        """)],
    "perceptron_predict_not_integer": [("predict", """
        def predict(X, w, b):
            return np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b > 0
        """)],
    "perceptron_update_wrong_sign": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w - lr * (d - y) * x, float(b - lr * (d - y))
        """)],
    "perceptron_bias_not_updated": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w + lr * (d - y) * x, float(b)
        """)],
    "perceptron_update_uses_d": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            return w + lr * d * x, float(b + lr * d)
        """)],
    "perceptron_update_without_lr": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w + (d - y) * x, float(b + (d - y))
        """)],
    "modified_in_place": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            error = int(d) - int(predict(x, w, b))
            w += lr * error * x
            return w, float(b + lr * error)
        """)],
    "perceptron_train_does_not_stop": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    mistakes += int(predict(x_i, w, b) != d_i)
                    w, b = update(w, b, x_i, d_i, lr)
                errors.append(mistakes)
            return w, b, errors
        """)],
    "perceptron_train_zero_epoch_not_recorded": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    mistakes += int(predict(x_i, w, b) != d_i)
                    w, b = update(w, b, x_i, d_i, lr)
                if mistakes == 0:
                    break
                errors.append(mistakes)
            return w, b, errors
        """)],
    "perceptron_train_counts_after_update": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    w, b = update(w, b, x_i, d_i, lr)
                    mistakes += int(predict(x_i, w, b) != d_i)
                errors.append(mistakes)
                if mistakes == 0:
                    break
            return w, b, errors
        """)],
    "perceptron_train_counts_after_epoch": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                for x_i, d_i in zip(X, d):
                    w, b = update(w, b, x_i, d_i, lr)
                errors.append(int(np.sum(predict(X, w, b) != d)))
                if errors[-1] == 0:
                    break
            return w, b, errors
        """)],
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
