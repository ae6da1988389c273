"""The class summary as text (printed and saved as summary.md) and as JSON."""

from __future__ import annotations

from grader.i18n import t
from grader.reports.gradebook import number

PROTECTIONS = ("network", "filesystem", "processes", "privileges", "process_limit")


def missing_protections(isolation: dict) -> list[str]:
    return [p for p in PROTECTIONS if not isolation.get(p)]


def summary_text(summary, lang: str, *, markdown: bool = False) -> str:
    h = "## " if markdown else ""
    lines = [("# " if markdown else "") + t("grading.summary.title", lang), "",
             t("grading.summary.counts", lang, students=summary.students, graded=summary.graded,
               partial=summary.partial, rejected=summary.rejected),
             t("grading.summary.seed", lang, seed=summary.seed)]
    lines += assignment_lines(summary, lang) + [""]
    head = [t("grading.report.col_exercise", lang), t("grading.summary.col_mean", lang),
            t("grading.summary.col_median", lang), t("grading.summary.col_max", lang)]
    body = [[s.exercise, number(s.mean) or "-", number(s.median) or "-", number(s.max_points)]
            for s in summary.exercises]
    body.append([t("grading.summary.total", lang), number(summary.total_mean) or "-",
                 number(summary.total_median) or "-", number(summary.max_total)])
    if markdown:
        lines.append("| " + " | ".join(head) + " |")
        lines.append("| --- | ---: | ---: | ---: |")
        lines += ["| " + " | ".join(row) + " |" for row in body]
    else:
        widths = [max(len(r[i]) for r in [head] + body) for i in range(4)]
        for row in [head] + body:
            lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(row, widths))))
    lines += ["", h + t("grading.summary.mistakes_heading", lang)]
    if summary.mistakes:
        for name, count in summary.mistakes:
            lines.append("- " + t("grading.summary.mistake_line", lang, count=count,
                                  mistake=t(f"mistake.{name}", lang), name=name))
    else:
        lines.append("- " + t("grading.summary.no_mistakes", lang))
    if summary.rejected_rows:
        lines += ["", h + t("grading.summary.rejected_heading", lang)]
        lines += [f"- {sid}: {problem.render(lang)}" for sid, problem in summary.rejected_rows]
    if summary.superseded:
        lines += ["", h + t("grading.summary.superseded_heading", lang)]
        lines += [f"- {sid}: {origin}" for sid, origin in summary.superseded]
    lines.append("")
    if summary.skipped_students:
        lines.append(t("grading.summary.skipped_checks", lang, count=summary.skipped_students,
                       reason=summary.keras_note or "-"))
    missing = missing_protections(summary.isolation)
    if missing:
        what = ", ".join(t(f"grading.summary.protection.{p}", lang) for p in missing)
        lines.append(t("grading.summary.isolation_missing", lang, what=what))
    else:
        lines.append(t("grading.summary.isolation_ok", lang))
    return "\n".join(lines).rstrip() + "\n"


def assignment_lines(summary, lang: str) -> list[str]:
    """How the graded assignment was chosen (a line per note), or nothing."""
    chosen = summary.assignment
    if not chosen:
        return []
    title = chosen.get("title", {}).get(lang) or chosen["name"]
    return [t(n["key"], lang, title=title, **n["params"]) for n in chosen.get("notes", [])]


def summary_json(summary) -> dict:
    return {
        "seed": summary.seed, "students": summary.students, "graded": summary.graded,
        "partial": summary.partial, "rejected": summary.rejected,
        "exercises": [{"exercise": s.exercise, "mean": s.mean, "median": s.median,
                       "max_points": s.max_points, "count": s.count} for s in summary.exercises],
        "total": {"mean": summary.total_mean, "median": summary.total_median,
                  "max_points": summary.max_total},
        "mistakes": [{"mistake": name, "students": count} for name, count in summary.mistakes],
        "rejected_submissions": [{"student_id": sid, "reason": p.to_dict()}
                                 for sid, p in summary.rejected_rows],
        "superseded": [{"student_id": sid, "origin": o} for sid, o in summary.superseded],
        "isolation": summary.isolation,
        "skipped_students": summary.skipped_students,
        "keras_note": summary.keras_note,
        "assignment": summary.assignment,
    }
