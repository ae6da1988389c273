"""How results look in a notebook: plain text and HTML (every student string escaped)."""

from __future__ import annotations

import html

from grader.i18n import t

_COLOURS = {"passed": "#1a7f37", "failed": "#cf222e", "not_attempted": "#9a6700",
            "error": "#cf222e", "timeout": "#cf222e", "crashed": "#cf222e",
            "forbidden": "#8250df", "skipped": "#57606a", "not_run": "#57606a"}


def _summary(results, lang: str) -> list[str]:
    from grader.checking import hidden_points

    lines = [t("cli.score", lang, score=results.score, max_score=results.max_score,
               total=results.total_points)]
    pending = hidden_points({c.exercise for c in results.checks})
    if pending:
        lines.append(t("cli.hidden_pending", lang, points=pending))
    if results.not_run:
        lines.append(results.not_run_note(lang))
    failed = sum(c.status not in ("passed", "skipped", "not_run") for c in results.checks)
    lines.append(t("cli.some_failed", lang, failed=failed, total=len(results.checks))
                 if failed else t("cli.all_passed", lang))
    return lines


def results_text(results, lang: str) -> str:
    """The checks of a run, one line each, with the feedback of those not passed."""
    out = []
    for c in results.checks:
        out.append(f"[{t(f'status.{c.status}', lang)}] {c.title.get(lang, c.id)}"
                   f"  ({c.points:g}/{c.max_points:g})")
        if c.status != "passed" or c.output.strip():     # passed: what the code printed
            out.extend("    " + line for line in c.message(lang).splitlines())
    return "\n".join(out + [""] + _summary(results, lang))


def results_html(results, lang: str, header: str = "") -> str:
    """The same as a table; feedback in <pre> blocks."""
    rows = []
    for c in results.checks:
        colour = _COLOURS.get(c.status, "#57606a")
        status = html.escape(t(f"status.{c.status}", lang))
        title = html.escape(c.title.get(lang, c.id))
        detail = ""
        if c.status != "passed" or c.output.strip():
            detail = (f'<pre style="margin:2px 0 6px 0;white-space:pre-wrap">'
                      f"{html.escape(c.message(lang))}</pre>")
        rows.append(f'<tr><td style="color:{colour};font-weight:bold;white-space:nowrap">'
                    f"{status}</td><td style=\"text-align:left\">{title}{detail}</td>"
                    f"<td>{c.points:g}/{c.max_points:g}</td></tr>")
    head = (f"<tr><th></th><th style=\"text-align:left\">"
            f"{html.escape(t('notebook.check_table_header', lang))}</th>"
            f"<th>{html.escape(t('notebook.check_points_header', lang))}</th></tr>")
    summary = "<br/>".join(html.escape(line) for line in _summary(results, lang))
    top = f"<p>{html.escape(header)}</p>" if header else ""
    return f"{top}<table>{head}{''.join(rows)}</table><p><b>{summary}</b></p>"


def html_message(lines, kind: str = "info") -> str:
    colour = "#9a6700" if kind == "warning" else "#1a7f37"
    body = "<br/>".join(html.escape(str(line)).replace("\n", "<br/>") for line in lines)
    return f'<div style="border-left:4px solid {colour};padding-left:8px">{body}</div>'
