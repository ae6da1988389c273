"""From a submission and its graded record to the student's gradebook row."""

from __future__ import annotations

import copy

from grader import config
from grader.exercises import EXERCISES, ORDER
from grader.grading.model import CONFLICT, GRADED, PARTIAL, REJECTED, StudentRow
from grader.ingest.identity import conflict_problem
from grader.ingest.model import Problem, Submission

PASSING = ("passed", "skipped", "not_run")
INTERNAL_KEYS = ("feedback.internal_error", "feedback.check_not_run", "feedback.sandbox_failed")


def _apply_file_problems(record: dict, problems: dict):
    """Checks of an exercise whose file could not be graded say why (not 'file not found')."""
    for check in record["checks"]:
        problem = problems.get(EXERCISES[check["exercise"]].filename)
        if problem is None:
            continue
        check["status"] = ("not_attempted" if problem.key == "grading.reason.empty_file"
                           else "error")
        check["points"] = 0.0
        check["feedback"] = {"key": problem.key, "params": dict(problem.params),
                             "mistake": None, "details": None}


def _note_dependencies(record: dict):
    """A failing check that may fail because of another exercise says which one: a
    dependency that failed and that the grading did not replace by the reference (every
    function of a dependency can be replaced, random ones included: their generator
    travels to the judge and back)."""
    failing = {c["exercise"] for c in record["checks"] if c["status"] not in PASSING}
    substituted = set(record.get("substituted") or [])
    for check in record["checks"]:
        if check["status"] in PASSING + ("not_attempted",):
            continue
        deps = [d for d in EXERCISES[check["exercise"]].depends_on
                if d in failing and d not in substituted]
        if deps and not any(n and n.get("key") == "feedback.dependency_failing"
                            for n in check["notes"]):
            check["notes"].append({"key": "feedback.dependency_failing",
                                   "params": {"deps": ", ".join(deps)}, "mistake": None,
                                   "details": None})


def _assignment_exercises(exercises) -> tuple[str, ...]:
    """The exercises of the graded assignment (the gradebook's columns); default: assignment 1's."""
    if exercises is None:
        from grader.assignments import get

        exercises = get().exercises
    return tuple(exercises)


FORBIDDEN_KINDS = ("forbidden_import", "read_reference", "forbidden_operation")


def forbidden_kind(feedback: dict) -> str:
    """What a forbidden check did, as one of FORBIDDEN_KINDS (its reason is said in words)."""
    if feedback.get("key") == "feedback.forbidden_import":
        return "forbidden_import"
    message = str((feedback.get("params") or {}).get("message") or "")
    for kind in ("read_reference", "forbidden_import"):
        if kind in message:
            return kind
    return "forbidden_operation"


def _identity(sub: Submission) -> dict:
    return {"key": sub.key, "conflict": list(sub.conflict), "claimed_id": sub.claimed_id}


def rejected_row(sub: Submission, *, seed: int, problem: Problem, superseded=(),
                 report_dir: str = "", exercises=None) -> StudentRow:
    """A row without scores; ``exercises``: the assignment's (its columns)."""
    exercises = _assignment_exercises(exercises)
    reasons = [problem] + ([conflict_problem(sub)] if sub.conflict else [])
    return StudentRow(student_id=sub.student_id, name=sub.name, source=sub.source,
                      origin=sub.origin, status=REJECTED, seed=seed, sha256=sub.sha256,
                      timestamp=sub.timestamp, scores={ex: None for ex in exercises},
                      max_scores={}, total=None, reasons=reasons, notes=list(sub.notes),
                      lms=dict(sub.lms), superseded=list(superseded), report_dir=report_dir,
                      **_identity(sub))


