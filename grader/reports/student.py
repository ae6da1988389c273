"""One student's reports: Gradescope's results.json, and feedback in Markdown and HTML.

Hidden checks appear with their title, status and points; their details (the
seeded inputs, expected values) are not shown, only the likely mistake when
it is recognized (else how the values are wrong, else that they differ from the
reference's), and what happened to the student's call (a Python exception's type, a
timeout, a crash), never text the student's code wrote (CheckResult.student_message).
In results.json they carry ``"visibility": "hidden"``.
"""

from __future__ import annotations

import html

from grader import __version__
from grader.grading.model import REJECTED
from grader.grading.records import record_to_results
from grader.i18n import t
from grader.reports.gradebook import number
from grader.reports.terminal import code_block, markdown_text


def _who(row) -> str:
    return f"{row.name} ({row.student_id})" if row.name else row.student_id


def _notes(row) -> list:
    notes = [p for p in row.notes]
    notes += [("grading.note.superseded", {"origin": o}) for o in row.superseded]
    return notes


def _render_note(note, lang, escape=None) -> str:
    if isinstance(note, tuple):
        params = note[1] if escape is None else {
            k: escape(v) if isinstance(v, str) else v for k, v in note[1].items()}
        return t(note[0], lang, **params)
    return note.render(lang, escape=escape)


def results_json(row, lang: str) -> dict:
    """Gradescope's results.json for this student (hidden checks: visibility hidden)."""
    extra = {"student_id": row.student_id, "name": row.name, "status": row.status,
             "seed": row.seed, "sha256": row.sha256, "grader_version": __version__,
             "row": row.key, "conflict": list(row.conflict), "claimed_id": row.claimed_id}
    if row.record is not None and row.record.get("assignment"):
        extra["assignment"] = row.record["assignment"]
    reasons = [p.render(lang) for p in row.reasons]
    notes = [_render_note(n, lang) for n in _notes(row)]
    if row.status == REJECTED or row.record is None:
        return {"score": 0.0, "max_score": row.max_total, "output": "\n".join(reasons + notes),
                "tests": [], "extra_data": extra}
    results = record_to_results(row.record, lang, seed=row.seed)
    doc = results.to_gradescope()
    doc["output"] = "\n".join(reasons + notes)
    doc["extra_data"] = {**doc.get("extra_data", {}), **extra}
    return doc


def _check_message(check, lang) -> str:
    if check.status == "passed":
        return ""
    return check.student_message(lang)


def _sections(row, lang):
    """(exercise, score, max, [(check, message)]) for every exercise.

    A file that could not be imported fails every check of it with the same message
    and traceback: the first of them shows it, the others say so in one line.
    """
    results = record_to_results(row.record, lang, seed=row.seed)
    by_ex = results.by_exercise()
    shown: set = set()
    for ex in row.scores:             # the exercises of the graded assignment
        checks = by_ex.get(ex, [])
        yield ex, row.scores.get(ex), row.max_scores.get(ex, 0.0), [
            (c, _once(c, lang, shown)) for c in checks]


def repeated_import_failure(check, lang, shown: set) -> str | None:
    """One line instead of the message of ``check`` when it repeats why a file could not
    be imported (already in ``shown``, the failures said so far); else None."""
    fb = check.feedback
    if check.status != "passed" and fb is not None and fb.key == "feedback.import_failed":
        what = (fb.params.get("file"), fb.params.get("message"))
        if what in shown:
            return t("grading.report.import_failed_again", lang, file=what[0])
        shown.add(what)
    return None


def _once(check, lang, shown: set) -> str:
    again = repeated_import_failure(check, lang, shown)
    return again if again is not None else _check_message(check, lang)


def _title(check, lang) -> str:
    title = check.title.get(lang, check.id)
    tag = t("grading.report.hidden_tag", lang)
    if check.hidden and tag.lower() not in title.lower():
        return f"{title} ({tag})"
    return title


