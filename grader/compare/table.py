"""Render a CompareResult as plain text (per-epoch table, accuracies, verdict), in es or en.

The texts live in the i18n catalog (grader/i18n/keras.toml, keys ``compare.table.*``).
"""

from __future__ import annotations

import math

import numpy as np

from grader import config
from grader.i18n import t

def _lang(lang, result) -> str:
    lang = lang or result.lang
    return lang if lang in config.LANGUAGES else config.DEFAULT_LANGUAGE


def _shown_epochs(result, max_rows: int) -> list[int]:
    """Epoch numbers to print: all if few, else ends, evenly spaced ones and the notable ones."""
    n = len(result.rows)
    if n <= max_rows:
        return list(range(1, n + 1))
    notable = {1, 2, 3, n}
    for epoch in (result.first_diverging_epoch, result.chaotic_from_epoch):
        if epoch:
            notable |= {max(epoch - 1, 1), epoch}
    spread = np.linspace(1, n, max(max_rows - len(notable), 2)).round().astype(int)
    return sorted(notable | set(spread.tolist()))


def _loss(value: float) -> str:
    return f"{value:.10f}" if math.isfinite(value) else str(value)


def format_table(result, lang: str | None = None, max_rows: int = 15) -> str:
    """The comparison as text: setup, per-epoch losses, accuracies, verdict and where it differs.

    Inputs:
    - result: a CompareResult
    - lang: ``"es" | "en"``; default ``result.lang``
    - max_rows: at most about this many epoch rows (first, last, notable, evenly spaced)

    Returns:
    - str, lines separated by ``\\n`` (no trailing newline)
    """
    lang = _lang(lang, result)
    lines = [
        t("compare.table.title", lang, dataset=result.dataset,
          sizes="-".join(map(str, result.layer_sizes)), lr=result.lr,
          batch_size=result.batch_size, epochs=result.epochs, dropout=result.dropout,
          seed=result.seed),
        t("compare.table.device", lang, **{k: result.device.get(k, "?") for k in (
            "keras_version", "backend", "backend_version", "description", "device", "floatx")}),
        "",
    ]
    header = (t("compare.table.column.epoch", lang),
              t("compare.table.column.student_loss", lang),
              t("compare.table.column.keras_loss", lang),
              t("compare.table.column.difference", lang))
    widths = [max(6, len(header[0])), 18, 18, 14]
    lines.append("  ".join(h.rjust(w) for h, w in zip(header, widths)))
    previous = 0
    for epoch in _shown_epochs(result, max_rows):
        if epoch > previous + 1:
            lines.append("...".rjust(widths[0]))
        row = result.rows[epoch - 1]
        cells = (str(row.epoch), _loss(row.student_loss), _loss(row.keras_loss), f"{row.diff:.2e}")
        mark = "  ≠" if row.agrees is False else ""
        lines.append("  ".join(c.rjust(w) for c, w in zip(cells, widths)) + mark)
        previous = epoch
    lines.append("")
    student_acc = (t("compare.table.none", lang) if result.student_accuracy is None
                   else f"{result.student_accuracy:.1%}")
    lines.append(t("compare.table.accuracy", lang, student=student_acc,
                   keras=f"{result.keras_accuracy:.1%}"))
    if not result.exact:
        lines.append(t("compare.table.inexact", lang))
    lines.extend(explain(result, lang))
    return "\n".join(lines)


def explain(result, lang: str | None = None) -> list[str]:
    """The verdict and its reasons as sentences (one per line)."""
    lang = _lang(lang, result)
    tol = {"rtol": result.rtol, "atol": result.atol}
    if result.agrees:
        lines = [t("compare.table.agree", lang, **tol) if result.exact
                 else t("compare.table.agree_dropout", lang, **tol)]
    else:
        lines = [t("compare.table.diverge", lang)]
    if result.output_problem:
        lines.append(t("compare.table.output", lang, **result.output_problem))
    if result.first_diverging_epoch:
        row = result.rows[result.first_diverging_epoch - 1]
        lines.append(t("compare.table.loss", lang, epoch=row.epoch, student=row.student_loss,
                       keras=row.keras_loss))
    if result.first_bad_layer is not None:
        bad = next(g for g in result.gradients if not g.agrees)
        lines.append(t("compare.table.gradient", lang, param=bad.param, layer=bad.layer,
                       diff=bad.max_abs_diff))
    elif result.gradients and not result.agrees:
        lines.append(t("compare.table.gradients_ok", lang))
    if result.chaotic_from_epoch:
        lines.append(t("compare.table.chaotic", lang, epoch=result.chaotic_from_epoch))
    check = result.dropout_check
    if check is not None:
        identity = (t("compare.table.yes", lang) if check.student_eval_identity
                    else t("compare.table.no", lang))
        lines.append(t("compare.table.dropout", lang, rate=check.rate,
                       s_drop=check.student_dropped, k_drop=check.keras_dropped,
                       s_scale=check.student_scale, k_scale=check.keras_scale,
                       identity=identity))
    return lines
