"""The direct runner (grader/checks/direct.py) gives what a pytest session gives.

Each submission below is checked twice, once with ``GRADER_CHECK_RUNNER=pytest``
(a real pytest session over the same check files) and once with the direct
runner; every check must come out with the same status, points, feedback key,
named mistake and symptom. The submissions: the reference solutions, the stubs,
and one wrong module per exercise from the independent corpus (its cases were
written from the contract alone), graded (dependencies from the reference where
the student's failed) and as a student's local check.
"""

from __future__ import annotations

import pytest

from grader import config
from grader.checks import direct
from grader.checks.engine import run_checks
from grader.checks.session import FAILED_ONLY, read_student_files

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

CORPUS = config.REPO_DIR / "tests" / "corpus" / "a1"
WRONG = {   # one wrong case per exercise of assignment 1 (tests/corpus/MANIFEST.toml)
    "activations.py": "activations/a1_activations_w_sigder_z_times_one_minus_z.py",
    "perceptron.py": "perceptron/a1_perceptron_w_update_error_sign.py",
    "backprop.py": "backprop/a1_backprop_w_hidden_no_transpose.py",
    "dropout.py": "dropout/a1_dropout_w_forward_eval_scales.py",
    "sgd.py": "sgd/a1_sgd_w_train_history_before_step.py",
}


def _view(results) -> list:
    out = []
    for c in results.checks:
        fb = c.feedback
        out.append((c.id, c.status, c.points, fb.key if fb else None,
                    fb.mistake if fb else None, repr(fb.symptom) if fb else None,
                    repr(sorted(fb.params.items())) if fb else None))
    return out


def _both(monkeypatch, files, **kwargs):
    views = {}
    for runner in ("pytest", "direct"):
        monkeypatch.setenv("GRADER_CHECK_RUNNER", runner)
        views[runner] = _view(run_checks(files, **kwargs))
    return views


def _submissions() -> dict:
    solutions = read_student_files(config.SOLUTIONS_DIR)
    a1 = {name: data for name, data in solutions.items()
          if name in ("activations.py", "perceptron.py", "backprop.py", "dropout.py", "sgd.py")}
    out = {"solutions": a1, "stubs": {n: (config.EXERCISES_DIR / n).read_bytes() for n in a1}}
    for module, case in WRONG.items():
        path = CORPUS / case
        if path.is_file():
            out[f"wrong {module}"] = {**a1, module: path.read_bytes()}
    return out


SUBMISSIONS = _submissions()


@pytest.mark.parametrize("name", sorted(SUBMISSIONS))
def test_graded_checks_come_out_the_same_with_and_without_a_pytest_session(monkeypatch, name):
    views = _both(monkeypatch, SUBMISSIONS[name], suites=("public", "hidden", "keras"),
                  graded=True, seed=3, assignment="1", substitute=FAILED_ONLY)
    assert len(views["direct"]) == len(views["pytest"]) > 0
    assert views["direct"] == views["pytest"]


def test_a_students_local_check_comes_out_the_same(monkeypatch):
    files = SUBMISSIONS.get("wrong backprop.py", SUBMISSIONS["solutions"])
    views = _both(monkeypatch, files, suites=("public", "keras"), seed=0, assignment="1")
    assert views["direct"] == views["pytest"]
    assert any(status != "passed" for _, status, *_ in views["direct"])


def test_the_wrong_cases_exist_and_lose_points():
    """The comparison above means something only if the wrong cases are there and wrong."""
    assert all((CORPUS / case).is_file() for case in WRONG.values())


def test_checks_needing_more_than_the_four_fixtures_go_to_pytest(tmp_path):
    (tmp_path / "checks" / "unit").mkdir(parents=True)
    plain = tmp_path / "checks" / "unit" / "public.py"
    plain.write_text("def test_a(student, rng):\n    pass\n", encoding="utf-8")
    assert [name for _, name, _, _ in direct.collect([plain])] == ["test_a"]
    other = tmp_path / "checks" / "unit" / "hidden.py"
    other.write_text("def test_b(student, tmp_path):\n    pass\n", encoding="utf-8")
    assert direct.collect([plain, other]) is None
    marked = tmp_path / "checks" / "unit" / "keras.py"
    marked.write_text("import pytest\n\n@pytest.mark.parametrize('x', [1, 2])\n"
                      "def test_c(x):\n    pass\n", encoding="utf-8")
    assert direct.collect([marked]) is None
