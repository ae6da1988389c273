"""A check that could not run is neither passed nor failed, and the score says what ran."""

import pytest

from grader.checks.feedback import Feedback
from grader.checks.results import NOT_RUN, PASSED, CheckResult, Results


def _results(lang):
    checks = [CheckResult(f"sgd/public.py::test_{i}", "sgd", "public", {}, PASSED, 2.0, 2.0)
              for i in range(32)]
    checks.append(CheckResult("sgd/keras.py::test_k", "sgd", "keras", {}, NOT_RUN, 0.0, 6.0,
                              Feedback("feedback.keras_unavailable")))
    return Results(checks, lang, 100.0)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_local_score_counts_only_what_ran_and_says_why_keras_did_not(lang, capsys):
    from grader.cli import print_results

    results = _results(lang)
    assert (results.score, results.max_score, results.not_run_points) == (64.0, 64.0, 6.0)
    assert results.all_passed and results.status_of("sgd") == "complete"
    print_results(results, lang)
    out = capsys.readouterr().out
    assert "64/64" in out and "TensorFlow" in out
    assert "grader grade" not in out


def test_the_json_of_a_check_that_did_not_run_is_not_failed():
    doc = _results("en").to_gradescope()
    keras = [t for t in doc["tests"] if t["number"] == "sgd/keras.py::test_k"][0]
    assert "status" not in keras and keras["max_score"] == 0
    assert keras["extra_data"] == {"status": NOT_RUN, "diagnosis": None, "points": 6.0}
    assert (doc["score"], doc["max_score"]) == (64.0, 64.0)
    assert "64/64 on the checks run here" in doc["output"]