def graded_row(sub: Submission, record: dict, *, seed: int, superseded=(),
               report_dir: str = "", exercises=None) -> StudentRow:
    """The row of a graded record; ``exercises``: the assignment's (its columns; default:
    those the record was graded for, else assignment 1's)."""
    exercises = _assignment_exercises(exercises if exercises is not None
                                      else record.get("exercises"))
    record = copy.deepcopy(record)
    _apply_file_problems(record, sub.file_problems)
    _note_dependencies(record)
    scores: dict[str, float] = {ex: 0.0 for ex in exercises}
    maxima: dict[str, float] = {ex: 0.0 for ex in exercises}
    for check in record["checks"]:
        if check["exercise"] not in scores:
            continue
        scores[check["exercise"]] += float(check["points"])
        maxima[check["exercise"]] += float(check["max_points"])
    reasons: list[Problem] = []
    partial = False
    for ex in exercises:
        filename = EXERCISES[ex].filename
        if filename in sub.file_problems:
            reasons.append(sub.file_problems[filename])
            partial = True
        elif filename not in sub.files:
            reasons.append(Problem("grading.reason.missing_file", {"file": filename}))
            partial = True
    forbidden: dict[str, str] = {}
    for c in record["checks"]:
        if c["status"] == "forbidden" and c["exercise"] not in forbidden:
            forbidden[c["exercise"]] = forbidden_kind(c.get("feedback") or {})
    for ex in sorted(forbidden, key=ORDER.index):
        reasons.append(Problem(f"batch.reason.forbidden.{forbidden[ex]}", {"exercise": ex}))
    syntax: dict[str, dict] = {}
    for c in record["checks"]:
        fb = c.get("feedback") or {}
        if fb.get("key") == "feedback.syntax_error" and c["exercise"] not in syntax:
            syntax[c["exercise"]] = fb.get("params") or {}
    for ex in sorted(syntax, key=ORDER.index):
        params = syntax[ex]
        reasons.append(Problem("batch.reason.syntax_error", {
            "file": str(params.get("file") or EXERCISES[ex].filename),
            "line": params.get("line") if params.get("line") is not None else "?"}))
        partial = True
    imports: dict[str, str] = {}        # file -> why it could not be imported: said once
    for c in record["checks"]:
        fb = c.get("feedback") or {}
        if fb.get("key") == "feedback.import_failed" and c["exercise"] not in forbidden:
            params = fb.get("params") or {}
            name = str(params.get("file") or EXERCISES[c["exercise"]].filename)
            imports.setdefault(name, str(params.get("message") or "?")[:300])
    for name, message in imports.items():
        key = ("batch.reason.import_failed_module" if message.startswith("ModuleNotFoundError")
               else "batch.reason.import_failed")
        reasons.append(Problem(key, {"file": name, "message": message,
                                     "limit": config.MAX_EXTRA_MODULES}))
        partial = True
    if record.get("deadline_exceeded"):
        reasons.append(Problem("grading.reason.submission_time", {}))
        partial = True
    internal = [c["id"] for c in record["checks"]
                if (c.get("feedback") or {}).get("key") in INTERNAL_KEYS]
    if internal:
        reasons.append(Problem("grading.reason.internal_error", {"checks": len(internal)}))
        partial = True
    mistakes = sorted({(c.get("feedback") or {}).get("mistake") for c in record["checks"]
                       if c["status"] not in PASSING} - {None})
    total = round(sum(scores.values()), 4)
    status = PARTIAL if partial else GRADED
    if sub.conflict:
        reasons.insert(0, conflict_problem(sub))
        status = CONFLICT
    return StudentRow(student_id=sub.student_id, name=sub.name, source=sub.source,
                      origin=sub.origin, status=status, seed=seed,
                      sha256=sub.sha256, timestamp=sub.timestamp,
                      scores={ex: round(v, 4) for ex, v in scores.items()},
                      max_scores={ex: round(v, 4) for ex, v in maxima.items()}, total=total,
                      max_total=round(sum(maxima.values()), 4) or 100.0, reasons=reasons,
                      notes=list(sub.notes), lms=dict(sub.lms), superseded=list(superseded),
                      mistakes=mistakes, report_dir=report_dir, record=record,
                      files=dict(sub.files), **_identity(sub))
