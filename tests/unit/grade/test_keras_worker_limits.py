"""The Keras workers' limits: their profile raises --memory and --timeout to what Keras
needs (never lowers them), and the class summary (text, md, html, json) says what they were,
with a note when --memory was below them (keras-ignores-memory-limit)."""

import json

import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.grading.batch import _settings, keras_worker_limits
from grader.grading.summary import build_summary
from grader.reports.summary import summary_html, summary_json, summary_text
from grader.sandbox.runner import SandboxLimits

KERAS_MB = config.KERAS_WORKER["memory_mb"]
KERAS_CALL_S = config.KERAS_WORKER["call_timeout_s"]


def test_the_keras_profile_raises_the_limits_asked_for_and_never_lowers_them():
    low = SandboxLimits(memory_mb=512, call_timeout_s=3.0).profile("keras")
    assert (low.memory_mb, low.call_timeout_s) == (KERAS_MB, KERAS_CALL_S)
    high = SandboxLimits(memory_mb=2 * KERAS_MB, call_timeout_s=2 * KERAS_CALL_S,
                         cpu_s=10_000).profile("keras")
    assert high.memory_mb == 2 * KERAS_MB and high.call_timeout_s == 2 * KERAS_CALL_S
    assert high.cpu_s == 10_000 and high.preload == ("tensorflow", "keras")


def test_the_limits_of_an_assignment_with_a_keras_exercise_are_known_before_grading():
    limits = keras_worker_limits(_settings(None, 512), get_assignment("3").exercises)
    assert limits["exercises"] == ["keras_lab"]
    assert limits["memory_mb"] == KERAS_MB and limits["asked_memory_mb"] == 512
    assert limits["call_timeout_s"] == KERAS_CALL_S
    assert keras_worker_limits(_settings(None, 512), get_assignment("1").exercises) is None


def _summary(memory_mb, exercises):
    isolation = {"network": True, "filesystem": True, "processes": True, "privileges": True,
                 "process_limit": True, "memory_mode": "nofork", "memory_mb": memory_mb}
    keras = keras_worker_limits(_settings(None, memory_mb), exercises)
    if keras is not None:
        isolation["keras_workers"] = keras
    return build_summary([], seed=1, isolation=isolation, older={})


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_summary_says_the_keras_workers_limits_and_that_memory_did_not_reach_them(lang):
    summary = _summary(512, get_assignment("3").exercises)
    for text in (summary_text(summary, lang), summary_text(summary, lang, markdown=True),
                 summary_html(summary, lang)):
        assert f"{KERAS_MB} MB" in text and "keras_lab" in text
        assert "--memory 512 MB" in text                  # the note: not silently ignored
        assert f"{KERAS_MB} MB" in text.split("--memory 512 MB")[1]
        assert f"{int(KERAS_CALL_S)} s" in text
    doc = json.loads(json.dumps(summary_json(summary)))
    assert doc["isolation"]["keras_workers"]["memory_mb"] == KERAS_MB
    assert doc["isolation"]["keras_workers"]["asked_memory_mb"] == 512


def test_no_note_when_memory_covers_keras_and_no_keras_line_without_a_keras_exercise():
    enough = _summary(2 * KERAS_MB, get_assignment("3").exercises)
    text = summary_text(enough, "en")
    assert f"{2 * KERAS_MB} MB" in text.split("Keras workers")[1]
    assert f"--memory {2 * KERAS_MB} MB" not in text          # no note: it reached them
    plain = summary_text(_summary(512, get_assignment("1").exercises), "en")
    assert "Keras" not in plain and "512 MB" in plain


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_class_with_a_keras_exercise_gets_a_longer_budget_per_hand_in_and_is_told(lang):
    from grader.grading.judge import sandbox_limits
    from grader.grading.pool import task_timeout

    settings = _settings(None, None)
    limits = keras_worker_limits(settings, get_assignment("3").exercises)
    assert limits["submission_s"] == config.KERAS_SUBMISSION_S > settings["submission_s"]
    raised = dict(settings, submission_s=limits["submission_s"])
    assert sandbox_limits(raised).submission_s == config.KERAS_SUBMISSION_S
    assert task_timeout(raised) > config.KERAS_SUBMISSION_S      # the judge is not cut first
    slow = _settings(60.0, None)                                  # --timeout 60: 720 s asked
    assert keras_worker_limits(slow, get_assignment("3").exercises)["submission_s"] == 720
    text = summary_text(_summary(1024, get_assignment("3").exercises), lang)
    assert f"{int(config.KERAS_SUBMISSION_S)} s" in text
