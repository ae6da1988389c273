"""The class summary: printed (text), saved as summary.md and summary.html, and as JSON.

What an instructor acts on: how many rows need attention and why (identity
conflicts, rejected hand-ins, grader failures), the score distribution of
every exercise and of the total (histograms; inline SVG in the HTML, no
plotting library), the pass rate of every check, the most common mistakes in
words, and submissions whose code is identical or nearly so.
"""

from __future__ import annotations

import html as _html

from grader.i18n import t
from grader.reports.gradebook import number
from grader.reports.terminal import markdown_text, terminal_safe

PROTECTIONS = ("network", "filesystem", "processes", "privileges", "process_limit")
BAR = "█"


def plural(key: str, count: int, lang: str, **params) -> str:
    """``key.one`` for 1, ``key.other`` otherwise (Spanish and English agree on that rule)."""
    return t(f"{key}.{'one' if count == 1 else 'other'}", lang, count=count, **params)


def missing_protections(isolation: dict) -> list[str]:
    return [p for p in PROTECTIONS if not isolation.get(p)]


def status_text(status: str, lang: str) -> str:
    if status == "conflict":
        return t("batch.status.conflict", lang)
    return t(f"grading.status.{status}", lang)


def counts_line(summary, lang: str) -> str:
    parts = [plural("batch.count.graded", summary.graded, lang),
             plural("batch.count.partial", summary.partial, lang),
             plural("batch.count.rejected", summary.rejected, lang)]
    if summary.conflicts:
        parts.append(plural("batch.count.conflict", summary.conflicts, lang))
    return plural("batch.count.students", summary.students, lang) + ": " + ", ".join(parts)


def _bins(top: float, n: int) -> list[str]:
    step = top / n if n else 0
    return [f"{number(i * step)}–{number((i + 1) * step)}" for i in range(n)]


def _exercise_title(name: str, lang: str) -> str:
    return t("grading.summary.total", lang) if name == "total" else name


def _max_of(summary, name):
    if name == "total":
        return summary.max_total
    return next((s.max_points for s in summary.exercises if s.exercise == name), 0.0)


def _check_title(title: dict, cid: str, lang: str) -> str:
    return (title or {}).get(lang) or cid


def _percent(part, whole) -> str:
    return f"{100 * part / whole:.0f}" if whole else "-"


def _isolation_lines(summary, lang: str) -> list[str]:
    lines = []
    iso = summary.isolation or {}
    missing = missing_protections(iso)
    if summary.weak_isolation:
        from grader.sandbox.requirements import _what, missing_isolation

        lines.append(t("batch.summary.isolation_weak", lang,
                       what=_what(missing_isolation(iso), lang)))
    elif missing:
        what = ", ".join(t(f"grading.summary.protection.{p}", lang) for p in missing)
        lines.append(t("grading.summary.isolation_missing", lang, what=what))
    else:
        lines.append(t("grading.summary.isolation_ok", lang))
    mode = iso.get("memory_mode")
    if mode in ("cgroup2", "nofork", "address_space"):
        lines.append(t(f"batch.memory_mode.{mode}", lang, mb=iso.get("memory_mb", "?")))
    return lines + _keras_worker_lines(iso.get("keras_workers"), lang)


def _keras_worker_lines(keras, lang: str) -> list[str]:
    """The Keras workers' own limits (their profile raises --memory and --timeout)."""
    if not isinstance(keras, dict) or not keras.get("exercises"):
        return []
    names = ", ".join(str(x) for x in keras["exercises"])
    mb = keras.get("memory_mb", "?")
    lines = [t("batch.keras_workers.limits", lang, exercises=names, mb=mb,
               call_s=number(keras.get("call_timeout_s")), cpu_s=keras.get("cpu_s", "?"),
               threads=keras.get("max_processes", "?"))]
    if isinstance(keras.get("device"), dict):
        backend = {"jax": "JAX", "tensorflow": "TensorFlow"}.get(
            keras["device"].get("backend"), "TensorFlow")
        lines.append(t("batch.keras_workers.device", lang, backend=backend,
                       where=keras_device_text(keras["device"], lang)))
    if isinstance(keras.get("submission_s"), (int, float)):
        lines.append(t("batch.keras_workers.budget", lang,
                       seconds=number(keras["submission_s"])))
    asked = keras.get("asked_memory_mb")
    if isinstance(asked, int) and isinstance(mb, int) and asked < mb:
        lines.append(t("batch.keras_workers.memory_raised", lang, asked=asked, mb=mb,
                       exercises=names))
    return lines


