"""The class summary: per-exercise mean and median, frequent mistakes, refused hand-ins."""

from __future__ import annotations

import statistics
from collections import Counter

from grader.exercises import ORDER
from grader.grading.model import (CONFLICT, GRADED, PARTIAL, REJECTED, ClassSummary,
                                  ExerciseStats)

TOP_MISTAKES = 10
BINS = 10                       # histogram bins over 0..max points


def histogram(values, top: float, bins: int = BINS) -> list[int]:
    """Counts of ``values`` in ``bins`` equal bins over [0, top] (the last one closed)."""
    counts = [0] * bins
    if top <= 0:
        return counts
    for v in values:
        i = int(min(max(v, 0.0), top) / top * bins)
        counts[min(i, bins - 1)] += 1
    return counts


def check_rates(rows) -> list:
    """[(check id, {lang: title}, passed, run)] over every graded row, in rubric order."""
    seen: dict[str, list] = {}
    for r in rows:
        for c in (r.record or {}).get("checks", []):
            entry = seen.setdefault(c["id"], [c.get("title") or {}, 0, 0, c["exercise"]])
            if c["status"] == "skipped":
                continue
            entry[2] += 1
            entry[1] += c["status"] == "passed"
    return [(cid, title, passed, run) for cid, (title, passed, run, _) in seen.items()]


def _stubs() -> dict:
    from grader import config

    stubs = {}
    if config.EXERCISES_DIR.is_dir():
        for path in sorted(config.EXERCISES_DIR.glob("*.py")):
            try:
                stubs[path.name] = path.read_bytes()
            except OSError:
                pass
    return stubs


def similar(rows) -> list:
    """Pairs of graded rows whose code is identical or near-identical (see similarity.py)."""
    from grader.grading.similarity import similar_pairs

    files = {r.key: r.files for r in rows if r.files and r.status != REJECTED}
    try:
        return similar_pairs(files, _stubs())
    except Exception:  # noqa: BLE001 - a report section, never a reason to fail the batch
        return []


def _stats(values):
    if not values:
        return None, None
    return round(statistics.fmean(values), 2), round(statistics.median(values), 2)


def build_summary(rows, *, seed: int, isolation: dict, older: dict,
                  keras_note: str | None = None, assignment=None,
                  assignment_notes=()) -> ClassSummary:
    """``assignment``: the graded one (its exercises are the summary's lines; default: the
    exercises of the rows); ``assignment_notes``: how it was chosen, ``(key, params)``."""
    scored = [r for r in rows if r.status in (GRADED, PARTIAL, CONFLICT)]
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
    skipped = sum(1 for r in scored if any(c["status"] in ("skipped", "not_run")
                                           for c in (r.record or {}).get("checks", [])))
    histograms = {s.exercise: histogram([r.scores[s.exercise] for r in scored
                                         if r.scores.get(s.exercise) is not None], s.max_points)
                  for s in exercises}
    histograms["total"] = histogram(totals, max((r.max_total for r in scored), default=100.0))
    attention = [(r.key, list(r.reasons)) for r in rows if r.attention]
    return ClassSummary(
        conflicts=sum(r.status == CONFLICT for r in rows), attention_rows=attention,
        histograms=histograms, check_rates=check_rates(scored), similar=similar(rows),
        weak_isolation=bool(isolation.get("weak_allowed")),
        seed=seed, students=len(rows), graded=sum(r.status == GRADED for r in rows),
        partial=sum(r.status == PARTIAL for r in rows), rejected=len(rejected),
        exercises=exercises, total_mean=total_mean, total_median=total_median,
        max_total=max((r.max_total for r in scored), default=100.0), mistakes=mistakes,
        rejected_rows=rejected, superseded=superseded, isolation=dict(isolation),
        skipped_students=skipped, keras_note=keras_note,
        assignment=(None if assignment is None else
                    {"name": assignment.name, "title": dict(assignment.title),
                     "notes": [{"key": k, "params": dict(p)} for k, p in assignment_notes]}))
