"""The Keras checks (tests/checks/keras): solutions pass, mistakes fail, no Keras means a skip.

Student directories are the reference solutions with ONE function replaced by a
wrong version (source code below), run through the engine with the Keras suite
only. Keras's results come from one baseline cache warmed once for this module.
"""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from grader import config
from grader.baseline import suite
from grader.checks.engine import run_checks, skip_feedback
from grader.checks.results import FAILED, NOT_ATTEMPTED, NOT_RUN, PASSED
from grader.checks.session import read_student_files
from grader.devtools.mutate import solutions_with
from grader.i18n import catalog
from grader.rubric import load_rubric

pytestmark = pytest.mark.keras

REPO_ROOT = Path(__file__).resolve().parents[3]
KERAS = ("keras",)
EXERCISES = suite.KERAS_EXERCISES

# mistake -> (exercise, function, wrong source, {exercise whose Keras check must fail: what it
# must say}). "mistake" is the name the feedback must give (None: only located).
WRONG = {
    "hidden_delta_missing_sigma_prime": ("backprop", "hidden_delta", """
        def hidden_delta(delta_next, W_next, Z, mask=None):
            delta = np.asarray(delta_next, dtype=float) @ np.asarray(W_next, dtype=float).T
            return delta if mask is None else delta * np.asarray(mask, dtype=float)
        """, {"backprop": {"name": "dW2", "mistake": None}, "sgd": {"epoch": 1}}),
    "layer_gradients_summed": ("backprop", "layer_gradients", """
        def layer_gradients(delta, A_prev):
            delta, A_prev = np.asarray(delta, dtype=float), np.asarray(A_prev, dtype=float)
            return A_prev.T @ delta, delta.sum(axis=0)
        """, {"backprop": {"name": "dW3", "mistake": "layer_gradients_summed"},
              "sgd": {"epoch": 1}}),
    "dropout_missing_inverted_scaling": ("dropout", "dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("rate must satisfy 0 <= rate < 1")
            return (rng.random(shape) >= rate).astype(np.float64)
        """, {"dropout": {"mistake": "dropout_missing_inverted_scaling"}}),
    "dropout_active_at_inference": ("dropout", "dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask, mask
        """, {"dropout": {"mistake": "dropout_active_at_inference"}}),
    "sigmoid_derivative_applied_to_sigmoid": ("activations", "sigmoid_derivative", """
        def sigmoid_derivative(z):
            s = sigmoid(sigmoid(z))
            return s * (1.0 - s)
        """, {"activations": {"mistake": "sigmoid_derivative_applied_to_sigmoid"},
              "backprop": {"name": "dW2"}, "sgd": {"epoch": 1}}),
    "sgd_step_adds_the_gradient": ("sgd", "sgd_step", """
        def sgd_step(params, grads, lr):
            return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
        """, {"sgd": {"epoch": 1}}),
}


def student_files(exercise=None, func=None, source=None) -> dict:
    return solutions_with(exercise, [(func, source)] if exercise else [])


@pytest.fixture(scope="module")
def warm_cache_dir(tmp_path_factory):
    """A baseline cache holding every Keras result, used as the default cache meanwhile."""
    directory = tmp_path_factory.mktemp("keras-baseline")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DL_GRADER_CACHE", str(directory))
        assert suite.warm_cache(in_subprocess=False) == list(EXERCISES)
        yield directory / "baseline"


def _by_exercise(results) -> dict:
    return {c.exercise: c for c in results.checks}


@pytest.mark.sandbox
@pytest.mark.parametrize("graded", [False, True], ids=["check", "grade"])
def test_the_solutions_pass_every_keras_check_and_the_stubs_are_not_attempted(warm_cache_dir,
                                                                              graded):
    keras_ids = {i.id for i in load_rubric().for_exercises(EXERCISES, KERAS)}
    assert len(keras_ids) == 4 and all("/keras.py::" in i for i in keras_ids)
    for directory, status in (("solutions", PASSED), ("exercises", NOT_ATTEMPTED)):
        results = run_checks(read_student_files(REPO_ROOT / directory), exercises=EXERCISES,
                             suites=KERAS, lang="en", graded=graded)
        assert {c.id for c in results.checks} == keras_ids
        assert {c.status for c in results.checks} == {status}, [
            (c.id, c.message("en")) for c in results.checks if c.status != status]


@pytest.mark.sandbox
@pytest.mark.parametrize("mistake", list(WRONG))
def test_the_keras_checks_catch_the_mistake(warm_cache_dir, mistake):
    exercise, func, source, expected = WRONG[mistake]
    results = run_checks(student_files(exercise, func, source), exercises=EXERCISES,
                         suites=KERAS, lang="en")
    by = _by_exercise(results)
    assert {ex for ex, c in by.items() if c.status != PASSED} == set(expected), [
        (c.id, c.status, c.message("en")) for c in results.checks]
    for ex, want in expected.items():
        check = by[ex]
        assert check.status == FAILED, check.message("en")
        fb = check.feedback
        assert fb.key.startswith("feedback.keras_"), check.message("en")
        assert check.message("es") != check.message("en")
        if "mistake" in want:
            assert fb.mistake == want["mistake"], check.message("en")
        if "name" in want:
            assert fb.params["name"] == want["name"], check.message("en")
        if "epoch" in want:
            assert fb.key == "feedback.keras_loss_diverges" and fb.params["epoch"] == want["epoch"]