def keras_device_text(plan: dict, lang: str) -> str:
    """Where the Keras workers train, and why there, in words (grader.sandbox.devices)."""
    reason = plan.get("reason") if plan.get("reason") in (
        "gpu", "asked_cpu", "no_gpu", "no_cgroup") else "asked_cpu"
    return t(f"batch.keras_device.{reason}", lang, nodes=len(plan.get("nodes") or ()),
             version=plan.get("cgroup_version", "?"), detail=str(plan.get("detail") or "")[:200])


def _attention_lines(summary, lang: str, escape=str) -> list[str]:
    """One line per row needing attention; ``escape`` applies to what a student named."""
    return [f"{escape(key)}: " + "; ".join(dict.fromkeys(p.render(lang, escape=escape)
                                                         for p in problems))
            for key, problems in summary.attention_rows]


def _similar_lines(summary, lang: str, limit: int = 25, escape=str) -> list[str]:
    from grader.grading.similarity import THRESHOLD, identical_groups

    groups = identical_groups(summary.similar)
    grouped = {k for g in groups for k in g}
    lines = [t("batch.summary.identical_group", lang, count=len(g),
               members=", ".join(map(escape, g))) for g in groups]
    rep = {k: g[0] for g in groups for k in g}
    seen = set()
    for a, b, sim, kind in summary.similar:
        if kind == "identical" and a in grouped and b in grouped:
            continue
        pair = tuple(sorted((rep.get(a, a), rep.get(b, b))))
        if pair in seen:                  # the same two groups: said once
            continue
        seen.add(pair)
        lines.append(t("batch.summary.similar_pair", lang, a=escape(a), b=escape(b),
                       percent=f"{sim * 100:.0f}"))
    if not lines:
        lines.append(t("batch.summary.no_similar", lang, percent=f"{THRESHOLD * 100:.0f}"))
    return lines[:limit]


def summary_text(summary, lang: str, *, markdown: bool = False) -> str:
    """The summary printed after grading (plain) or saved as summary.md (``markdown``)."""
    h = "## " if markdown else ""
    lines = [("# " if markdown else "") + t("grading.summary.title", lang), "",
             counts_line(summary, lang)]
    attention = len(summary.attention_rows)
    if attention:
        lines.append(("**" if markdown else "") + plural("batch.count.attention", attention, lang)
                     + ("**" if markdown else ""))
    lines += [t("grading.summary.seed", lang, seed=summary.seed)]
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

    lines += ["", h + t("batch.summary.attention_heading", lang)]
    prose = markdown_text if markdown else str     # what a student named, as literal text
    lines += [f"- {line}" for line in _attention_lines(summary, lang, prose)] or [
        "- " + t("batch.summary.no_attention", lang)]

    names = ["total"] + [s.exercise for s in summary.exercises] if markdown else ["total"]
    lines += ["", h + t("batch.summary.histograms_heading", lang)]
    for name in names:
        counts = summary.histograms.get(name) or []
        if not counts:
            continue
        top = _max_of(summary, name)
        lines.append("")
        lines.append(t("batch.summary.histogram_of", lang, what=_exercise_title(name, lang),
                       max=number(top)))
        peak = max(counts) or 1
        labels = _bins(top, len(counts))
        width = max(len(x) for x in labels)
        if markdown:
            lines += ["", "```text"]
        for label, count in zip(labels, counts):
            bar = BAR * round(20 * count / peak) if count else ""
            lines.append(f"{label.rjust(width)} | {bar} {count}")
        if markdown:
            lines.append("```")

    if markdown and summary.check_rates:
        lines += ["", h + t("batch.summary.checks_heading", lang), "",
                  f"| {t('batch.summary.col_check', lang)} | "
                  f"{t('batch.summary.col_passed', lang)} |", "| --- | ---: |"]
        for cid, title, passed, run in summary.check_rates:
            rate = t("batch.summary.pass_rate", lang, passed=passed, run=run,
                     percent=_percent(passed, run))
            lines.append(f"| {_check_title(title, cid, lang).replace('|', '/')} | {rate} |")

    lines += ["", h + t("grading.summary.mistakes_heading", lang)]
    if summary.mistakes:
        for name, count in summary.mistakes:
            lines.append("- " + plural("batch.count.mistake", count, lang,
                                       mistake=t(f"mistake.{name}", lang)))
    else:
        lines.append("- " + t("grading.summary.no_mistakes", lang))

    lines += ["", h + t("batch.summary.similar_heading", lang)]
    lines += [f"- {line}" for line in _similar_lines(summary, lang, escape=prose)]
    if markdown:
        lines += ["", "_" + t("batch.summary.similar_note", lang) + "_"]

    if summary.superseded:
        lines += ["", h + t("grading.summary.superseded_heading", lang)]
        lines += [f"- {prose(sid)}: {prose(origin)}" for sid, origin in summary.superseded]
    lines.append("")
    if summary.skipped_students:
        lines.append(plural("batch.count.skipped", summary.skipped_students, lang,
                            reason=summary.keras_note or "-"))
    lines += _isolation_lines(summary, lang)
    text = "\n".join(lines).rstrip() + "\n"
    return text if markdown else terminal_safe(text)


