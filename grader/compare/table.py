"""Render a CompareResult as plain text (per-epoch table, accuracies, verdict), in es or en."""

from __future__ import annotations

import math

import numpy as np

from grader import config

MESSAGES = {
    "title": {
        "es": "Comparación con Keras: {dataset}, red {sizes}, lr={lr:g}, lote={batch_size}, "
              "{epochs} épocas, dropout={dropout:g}, semilla={seed}",
        "en": "Comparison with Keras: {dataset}, network {sizes}, lr={lr:g}, batch={batch_size}, "
              "{epochs} epochs, dropout={dropout:g}, seed={seed}",
    },
    "device": {
        "es": "Keras {keras_version} con {backend} {backend_version}, dispositivo: {description} "
              "({device}), {floatx}",
        "en": "Keras {keras_version} on {backend} {backend_version}, device: {description} "
              "({device}), {floatx}",
    },
    "header": {
        "es": ("época", "pérdida (tu red)", "pérdida (Keras)", "|diferencia|"),
        "en": ("epoch", "loss (your net)", "loss (Keras)", "|difference|"),
    },
    "accuracy": {
        "es": "Exactitud final en entrenamiento: tu red {student}, Keras {keras}",
        "en": "Final training accuracy: your network {student}, Keras {keras}",
    },
    "agree": {
        "es": "Veredicto: COINCIDEN. Tu entrenamiento sigue al de Keras paso a paso "
              "(tolerancia rtol={rtol:g}, atol={atol:g}).",
        "en": "Verdict: AGREE. Your training follows Keras's step by step "
              "(tolerance rtol={rtol:g}, atol={atol:g}).",
    },
    "agree_dropout": {
        "es": "Veredicto: COINCIDEN. Tus gradientes y tu dropout se comportan como los de Keras "
              "(tolerancia rtol={rtol:g}, atol={atol:g}).",
        "en": "Verdict: AGREE. Your gradients and your dropout behave like Keras's "
              "(tolerance rtol={rtol:g}, atol={atol:g}).",
    },
    "diverge": {
        "es": "Veredicto: DIFIEREN.",
        "en": "Verdict: DIVERGE.",
    },
    "loss": {
        "es": "La pérdida se separa de la de Keras en la época {epoch} "
              "(tu red {student:.10g}, Keras {keras:.10g}).",
        "en": "The loss parts from Keras's at epoch {epoch} "
              "(your network {student:.10g}, Keras {keras:.10g}).",
    },
    "gradient": {
        "es": "En el primer lote, el primer gradiente distinto (de la capa de salida hacia atrás) "
              "es d{param} de la capa {layer}: máx. |diferencia| = {diff:.3g}.",
        "en": "On the first mini-batch, the first differing gradient (from the output layer "
              "back) is d{param} of layer {layer}: max |difference| = {diff:.3g}.",
    },
    "gradients_ok": {
        "es": "Los gradientes del primer lote (tu backward) coinciden con los de Keras.",
        "en": "The first mini-batch's gradients (your backward) match Keras's.",
    },
    "chaotic": {
        "es": "Nota: las curvas se separan desde la época {epoch}, pero esa época, repetida "
              "desde los mismos pesos que Keras, coincide: es redondeo amplificado por un "
              "entrenamiento inestable (prueba un lr menor), no un error.",
        "en": "Note: the curves part from epoch {epoch} on, but that epoch, rerun from Keras's "
              "weights, agrees: it is round-off amplified by an unstable training "
              "(try a smaller lr), not a mistake.",
    },
    "dropout": {
        "es": "Dropout (rate={rate:g}): apagadas tu red {s_drop:.1%}, Keras {k_drop:.1%}; "
              "escala de las activas tu red {s_scale:.6g}, Keras {k_scale:.6g} (1/(1-rate)); "
              "en evaluación la entrada queda igual: {identity}.",
        "en": "Dropout (rate={rate:g}): dropped by your network {s_drop:.1%}, "
              "Keras {k_drop:.1%}; scale of the kept units your network {s_scale:.6g}, "
              "Keras {k_scale:.6g} "
              "(1/(1-rate)); at evaluation the input is unchanged: {identity}.",
    },
    "inexact": {
        "es": "Con dropout las máscaras son aleatorias: las curvas no pueden coincidir paso a "
              "paso y se muestran solo como referencia.",
        "en": "With dropout the masks are random: the curves cannot match step by step and are "
              "shown for reference only.",
    },
    "output": {
        "es": "Tu código devolvió {what} con forma {got}; se esperaba {expected}.",
        "en": "Your code returned {what} with shape {got}; expected {expected}.",
    },
    "yes": {"es": "sí", "en": "yes"},
    "no": {"es": "no", "en": "no"},
    "none": {"es": "—", "en": "—"},
}


def _t(key: str, lang: str, **params):
    text = MESSAGES[key][lang]
    return text.format(**params) if params else text


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
        _t("title", lang, dataset=result.dataset, sizes="-".join(map(str, result.layer_sizes)),
           lr=result.lr, batch_size=result.batch_size, epochs=result.epochs,
           dropout=result.dropout, seed=result.seed),
        _t("device", lang, **{k: result.device.get(k, "?") for k in (
            "keras_version", "backend", "backend_version", "description", "device", "floatx")}),
        "",
    ]
    header = _t("header", lang)
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
    student_acc = (_t("none", lang) if result.student_accuracy is None
                   else f"{result.student_accuracy:.1%}")
    lines.append(_t("accuracy", lang, student=student_acc, keras=f"{result.keras_accuracy:.1%}"))
    if not result.exact:
        lines.append(_t("inexact", lang))
    lines.extend(explain(result, lang))
    return "\n".join(lines)


def explain(result, lang: str | None = None) -> list[str]:
    """The verdict and its reasons as sentences (one per line)."""
    lang = _lang(lang, result)
    tol = {"rtol": result.rtol, "atol": result.atol}
    if result.agrees:
        lines = [_t("agree" if result.exact else "agree_dropout", lang, **tol)]
    else:
        lines = [_t("diverge", lang)]
    if result.output_problem:
        lines.append(_t("output", lang, **result.output_problem))
    if result.first_diverging_epoch:
        row = result.rows[result.first_diverging_epoch - 1]
        lines.append(_t("loss", lang, epoch=row.epoch, student=row.student_loss,
                        keras=row.keras_loss))
    if result.first_bad_layer is not None:
        bad = next(g for g in result.gradients if not g.agrees)
        lines.append(_t("gradient", lang, param=bad.param, layer=bad.layer, diff=bad.max_abs_diff))
    elif result.gradients and not result.agrees:
        lines.append(_t("gradients_ok", lang))
    if result.chaotic_from_epoch:
        lines.append(_t("chaotic", lang, epoch=result.chaotic_from_epoch))
    check = result.dropout_check
    if check is not None:
        lines.append(_t("dropout", lang, rate=check.rate, s_drop=check.student_dropped,
                        k_drop=check.keras_dropped, s_scale=check.student_scale,
                        k_scale=check.keras_scale,
                        identity=_t("yes" if check.student_eval_identity else "no", lang)))
    return lines