def feedback_markdown(row, lang: str) -> str:
    lines = [f"# {t('grading.report.title', lang, who=markdown_text(_who(row)))}", ""]
    from grader.reports.summary import status_text

    status = status_text(row.status, lang)
    score = t("grading.report.score", lang, score=number(row.total), max=number(row.max_total))
    if row.status != REJECTED:
        lines.append(f"**{score}**  ")
    lines += [t("grading.report.status", lang, status=status) + "  ",
              t("grading.report.seed", lang, seed=row.seed) + "  ",
              t("grading.report.sha", lang, sha=row.sha256) + "  ",
              t("grading.report.origin", lang, origin=markdown_text(row.origin)), ""]
    if row.reasons:
        heading = ("grading.report.rejected_intro" if row.status == REJECTED
                   else "grading.report.reasons_heading")
        lines += [f"## {t(heading, lang)}", ""]
        lines += [f"- {p.render(lang, escape=markdown_text)}" for p in row.reasons] + [""]
    notes = _notes(row)
    if notes:
        lines += [f"## {t('grading.report.notes_heading', lang)}", ""]
        lines += [f"- {_render_note(n, lang, markdown_text)}" for n in notes] + [""]
    if row.status == REJECTED or row.record is None:
        return "\n".join(lines).rstrip() + "\n"
    head = (t("grading.report.col_exercise", lang), t("grading.report.col_points", lang))
    lines += [f"| {head[0]} | {head[1]} |", "| --- | ---: |"]
    for ex in row.scores:
        lines.append(f"| {ex} | {number(row.scores.get(ex))} / {number(row.max_scores.get(ex))} |")
    lines += ["", f"_{t('grading.report.hidden_note', lang)}_", ""]
    for ex, score, top, checks in _sections(row, lang):
        heading = t("grading.report.exercise_heading", lang, exercise=ex, score=number(score),
                    max=number(top))
        lines += [f"## {heading}", ""]
        for check, message in checks:
            mark = "✔" if check.status == "passed" else "✘"
            status = t(f"status.{check.status}", lang)
            lines.append(f"- {mark} **{_title(check, lang)}** — {status} "
                         f"({number(check.points)}/{number(check.max_points)})")
            if message:
                lines.append("")
                lines += code_block(message, indent="  ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .6rem}
th{background:#f3f3f3}.passed{color:#1a7f37}.bad{color:#b3261e}pre{background:#f6f8fa;
padding:.6rem;overflow-x:auto;white-space:pre-wrap}.meta{color:#555}li{margin:.3rem 0}"""


def feedback_html(row, lang: str) -> str:
    e = html.escape
    who = t("grading.report.title", lang, who=_who(row))
    from grader.reports.summary import status_text

    status = status_text(row.status, lang)
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
             f"<title>{e(who)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(who)}</h1>"]
    meta = []
    if row.status != REJECTED:
        score = t("grading.report.score", lang, score=number(row.total), max=number(row.max_total))
        meta.append(f"<strong>{e(score)}</strong>")
    meta += [e(t("grading.report.status", lang, status=status)),
             e(t("grading.report.seed", lang, seed=row.seed)),
             e(t("grading.report.sha", lang, sha=row.sha256)),
             e(t("grading.report.origin", lang, origin=row.origin))]
    parts.append('<p class="meta">' + "<br>".join(meta) + "</p>")
    if row.reasons:
        heading = ("grading.report.rejected_intro" if row.status == REJECTED
                   else "grading.report.reasons_heading")
        parts.append(f"<h2>{e(t(heading, lang))}</h2><ul>"
                     + "".join(f"<li>{e(p.render(lang))}</li>" for p in row.reasons) + "</ul>")
    notes = _notes(row)
    if notes:
        parts.append(f"<h2>{e(t('grading.report.notes_heading', lang))}</h2><ul>"
                     + "".join(f"<li>{e(_render_note(n, lang))}</li>" for n in notes) + "</ul>")
    if row.status != REJECTED and row.record is not None:
        parts.append(f"<table><tr><th>{e(t('grading.report.col_exercise', lang))}</th>"
                     f"<th>{e(t('grading.report.col_points', lang))}</th></tr>")
        for ex in row.scores:
            parts.append(f"<tr><td>{e(ex)}</td><td>{number(row.scores.get(ex))} / "
                         f"{number(row.max_scores.get(ex))}</td></tr>")
        parts.append(f"</table><p><em>{e(t('grading.report.hidden_note', lang))}</em></p>")
        for ex, score, top, checks in _sections(row, lang):
            heading = t("grading.report.exercise_heading", lang, exercise=ex,
                        score=number(score), max=number(top))
            parts.append(f"<h2>{e(heading)}</h2><ul>")
            for check, message in checks:
                css = "passed" if check.status == "passed" else "bad"
                mark = "✔" if check.status == "passed" else "✘"
                item = (f'<li><span class="{css}">{mark}</span> <strong>{e(_title(check, lang))}'
                        f"</strong> — {e(t(f'status.{check.status}', lang))} "
                        f"({number(check.points)}/{number(check.max_points)})")
                if message:
                    item += f"<pre>{e(message)}</pre>"
                parts.append(item + "</li>")
            parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
