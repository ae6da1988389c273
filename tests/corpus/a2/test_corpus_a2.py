"""Regression suite: the independent corpus of assignment-2 implementations, graded.

The cases beside this file were written from the contract alone
(/work/shared/exercise-api.md, "Assignments 2 and 3") by someone who had not read
the checks; MANIFEST.toml says which are correct and, for the wrong ones, what is
wrong. Each case is one complete module, graded as ``grader grade`` grades an
exercise (public and hidden checks, the other modules from the reference). Correct
cases must get full marks, wrong ones must lose points, and the share of wrong ones
whose feedback names a mistake or states the broken rule is printed and held above a
floor.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from grader import config
from grader.checks.results import PASSED

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

HERE = Path(__file__).parent
SUITES = ("public", "hidden")
DIAGNOSED_FLOOR = 0.80
# Feedback that states the broken rule itself (a symptom), beyond a named mistake.
SPECIFIC = ("feedback.data_", "feedback.es_", "feedback.optimizers_", "feedback.clause_",
            "feedback.modified_in_place", "feedback.warning_emitted", "feedback.wrong_dtype",
            "feedback.finite_difference")

CASES = tomllib.loads((HERE / "MANIFEST.toml").read_text(encoding="utf-8"))["case"]


def _known(module: str) -> bool:
    from grader.exercises import EXERCISES

    return module in EXERCISES


@lru_cache(maxsize=None)
def _graded(case_id: str):
    from grader.checks.engine import run_checks
    from grader.checks.session import read_student_files

    case = next(c for c in CASES if c["id"] == case_id)
    files = read_student_files(Path(config.SOLUTIONS_DIR))
    files[f"{case['module']}.py"] = (HERE / case["path"]).read_bytes()
    results = run_checks(files, exercises=[case["module"]], suites=SUITES, graded=True,
                         lang="en")
    checks = [c for c in results.checks if c.exercise == case["module"]]
    failing = [c for c in checks if c.status != PASSED]
    return sum(c.points for c in checks), sum(c.max_points for c in checks), failing


def _skip_unless_known(case):
    if not _known(case["module"]):
        pytest.skip(f"exercise {case['module']} is not registered (exercise units not loaded)")


@pytest.mark.parametrize("case", [c for c in CASES if c["verdict"] == "correct"],
                         ids=lambda c: c["id"])
def test_a_correct_implementation_gets_full_marks(case):
    _skip_unless_known(case)
    score, top, failing = _graded(case["id"])
    assert score == top, [(c.id, c.message("en")[:300]) for c in failing]


@pytest.mark.parametrize("case", [c for c in CASES if c["verdict"] == "wrong"],
                         ids=lambda c: c["id"])
def test_a_wrong_implementation_loses_points(case):
    _skip_unless_known(case)
    score, top, failing = _graded(case["id"])
    assert score < top, f"{case['id']} ({case.get('mistake')}) got full marks"
    for c in failing:       # every failure renders in both languages; no bug in a check
        assert c.message("es") and c.message("en")
        assert c.feedback is None or c.feedback.key != "feedback.internal_error", c.message("en")


def _diagnosed(failing) -> bool:
    return any(c.feedback is not None and (c.feedback.mistake or c.feedback.key.startswith(SPECIFIC))
               for c in failing)


def test_most_wrong_implementations_are_diagnosed(capsys):
    wrong = [c for c in CASES if c["verdict"] == "wrong"]
    if not all(_known(c["module"]) for c in wrong):
        pytest.skip("assignment 2's exercise units are not loaded")
    diagnosed = sum(_diagnosed(_graded(c["id"])[2]) for c in wrong)
    with capsys.disabled():
        print(f"\nassignment 2 corpus: {diagnosed}/{len(wrong)} wrong cases diagnosed")
    assert diagnosed >= DIAGNOSED_FLOOR * len(wrong)
