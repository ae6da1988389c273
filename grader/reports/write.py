"""Writing everything `grader grade` produces into the output folder, atomically."""

from __future__ import annotations

import json
from pathlib import Path

from grader.grading.model import GradeReport
from grader.grading.summary import build_summary
from grader.atomic import atomic_write_bytes, atomic_write_text
from grader.reports.gradebook import gradebook_csv
from grader.reports.student import feedback_html, feedback_markdown, results_json
from grader.ingest.model import Problem
from grader.reports.summary import summary_html, summary_json, summary_text
from grader.reports.terminal import markdown_safe, terminal_safe

GRADEBOOK = "gradebook.csv"
SUMMARY_MD = "summary.md"
SUMMARY_JSON = "summary.json"
SUMMARY_HTML = "summary.html"


def _scrub(value):
    """Every string of a JSON tree without control characters or bidi overrides."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def write_student(row, out: Path, lang: str):
    # What student code printed or raised reaches these reports: an instructor who `cat`s
    # feedback.md must not run its escapes, nor read text a bidi override reordered.
    folder = Path(out) / row.report_dir
    doc = json.dumps(_scrub(results_json(row, lang)), indent=2, ensure_ascii=False,
                     sort_keys=True) + "\n"
    atomic_write_text(folder / "results.json", doc, only_if_changed=True, durable=False)
    atomic_write_text(folder / "feedback.md", markdown_safe(feedback_markdown(row, lang)),
                      only_if_changed=True, durable=False)
    atomic_write_text(folder / "feedback.html", terminal_safe(feedback_html(row, lang)),
                      only_if_changed=True, durable=False)


def write_student_safely(row, out: Path, lang: str):
    """write_student; a report that cannot be made becomes a reason of that row (a full or
    read-only output folder stops the batch: OSError)."""
    try:
        write_student(row, out, lang)
    except (OSError, ValueError, KeyError, TypeError, UnicodeError, RecursionError) as exc:
        if isinstance(exc, OSError) and exc.errno in (28, 30, 122):   # full, read-only
            raise
        row.reasons.append(Problem("batch.reason.report_failed", {"error": type(exc).__name__}))


def write_outputs(rows, *, out: Path, seed: int, lang: str, isolation: dict, older: dict,
                  skipped: int, graded_now: int, jobs: int,
                  keras_note: str | None = None, assignment=None,
                  assignment_notes=(), written=frozenset()) -> GradeReport:
    """``written``: the keys of rows whose reports were written already (``grader grade``
    writes each as soon as its row is made, while the other students are graded)."""
    out = Path(out)
    for row in rows:
        if row.key not in written:
            write_student_safely(row, out, lang)
    summary = build_summary(rows, seed=seed, isolation=isolation, older=older,
                            keras_note=keras_note, assignment=assignment,
                            assignment_notes=assignment_notes)
    atomic_write_text(out / SUMMARY_MD,
                      markdown_safe(summary_text(summary, lang, markdown=True)))
    atomic_write_text(out / SUMMARY_HTML, summary_html(summary, lang))
    atomic_write_text(out / SUMMARY_JSON, json.dumps(summary_json(summary), indent=2,
                                                     ensure_ascii=False) + "\n")
    columns = assignment.exercises if assignment is not None else None
    atomic_write_bytes(out / GRADEBOOK, gradebook_csv(rows, lang, exercises=columns))
    return GradeReport(rows=list(rows), summary=summary, out=out, gradebook_path=out / GRADEBOOK,
                       summary_path=out / SUMMARY_MD, seed=seed, skipped_unchanged=skipped,
                       graded_now=graded_now, network_isolated=bool(isolation.get("network")),
                       isolation=dict(isolation), jobs=jobs, lang=lang,
                       html_path=out / SUMMARY_HTML)
