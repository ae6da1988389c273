"""`grader grade`: batch grading of a class (see batch.grade).

Plain functions returning data; the CLI prints ``format_gradebook`` and
``format_summary`` of the GradeReport that ``grade`` returns.
"""

from __future__ import annotations

from grader.grading.batch import grade
from grader.grading.model import ClassSummary, GradeReport, StudentRow

__all__ = ["grade", "format_summary", "format_gradebook", "GradeReport", "StudentRow",
           "ClassSummary"]


def format_gradebook(report: GradeReport, lang: str) -> str:
    """The gradebook as an aligned text table."""
    from grader.reports.gradebook import gradebook_text

    return gradebook_text(report.rows, lang)


def format_summary(report: GradeReport, lang: str) -> str:
    """The class summary as text, with where the files are and how long it took."""
    from grader.i18n import t
    from grader.reports.summary import plural, summary_text
    from grader.reports.terminal import terminal_safe

    text = summary_text(report.summary, lang)
    extra = [t("grading.summary.resumed", lang, graded=report.graded_now,
               skipped=report.skipped_unchanged),
             plural("batch.count.jobs", report.jobs, lang, seconds=f"{report.elapsed_s:.1f}"),
             t("grading.summary.written", lang, gradebook=report.gradebook_path,
               students=report.out / "students", summary=report.summary_path)]
    if report.html_path is not None:
        extra.append(t("batch.summary.more_in_files", lang, html=report.html_path))
    return text + terminal_safe("\n".join(extra)) + "\n"
