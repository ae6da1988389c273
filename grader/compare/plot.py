"""Draw a CompareResult as a PNG: both loss curves and, for 2-D data, both decision boundaries.

matplotlib is imported when ``plot`` runs, and only its object-oriented API
(``matplotlib.figure.Figure`` rendered by Agg): no pyplot, no global backend.
The texts live in the i18n catalog (grader/i18n/keras.toml, keys ``compare.plot.*``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader import config
from grader.i18n import t

def plot(result, path, lang: str | None = None) -> Path:
    """Write ``path`` (PNG): loss curves of both networks; for 2-D inputs, both decision boundaries.

    Inputs:
    - result: a CompareResult
    - path: where to write the PNG (parent directories are created)
    - lang: ``"es" | "en"`` for titles, labels and legends; default ``result.lang``

    Returns:
    - the path written, as a Path
    """
    from matplotlib.figure import Figure

    lang = lang or result.lang
    lang = lang if lang in config.LANGUAGES else config.DEFAULT_LANGUAGE
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    panels = 3 if result.boundary is not None else 1
    fig = Figure(figsize=(5.2 * panels, 4.4), layout="constrained")
    axes = fig.subplots(1, panels, squeeze=False)[0]
    _loss_panel(axes[0], result, lang)
    if result.boundary is not None:
        b = result.boundary
        _boundary_panel(axes[1], b.xs, b.ys, b.student, result,
                        t("compare.plot.student_boundary", lang), lang)
        _boundary_panel(axes[2], b.xs, b.ys, b.keras, result,
                        t("compare.plot.keras_boundary", lang), lang)
    device = result.device
    verdict = (t("compare.plot.verdict.agree", lang) if result.agrees
               else t("compare.plot.verdict.diverge", lang))
    fig.suptitle(f"{verdict} · {result.dataset} "
                 f"{'-'.join(map(str, result.layer_sizes))} · {device.get('backend')} "
                 f"({device.get('device')})")
    fig.savefig(path, format="png", dpi=100)
    return path


def _loss_panel(ax, result, lang: str) -> None:
    epochs = np.array([row.epoch for row in result.rows])
    student = np.array([row.student_loss for row in result.rows])
    keras = np.array([row.keras_loss for row in result.rows])
    ax.plot(epochs, keras, color="tab:orange", linewidth=3.0, alpha=0.6,
            label=t("compare.plot.keras", lang))
    ax.plot(epochs, student, color="tab:blue", linewidth=1.2, linestyle="--",
            label=t("compare.plot.student", lang))
    if result.first_diverging_epoch:
        ax.axvline(result.first_diverging_epoch, color="tab:red", linewidth=1.0,
                   label=t("compare.plot.first_diverging", lang))
    if result.chaotic_from_epoch:
        ax.axvline(result.chaotic_from_epoch, color="gray", linewidth=1.0, linestyle=":",
                   label=t("compare.plot.chaotic", lang))
    positive = np.concatenate([student, keras])
    positive = positive[np.isfinite(positive) & (positive > 0)]
    if positive.size and positive.max() / positive.min() > 20:
        ax.set_yscale("log")
    ax.set_title(t("compare.plot.loss_title", lang))
    ax.set_xlabel(t("compare.plot.epoch", lang))
    ax.set_ylabel(t("compare.plot.loss", lang))
    ax.grid(True, alpha=0.3)
    ax.legend()


def _boundary_panel(ax, xs, ys, probabilities, result, title: str, lang: str) -> None:
    ax.set_title(title)
    if probabilities is None:
        ax.text(0.5, 0.5, t("compare.plot.no_student", lang), ha="center", va="center",
                transform=ax.transAxes)
    else:
        probabilities = np.asarray(probabilities, dtype=np.float64)
        ax.contourf(xs, ys, probabilities, levels=np.linspace(0.0, 1.0, 11), cmap="RdBu_r",
                    alpha=0.6)
        if np.nanmin(probabilities) < 0.5 < np.nanmax(probabilities):
            ax.contour(xs, ys, probabilities, levels=[0.5], colors="k", linewidths=1.5)
    labels = result.Y[:, 0] > 0.5
    for label, color in ((0, "tab:blue"), (1, "tab:red")):
        chosen = labels == bool(label)
        ax.scatter(result.X[chosen, 0], result.X[chosen, 1], s=18, c=color, edgecolors="k",
                   linewidths=0.5, label=t("compare.plot.class", lang, label=label))
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.legend(loc="upper right", fontsize="small")
