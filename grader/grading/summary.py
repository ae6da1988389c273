"""The class summary: per-exercise mean and median, frequent mistakes, refused hand-ins."""

from __future__ import annotations

import statistics
from collections import Counter

from grader.exercises import ORDER
from grader.grading.model import GRADED, PARTIAL, REJECTED, ClassSummary, ExerciseStats

TOP_MISTAKES = 10


def _stats(values):
    if not values:
        return None, None
    return round(statistics.fmean(values), 2), round(statistics.median(values), 2)


def build_summary(rows, *, seed: int, isolation: dict, older: dict,
                  keras_note: str | None = None, assignment=None,
                  assignment_notes=()) -> ClassSummary:
    """``assignment``: the graded one (its exercises are the summary's lines; default: the
    exercises of the rows); ``assignment_notes``: how it was chosen, ``(key, params)``."""
    scored = [r for r in rows if r.status in (GRADED, PARTIAL)]
    if assignment is not None:
        columns = tuple(assignment.exercises)
    else:
        columns = tuple(dict.fromkeys(ex for r in rows for ex in r.scores)) or ORDER
    exercises = []
    for ex in columns:
        values = [r.scores[ex] for r in scored if r.scores.get(ex) is not None]
        maxima = [r.max_scores.get(ex, 0.0) for r in scored]
        mean, median = _stats(values)
        exercises.append(ExerciseStats(ex, max(maxima) if maxima else 0.0, mean, median,
                                       len(values)))
    totals = [r.total for r in scored if r.total is not None]
    total_mean, total_median = _stats(totals)
    counts = Counter(m for r in scored for m in r.mistakes)
    mistakes = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_MISTAKES]
    rejected = [(r.student_id, r.reasons[0]) for r in rows if r.status == REJECTED and r.reasons]
    superseded = [(sid, s.origin) for sid in sorted(older) for s in older[sid]]
    skipped = sum(1 for r in scored if any(c["status"] == "skipped"
                                           for c in (r.record or {}).get("checks", [])))
    return ClassSummary(
        seed=seed, students=len(rows), graded=sum(r.status == GRADED for r in rows),
        partial=sum(r.status == PARTIAL for r in rows), rejected=len(rejected),
        exercises=exercises, total_mean=total_mean, total_median=total_median,
        max_total=max((r.max_total for r in scored), default=100.0), mistakes=mistakes,
        rejected_rows=rejected, superseded=superseded, isolation=dict(isolation),
        skipped_students=skipped, keras_note=keras_note,
        assignment=(None if assignment is None else
                    {"name": assignment.name, "title": dict(assignment.title),
                     "notes": [{"key": k, "params": dict(p)} for k, p in assignment_notes]}))
