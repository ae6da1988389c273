"""A graded submission as plain JSON data, and back to Results for the reports.

The record is language-neutral (message keys and parameters, never rendered
text), so a run stored once can be reported in Spanish or English, and the
cache never depends on ``--lang``.
"""

from __future__ import annotations

import math

import numpy as np

from grader.checks.feedback import Feedback, violation_in_words
from grader.checks.results import CheckResult, Results

RECORD_VERSION = 1


def _plain(value):
    """JSON-safe copy of a feedback parameter (numpy scalars, arrays, odd objects)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _feedback_to_dict(fb: Feedback | None) -> dict | None:
    if fb is None:
        return None
    return {"key": fb.key, "params": _plain(fb.params), "mistake": fb.mistake,
            "details": fb.details, "symptom": _plain(fb.symptom) if fb.symptom else None}


def _in_words(key: str, params: dict) -> tuple[str, dict]:
    """Feedback whose parameter is a code or English text of the worker, said in words.

    A sandbox violation carries the kinds the worker recorded (``read_reference``...)
    and a forbidden import the worker's English message; reports show them in the
    reader's language instead (batch.toml ``batch.violation.*``).
    """
    message = str(params.get("message") or "")
    if key == "feedback.violation":
        return violation_in_words(params)
    if key == "feedback.forbidden_import":
        import re

        found = re.search(r"importing '([^']{1,40})'", message)
        if found:
            return key, {**params, "message": found.group(1)}
    return key, params


def _feedback_from_dict(data: dict | None) -> Feedback | None:
    if not data:
        return None
    key, params = _in_words(data["key"], dict(data.get("params") or {}))
    return Feedback(key, params, mistake=data.get("mistake"), details=data.get("details"),
                    symptom=data.get("symptom") or None)


def results_to_record(checks: list, *, total_points: float) -> dict:
    return {
        "version": RECORD_VERSION,
        "total_points": float(total_points),
        "checks": [{
            "id": c.id, "exercise": c.exercise, "suite": c.suite, "title": dict(c.title),
            "status": c.status, "points": float(c.points), "max_points": float(c.max_points),
            "feedback": _feedback_to_dict(c.feedback),
            "notes": [_feedback_to_dict(n) for n in c.notes],
            "output": c.output[-4000:],
        } for c in checks],
    }


def record_to_results(record: dict, lang: str, *, seed: int | None) -> Results:
    checks = []
    for c in record.get("checks", []):
        checks.append(CheckResult(
            id=c["id"], exercise=c["exercise"], suite=c["suite"], title=dict(c["title"]),
            status=c["status"], points=float(c["points"]), max_points=float(c["max_points"]),
            feedback=_feedback_from_dict(c.get("feedback")),
            notes=[_feedback_from_dict(n) for n in c.get("notes", []) if n],
            output=c.get("output", "")))
    return Results(checks=checks, lang=lang, total_points=float(record.get("total_points", 100)),
                   seed=seed, mode="grade")
