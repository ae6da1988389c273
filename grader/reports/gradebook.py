"""The gradebook: one CSV row per student, importable into Canvas and Moodle as it is.

Columns (see docs/grading.md for the import steps):

- ``Student, ID, SIS User ID, SIS Login ID, Section``: the leading columns
  Canvas's gradebook import requires and matches students on (``ID`` is the
  Canvas user id of a Canvas download; for other sources the id is also put
  in the SIS columns, which Canvas tries next);
- one column per exercise of the graded assignment, named after it, then ``total``;
- ``status`` (graded / partial / rejected), ``reason``, ``seed``, ``sha256``;
- ``Identifier, Grade, Last modified (grade)``: the columns Moodle's
  "Upload grading worksheet" reads (filled for submissions downloaded from
  Moodle: ``Participant <number>``, the total, the hand-in time).

Rows are sorted by student id; numbers use a dot and at most two decimals;
nothing in it depends on when or how fast the run went, so a resumed run
writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from grader.assignments import get as get_assignment
from grader.grading.model import REJECTED
from grader.i18n import t

CANVAS_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_COLUMNS = ["Identifier", "Grade", "Last modified (grade)"]


def columns(exercises) -> list[str]:
    """The CSV header for an assignment with these exercises."""
    return CANVAS_COLUMNS + list(exercises) + ["total", "status", "reason", "seed", "sha256"] \
        + MOODLE_COLUMNS


def row_exercises(rows, exercises=None) -> tuple[str, ...]:
    """The exercise columns: those given, else the rows' (each row holds its assignment's
    exercises), else the default assignment's."""
    if exercises is not None:
        return tuple(exercises)
    found = tuple(dict.fromkeys(ex for r in rows for ex in r.scores))
    return found or get_assignment().exercises


COLUMNS = columns(get_assignment().exercises)     # the default assignment's (assignment 1)


def number(value) -> str:
    """17.5, 20, 0.33: at most two decimals, no trailing zeros, empty for None."""
    if value is None:
        return ""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _moodle_time(timestamp: float) -> str:
    if not timestamp:
        return ""
    when = dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def gradebook_rows(rows, lang: str, exercises=None) -> list[list[str]]:
    """The CSV table; ``exercises``: the assignment's (default: see row_exercises)."""
    exercises = row_exercises(rows, exercises)
    table = [columns(exercises)]
    for r in rows:
        # A conflict row (several hand-ins claim one id) carries no id an LMS would import:
        # importing it would give one student the grade of whichever row came last.
        conflict = r.status == "conflict"
        canvas = r.lms.get("canvas_user") if not conflict else None
        participant = r.lms.get("moodle_participant") if not conflict else None
        sis = "" if canvas or conflict else r.student_id
        scores = [number(r.scores.get(ex)) if r.status != REJECTED else "" for ex in exercises]
        total = number(r.total) if r.status != REJECTED else ""
        table.append([
            r.name or "", canvas or ("" if conflict else r.student_id), sis, sis, "",
            *scores, total, r.status, r.reason_text(lang), str(r.seed), r.sha256,
            f"Participant {participant}" if participant else "",
            total if participant else "",
            _moodle_time(r.timestamp) if participant else "",
        ])
    return table


FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n",
                 "\uff1d", "\uff0b", "\uff0d", "\uff20")     # and their full-width forms


def neutralize(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a ' first
    (also after leading spaces, which some spreadsheets skip before reading a formula)."""
    cell = str(cell)
    return "'" + cell if cell.lstrip(" \u00a0\u3000").startswith(FORMULA_START) else cell


def gradebook_csv(rows, lang: str, exercises=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[neutralize(c) for c in row]
                      for row in gradebook_rows(rows, lang, exercises)])
    return buffer.getvalue().encode("utf-8")


def gradebook_text(rows, lang: str, *, width: int = 40, exercises=None) -> str:
    """The gradebook as an aligned text table, for the terminal."""
    if not rows:
        return t("grading.gradebook.empty", lang)
    exercises = row_exercises(rows, exercises)
    head = [t("grading.gradebook.col_id", lang), t("grading.gradebook.col_name", lang),
            *exercises, t("grading.gradebook.col_total", lang), t("grading.gradebook.col_status", lang)]
    body = []
    for r in rows:
        from grader.reports.summary import status_text

        status = status_text(r.status, lang)
        reason = r.reason_text(lang)
        if reason:
            status += ": " + (reason if len(reason) <= width else reason[:width - 3] + "...")
        body.append([r.key, (r.name or "")[:24],
                     *[number(r.scores.get(ex)) if r.status != REJECTED else "-" for ex in exercises],
                     number(r.total) if r.total is not None else "-", status])
    widths = [max(len(str(row[i])) for row in [head] + body) for i in range(len(head) - 1)]
    lines = []
    for row in [head] + body:
        cells = [str(c).ljust(w) if i < 2 else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells + [str(row[-1])]).rstrip())
    return "\n".join(lines)