# -- HTML ------------------------------------------------------------------------------------

_CSS = """body{font-family:system-ui,sans-serif;max-width:64rem;margin:2rem auto;padding:0 1rem;
color:#222}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;
padding:.25rem .6rem;text-align:left}th{background:#f3f3f3}td.n{text-align:right}
.alert{background:#fdecea;border-left:4px solid #b3261e;padding:.6rem 1rem}
.ok{background:#e9f5ec;border-left:4px solid #1a7f37;padding:.6rem 1rem}
.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid figure{margin:0}
figcaption{font-size:.9rem;color:#444}.bar{fill:#3b6fb6}.axis{stroke:#888}
.rate{display:inline-block;height:.7rem;background:#3b6fb6;vertical-align:middle}
.meta{color:#555}small{color:#555}td.nw{white-space:nowrap}"""


def svg_histogram(counts, top: float, *, width: int = 300, height: int = 150,
                  label: str = "") -> str:
    """An inline SVG bar chart of ``counts`` over [0, top] (no plotting library)."""
    e = _html.escape
    n = max(len(counts), 1)
    peak = max(counts or [0]) or 1
    left, bottom, plot_h = 28, 22, height - 34
    bar_w = (width - left - 16) / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'role="img" aria-label="{e(label)}">',
             f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width - 4}" '
             f'y2="{height - bottom}"/>',
             f'<text x="2" y="{height - bottom - plot_h + 10}" font-size="10">{peak}</text>',
             f'<text x="2" y="{height - bottom}" font-size="10">0</text>']
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + i * bar_w
        parts.append(f'<rect class="bar" x="{x + 1:.1f}" y="{height - bottom - h:.1f}" '
                     f'width="{bar_w - 2:.1f}" height="{h:.1f}"><title>{count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom - h - 2:.1f}" '
                         f'font-size="9" text-anchor="middle">{count}</text>')
    for i in (0, n // 2, n):
        parts.append(f'<text x="{left + i * bar_w:.1f}" y="{height - 6}" font-size="10" '
                     f'text-anchor="middle">{number(top * i / n)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def summary_html(summary, lang: str) -> str:
    e = _html.escape
    title = t("batch.summary.html_title", lang)
    out = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(title)}</h1>",
           f'<p class="meta">{e(counts_line(summary, lang))}<br>'
           f"{e(t('grading.summary.seed', lang, seed=summary.seed))}</p>"]
    attention = _attention_lines(summary, lang)
    out.append(f"<h2>{e(t('batch.summary.attention_heading', lang))}</h2>")
    if attention:
        out.append('<div class="alert"><strong>'
                   + e(plural("batch.count.attention", len(attention), lang))
                   + "</strong><ul>" + "".join(f"<li>{e(x)}</li>" for x in attention)
                   + "</ul></div>")
    else:
        out.append(f'<p class="ok">{e(t("batch.summary.no_attention", lang))}</p>')

    out.append(f"<h2>{e(t('batch.summary.histograms_heading', lang))}</h2><table><tr>"
               f"<th>{e(t('grading.report.col_exercise', lang))}</th>"
               f"<th>{e(t('grading.summary.col_mean', lang))}</th>"
               f"<th>{e(t('grading.summary.col_median', lang))}</th>"
               f"<th>{e(t('grading.summary.col_max', lang))}</th></tr>")
    for s in summary.exercises:
        out.append(f"<tr><td>{e(s.exercise)}</td><td class=n>{number(s.mean) or '-'}</td>"
                   f"<td class=n>{number(s.median) or '-'}</td>"
                   f"<td class=n>{number(s.max_points)}</td></tr>")
    out.append(f"<tr><th>{e(t('grading.summary.total', lang))}</th>"
               f"<th class=n>{number(summary.total_mean) or '-'}</th>"
               f"<th class=n>{number(summary.total_median) or '-'}</th>"
               f"<th class=n>{number(summary.max_total)}</th></tr></table>")
    out.append('<div class="grid">')
    for name in ["total"] + [s.exercise for s in summary.exercises]:
        counts = summary.histograms.get(name)
        if counts is None:
            continue
        top = _max_of(summary, name)
        caption = t("batch.summary.histogram_of", lang, what=_exercise_title(name, lang),
                    max=number(top))
        big = name == "total"
        out.append(f"<figure>{svg_histogram(counts, top, width=420 if big else 300, label=caption)}"
                   f"<figcaption>{e(caption)}</figcaption></figure>")
    out.append("</div>")

    if summary.check_rates:
        out.append(f"<h2>{e(t('batch.summary.checks_heading', lang))}</h2><table><tr>"
                   f"<th>{e(t('batch.summary.col_check', lang))}</th>"
                   f"<th>{e(t('batch.summary.col_passed', lang))}</th></tr>")
        for cid, title, passed, run in summary.check_rates:
            rate = t("batch.summary.pass_rate", lang, passed=passed, run=run,
                     percent=_percent(passed, run))
            width = round(120 * passed / run) if run else 0
            out.append(f"<tr><td>{e(_check_title(title, cid, lang))}<br><small>{e(cid)}</small>"
                       f'</td><td class="nw"><span class="rate" style="width:{width}px"></span> '
                       f"{e(rate)}</td></tr>")
        out.append("</table>")

    out.append(f"<h2>{e(t('grading.summary.mistakes_heading', lang))}</h2><ul>")
    if summary.mistakes:
        for name, count in summary.mistakes:
            line = plural("batch.count.mistake", count, lang, mistake=t(f"mistake.{name}", lang))
            out.append(f"<li>{e(line)}</li>")
    else:
        out.append(f"<li>{e(t('grading.summary.no_mistakes', lang))}</li>")
    out.append("</ul>")

    out.append(f"<h2>{e(t('batch.summary.similar_heading', lang))}</h2><ul>")
    out += [f"<li>{e(line)}</li>" for line in _similar_lines(summary, lang)]
    out.append(f"</ul><p><small>{e(t('batch.summary.similar_note', lang))}</small></p>")

    if summary.superseded:
        out.append(f"<h2>{e(t('grading.summary.superseded_heading', lang))}</h2><ul>")
        out += [f"<li>{e(sid)}: {e(origin)}</li>" for sid, origin in summary.superseded]
        out.append("</ul>")
    foot = []
    if summary.skipped_students:
        foot.append(plural("batch.count.skipped", summary.skipped_students, lang,
                           reason=summary.keras_note or "-"))
    foot += _isolation_lines(summary, lang)
    out.append('<p class="meta">' + "<br>".join(e(x) for x in foot) + "</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


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
        "conflicts": summary.conflicts,
        "exercises": [{"exercise": s.exercise, "mean": s.mean, "median": s.median,
                       "max_points": s.max_points, "count": s.count,
                       "histogram": summary.histograms.get(s.exercise)}
                      for s in summary.exercises],
        "total": {"mean": summary.total_mean, "median": summary.total_median,
                  "max_points": summary.max_total, "histogram": summary.histograms.get("total")},
        "checks": [{"id": cid, "passed": passed, "run": run}
                   for cid, _, passed, run in summary.check_rates],
        "mistakes": [{"mistake": name, "students": count} for name, count in summary.mistakes],
        "rejected_submissions": [{"student_id": sid, "reason": p.to_dict()}
                                 for sid, p in summary.rejected_rows],
        "attention": [{"row": key, "reasons": [p.to_dict() for p in problems]}
                      for key, problems in summary.attention_rows],
        "similar": [{"a": a, "b": b, "similarity": sim, "kind": kind}
                    for a, b, sim, kind in summary.similar],
        "superseded": [{"student_id": sid, "origin": o} for sid, o in summary.superseded],
        "isolation": summary.isolation,
        "weak_isolation": summary.weak_isolation,
        "skipped_students": summary.skipped_students,
        "keras_note": summary.keras_note,
        "assignment": summary.assignment,
    }