def _without_keras(monkeypatch, tmp_path):
    """Keras and every backend look uninstalled (find_spec), and the baseline cache is empty."""
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name.split(".")[0] in ("keras", "tensorflow", "jax"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    monkeypatch.setenv("DL_GRADER_CACHE", str(tmp_path))


@pytest.mark.sandbox
def test_without_keras_and_without_a_cached_baseline_the_checks_are_not_run_not_failed(
        monkeypatch, tmp_path):
    _without_keras(monkeypatch, tmp_path)
    assert not suite.keras_importable()
    results = run_checks(student_files(), exercises=EXERCISES, suites=("public", "keras"),
                         lang="es")
    keras = [c for c in results.checks if c.suite == "keras"]
    assert len(keras) == 4 and {c.status for c in keras} == {NOT_RUN}
    for c in keras:
        assert c.feedback.key == suite.SKIP_KEY and c.points == 0 and c.max_points == 1.5
        assert "TensorFlow" in c.message("es") and c.message("es").startswith("No ejecutada")
        assert c.message("en").startswith("Not run")
        for lang in ("es", "en"):   # never a promise that it runs later
            assert "grader grade" not in c.message(lang)
    assert {c.status for c in results.checks if c.suite == "public"} == {PASSED}
    assert results.all_passed
    # What ran is scored on its own: a perfect student has every point of what ran.
    assert results.score == results.max_score > 0
    assert results.not_run_points == 6.0
    doc = results.to_gradescope()
    assert doc["score"] == doc["max_score"] == results.max_score
    for test in doc["tests"]:
        if "/keras.py::" in test["number"]:
            assert "status" not in test and test["max_score"] == 0
            assert test["extra_data"]["status"] == NOT_RUN
        else:
            assert test["status"] == "passed"
    assert sorted(doc["extra_data"]["not_run"]) == sorted(c.id for c in keras)
    note = results.not_run_note("en")
    assert note.startswith(f"{results.score:g}/{results.max_score:g} on the checks run here")
    assert "TensorFlow" in note and "TensorFlow" in results.not_run_note("es")
    assert not any(tmp_path.rglob("*.npz"))


def test_warm_cache_reports_missing_keras_and_computes_nothing_when_all_is_cached(
        warm_cache_dir, monkeypatch, tmp_path):
    def no_child(*args, **kwargs):
        raise AssertionError("a cached result was computed again")

    monkeypatch.setattr(subprocess, "run", no_child)
    assert suite.warm_cache(EXERCISES + ("perceptron",)) == list(EXERCISES)
    _without_keras(monkeypatch, tmp_path)
    with pytest.raises(suite.KerasUnavailable) as info:
        suite.warm_cache(["sgd"])
    message = info.value.message
    assert "keras" in message("en") and message("es") != message("en")
    assert suite.warm_cache(["perceptron"]) == []


def test_a_skip_reason_that_is_a_catalog_key_is_rendered_in_each_language():
    note = skip_feedback(suite.SKIP_KEY)
    assert note.key == suite.SKIP_KEY
    assert note.render("es") != note.render("en") and "TensorFlow" in note.render("en")
    assert "grader grade" not in note.render("en")   # never a promise that it runs later
    other = skip_feedback("reference solutions not available")
    assert other.key == "feedback.skipped" and "reference" in other.render("en")


def test_every_baseline_error_key_is_in_the_catalog():
    used = set()
    for path in (config.PACKAGE_DIR / "baseline").glob("*.py"):
        used.update(re.findall(r"""Error\(\s*["'](baseline\.[a-z_]+)["']""", path.read_text()))
        used.update(re.findall(r"""Unavailable\(\s*["'](baseline\.[a-z_]+)["']""",
                               path.read_text()))
    assert used >= {"baseline.no_gpu", "baseline.no_keras"} and used <= set(catalog())


@pytest.mark.sandbox
@pytest.mark.slow
def test_grader_check_never_imports_tensorflow_even_when_it_computes_the_baseline(tmp_path):
    """In a fresh process with an empty cache: the perceptron needs no baseline at all; the
    activations' Keras check computes its baseline in a child process, never in this one."""
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from grader.checking import check
        heavy = ("tensorflow", "keras", "jax")
        results = check({str(REPO_ROOT / "solutions")!r}, ["perceptron"], lang="en")
        print(sorted({{c.status for c in results.checks}}),
              sorted(m for m in heavy if m in sys.modules),
              len(list(Path({str(tmp_path)!r}).rglob("*.npz"))))
        results = check({str(REPO_ROOT / "solutions")!r}, ["activations"], lang="en")
        print(sorted({{c.status for c in results.checks}}),
              sorted(m for m in heavy if m in sys.modules),
              len(list(Path({str(tmp_path)!r}).rglob("*.npz"))) > 0,
              sorted({{c.suite for c in results.checks}}))
    """)
    env = {**os.environ, "DL_GRADER_CACHE": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=config.REPO_DIR, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    perceptron, activations = done.stdout.strip().splitlines()[-2:]
    assert perceptron == "['passed'] [] 0"
    assert activations == "['passed'] [] True ['keras', 'public']"
