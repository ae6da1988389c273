"""Regression suite: an independent corpus of assignment-1 implementations, graded.

The cases under tests/corpus/a1/ were written from the contract alone
(/work/shared/exercise-api.md) by someone who had not read the checks;
MANIFEST.toml says which are correct and, for the wrong ones, what is wrong.
Each case is one complete module; it is graded like ``grader grade`` grades an
exercise (public and hidden checks, dependencies from the reference) with the
other modules being the reference's. Correct cases must get full marks in their
exercise, wrong ones must lose points there, and the share of wrong ones whose
feedback carries a diagnosis (a named mistake or a symptom) is printed.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import pytest

from grader import config
from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.checks.session import read_student_files

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

HERE = Path(__file__).parent
SUITES = ("public", "hidden")
# The share of wrong cases diagnosed is printed; below this floor the suite fails.
DIAGNOSED_FLOOR = 0.80


def _cases() -> list[dict]:
    manifest = tomllib.loads((HERE / "MANIFEST.toml").read_text(encoding="utf-8"))
    return [c for c in manifest["case"] if c.get("assignment") == 1
            and (HERE / c["path"]).is_file()]


CASES = _cases()


@lru_cache(maxsize=None)
def _graded(case_id: str):
    case = next(c for c in CASES if c["id"] == case_id)
    files = read_student_files(Path(config.SOLUTIONS_DIR))
    files[f"{case['module']}.py"] = (HERE / case["path"]).read_bytes()
    results = run_checks(files, exercises=[case["module"]], suites=SUITES, graded=True,
                         lang="en")
    checks = [c for c in results.checks if c.exercise == case["module"]]
    score = sum(c.points for c in checks)
    top = sum(c.max_points for c in checks if c.ran)
    failing = [c for c in checks if c.status != PASSED and c.ran]
    return score, top, failing


def _describe(failing) -> str:
    return "\n".join(f"{c.id}: {c.status}: {c.message('en')[:300]}" for c in failing)


@pytest.mark.parametrize("case_id", [c["id"] for c in CASES if c["verdict"] == "correct"])
def test_a_correct_implementation_gets_full_marks(case_id):
    score, top, failing = _graded(case_id)
    assert top > 0 and score == pytest.approx(top), _describe(failing)


@pytest.mark.parametrize("case_id", [c["id"] for c in CASES if c["verdict"] == "wrong"])
def test_a_wrong_implementation_loses_points(case_id):
    score, top, _ = _graded(case_id)
    assert score < top - 1e-9


def test_most_wrong_implementations_get_a_diagnosis():
    wrong = [c["id"] for c in CASES if c["verdict"] == "wrong"]
    if not wrong:
        pytest.skip("no wrong case in the corpus")
    diagnosed = [cid for cid in wrong if any(c.diagnosis for c in _graded(cid)[2])]
    caught = [cid for cid in wrong if _graded(cid)[0] < _graded(cid)[1] - 1e-9]
    correct = [c["id"] for c in CASES if c["verdict"] == "correct"]
    full = [cid for cid in correct if _graded(cid)[0] == pytest.approx(_graded(cid)[1])]
    rate = len(diagnosed) / len(wrong)
    kinds = {kind: sum(1 for cid in diagnosed
                       if kind in next(c.diagnosis for c in _graded(cid)[2] if c.diagnosis))
             for kind in ("mistake", "symptom", "rule")}
    print(f"\ncorpus: correct with full marks {len(full)}/{len(correct)}; "
          f"wrong losing points {len(caught)}/{len(wrong)}; "
          f"wrong diagnosed {len(diagnosed)}/{len(wrong)} ({rate:.0%}: first diagnosis a named "
          f"mistake {kinds['mistake']}, a symptom {kinds['symptom']}, a broken rule "
          f"{kinds['rule']})")
    strict = [cid for cid in wrong if any(c.diagnosis and "rule" not in c.diagnosis
                                          for c in _graded(cid)[2])]
    print(f"wrong with a named mistake or a symptom (rules left out): {len(strict)}/{len(wrong)}")
    print("not diagnosed: " + ", ".join(sorted(set(wrong) - set(diagnosed))))
    assert rate >= DIAGNOSED_FLOOR
