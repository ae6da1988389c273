"""Train a student's network and the Keras baseline side by side and say where they part.

``compare`` returns a ``CompareResult`` (plain data, no printing); ``table.py``
renders it as text and ``plot.py`` as a PNG.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import numpy as np

from grader import baseline, config, datasets
from grader.i18n import t

VERDICTS = ("agree", "diverge")
# Why a comparison diverges (several may hold at once).
REASONS = ("output", "loss", "gradient", "dropout")
# Every default of compare(), in one place.
DEFAULTS = {"dataset": "xor", "hidden": (4,), "lr": 0.5, "batch_size": 4, "epochs": 1000,
            "dropout": 0.0, "device": "auto", "seed": 0, "lang": "es"}
GRID_POINTS = 121          # decision-boundary grid: GRID_POINTS x GRID_POINTS
DROPOUT_PROBE_SHAPE = (200, 50)
DROPOUT_SIGMAS = 5.0       # dropped fraction may stray this many binomial std devs from rate


@dataclass(frozen=True)
class EpochRow:
    """One epoch: the training-set loss of both networks after it (epochs count from 1)."""

    epoch: int
    student_loss: float
    keras_loss: float
    diff: float                 # |student_loss - keras_loss|
    agrees: bool | None         # None where curves are not compared (dropout > 0)


@dataclass(frozen=True)
class GradientDiff:
    """One parameter's gradient on the first mini-batch: the student's ``backward`` vs Keras."""

    layer: int                  # 1 = first hidden layer
    param: str                  # "W" or "b"
    max_abs_diff: float         # inf when the student's array has the wrong shape
    agrees: bool


@dataclass(frozen=True)
class DropoutCheck:
    """The student's ``dropout_forward`` vs ``keras.layers.Dropout`` on the same activations."""

    rate: float
    student_dropped: float      # fraction of units set to 0
    keras_dropped: float
    student_scale: float        # median of output / input over the kept units
    keras_scale: float          # 1 / (1 - rate)
    student_eval_identity: bool  # training=False returns the input unchanged
    agrees: bool


@dataclass(frozen=True)
class DecisionBoundary:
    """Output probabilities of both trained networks on a grid over a 2-D data set."""

    xs: np.ndarray              # (G,) first input
    ys: np.ndarray              # (G,) second input
    student: np.ndarray | None  # (G, G) probabilities, row i is ys[i]
    keras: np.ndarray           # (G, G)


@dataclass(frozen=True)
class CompareResult:
    """Everything ``compare`` found; ``format_table`` and ``plot`` render it."""

    verdict: str                          # "agree" | "diverge"
    reasons: tuple[str, ...]              # subset of REASONS, empty when agreeing
    dataset: str
    layer_sizes: tuple[int, ...]
    lr: float
    batch_size: int
    epochs: int
    dropout: float
    seed: int
    lang: str
    device: dict                          # baseline.DeviceInfo.as_dict(): device, backend, versions
    exact: bool                           # curves compared step for step (dropout == 0)
    rtol: float
    atol: float
    rows: list[EpochRow]
    student_accuracy: float | None
    keras_accuracy: float
    first_diverging_epoch: int | None     # first epoch whose losses differ (genuinely)
    chaotic_from_epoch: int | None        # curves part here by round-off growth only
    gradients: list[GradientDiff]
    first_bad_layer: int | None           # first differing gradient in backprop order
    first_bad_param: str | None           # "W" | "b"
    dropout_check: DropoutCheck | None
    output_problem: dict | None           # {"what", "expected", "got"} for a malformed return
    X: np.ndarray = field(repr=False)
    Y: np.ndarray = field(repr=False)
    boundary: DecisionBoundary | None = field(default=None, repr=False)

    @property
    def agrees(self) -> bool:
        return self.verdict == "agree"


class _Malformed(Exception):
    def __init__(self, what: str, expected: str, got: str):
        super().__init__(what)
        self.problem = {"what": what, "expected": expected, "got": got}


def _shape_of(value) -> str:
    try:
        return str(np.shape(value))
    except Exception:   # ragged or exotic: name the type
        return type(value).__name__


def _as_params(value, like, what: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """``value`` as float64 ``(W, b)`` pairs shaped like ``like``; _Malformed otherwise."""
    expected = str([(W.shape, b.shape) for W, b in like])
    try:
        pairs = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64))
                 for W, b in value]
    except (TypeError, ValueError):
        raise _Malformed(what, expected, type(value).__name__) from None
    if [(W.shape, b.shape) for W, b in pairs] != [(W.shape, b.shape) for W, b in like]:
        raise _Malformed(what, expected, str([(W.shape, b.shape) for W, b in pairs]))
    return pairs


def _as_history(value, epochs: int, what: str = "history") -> np.ndarray:
    try:
        history = np.asarray(value, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise _Malformed(what, f"({epochs},)", _shape_of(value)) from None
    if history.shape != (epochs,):
        raise _Malformed(what, f"({epochs},)", _shape_of(value))
    return history


def _train_student(student, X, Y, params, lr, batch_size, epochs, dropout, seed):
    rng = np.random.default_rng(seed) if dropout > 0 else None
    copies = [(W.copy(), b.copy()) for W, b in params]
    value = student.sgd.train(X, Y, copies, lr, batch_size, epochs, rng=rng, dropout_rate=dropout)
    try:
        new_params, history = value
    except (TypeError, ValueError):
        raise _Malformed("sgd.train", "(params, history)", type(value).__name__) from None
    return _as_params(new_params, params, "params"), _as_history(history, epochs)


def _close(a, b, rtol, atol) -> bool:
    return bool(np.all(np.isclose(a, b, rtol=rtol, atol=atol)))


def _accuracy(probabilities, Y) -> float:
    return float(np.mean((np.asarray(probabilities) > 0.5) == (Y > 0.5)))


def _student_gradient(grads, layer: int, which: int) -> np.ndarray | None:
    """``grads[layer][which]`` as float64 (0 = dW, 1 = db), or None when it is not there."""
    try:
        return np.asarray(grads[layer][which], dtype=np.float64)
    except (TypeError, ValueError, IndexError, KeyError):
        return None


def _gradient_diffs(student, keras_grads, params, Xb, Yb, rtol, atol) -> list[GradientDiff]:
    """Per-parameter comparison of the student's ``backward`` with Keras, in backprop order."""
    copies = [(W.copy(), b.copy()) for W, b in params]
    _, cache = student.backprop.forward(Xb, copies)
    student_grads = student.backprop.backward(copies, cache, Yb)
    diffs = []
    for layer in range(len(params), 0, -1):
        for which, (name, mine) in enumerate(zip("Wb", keras_grads[layer - 1])):
            got = _student_gradient(student_grads, layer - 1, which)
            if got is None or got.shape != mine.shape:
                diffs.append(GradientDiff(layer, name, float("inf"), False))
            else:
                diffs.append(GradientDiff(layer, name, float(np.max(np.abs(got - mine))),
                                          _close(got, mine, rtol, atol)))
    return diffs


def _dropout_check(student, keras_run, rate, seed, rtol, atol) -> DropoutCheck:
    A = np.random.default_rng(seed).uniform(0.5, 1.5, size=DROPOUT_PROBE_SHAPE)
    keras_out = keras_run(baseline.dropout, A, rate, seed)
    out, _mask = student.dropout.dropout_forward(A.copy(), rate, np.random.default_rng(seed),
                                                 training=True)
    out_eval, _ = student.dropout.dropout_forward(A.copy(), rate, np.random.default_rng(seed),
                                                  training=False)
    out = np.asarray(out, dtype=np.float64)
    out_eval = np.asarray(out_eval, dtype=np.float64)
    if out.shape != A.shape:
        raise _Malformed("dropout_forward", str(A.shape), _shape_of(out))

    def fraction_and_ratios(values):
        kept = values != 0
        return float(1.0 - kept.mean()), values[kept] / A[kept]

    student_dropped, student_ratios = fraction_and_ratios(out)
    keras_dropped, keras_ratios = fraction_and_ratios(keras_out["train"])
    keras_scale = float(np.median(keras_ratios))
    student_scale = float(np.median(student_ratios)) if student_ratios.size else float("nan")
    bound = DROPOUT_SIGMAS * np.sqrt(rate * (1.0 - rate) / A.size)
    identity = out_eval.shape == A.shape and bool(np.array_equal(out_eval, A))
    agrees = (abs(student_dropped - rate) <= bound
              and _close(student_ratios, keras_scale, rtol, atol) and identity)
    return DropoutCheck(rate, student_dropped, keras_dropped, student_scale, keras_scale,
                        identity, bool(agrees))


def _grid(X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lows, highs = X.min(axis=0), X.max(axis=0)
    pad = np.maximum(0.1 * (highs - lows), 0.25)
    xs = np.linspace(lows[0] - pad[0], highs[0] + pad[0], GRID_POINTS)
    ys = np.linspace(lows[1] - pad[1], highs[1] + pad[1], GRID_POINTS)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.column_stack([gx.ravel(), gy.ravel()])


def _load(dataset: str, seed: int):
    maker = datasets.DATASETS.get(dataset)
    kw = {"seed": seed} if maker and "seed" in inspect.signature(maker).parameters else {}
    return datasets.load(dataset, **kw)


def compare(student, *, dataset: str = DEFAULTS["dataset"], hidden=DEFAULTS["hidden"],
            lr: float = DEFAULTS["lr"], batch_size: int = DEFAULTS["batch_size"],
            epochs: int = DEFAULTS["epochs"], dropout: float = DEFAULTS["dropout"],
            device: str = DEFAULTS["device"], seed: int = DEFAULTS["seed"],
            lang: str = DEFAULTS["lang"], cache_dir=None, use_cache: bool = True) -> CompareResult:
    """Train the student's MLP and Keras's from the same initial weights; compare them.

    Both start from ``datasets.init_params(sizes, seed)`` with
    ``sizes = (D, *hidden, K)`` for the data set's ``X`` (N, D) and ``Y`` (N, K).
    The student trains with ``student.sgd.train(X, Y, params, lr, batch_size,
    epochs, rng=None, dropout_rate=0.0)``; Keras with ``model.fit(...,
    shuffle=False)`` and ``SGD(lr)`` (see ``grader.baseline.fit_sgd``). Then:

    - the per-epoch losses are compared (``baseline.BASELINE_RTOL/ATOL``). Where
      they first differ, the student trains that one epoch again from Keras's
      weights of the epoch before: if it then agrees, the curves parted by
      round-off amplified by an unstable (chaotic) training, not by a mistake
      (``chaotic_from_epoch``);
    - on the first mini-batch, the student's ``backprop.backward`` is compared
      with Keras's autodiff gradients, parameter by parameter, from the output
      layer back; the first that differs is ``first_bad_layer/param``;
    - with ``dropout > 0`` (masks are random, so curves cannot match step for
      step and are shown only) the student trains with
      ``rng=np.random.default_rng(seed)`` and ``student.dropout.dropout_forward``
      is checked against ``keras.layers.Dropout``: dropped fraction, scaling of
      the kept units, identity at evaluation.

    Inputs:
    - student: any object with ``student.backprop.forward``,
      ``student.backprop.backward``, ``student.sgd.train`` (and
      ``student.dropout.dropout_forward`` when ``dropout > 0``), e.g. a
      sandbox StudentProxy or a namespace of modules. Exceptions raised by the
      student's code propagate unchanged.
    - dataset: a name of ``datasets.DATASETS`` (random ones use ``seed``)
    - hidden: units of each hidden layer; lr, batch_size, epochs: SGD's
    - dropout: rate of the dropout after each hidden layer
    - device: ``"auto" | "cpu" | "gpu"`` for Keras; seed: initial weights, data, masks
    - lang: ``"es" | "en"`` for errors and, by default, the renderers
    - cache_dir, use_cache: the baseline's disk cache (``grader.baseline.cached``)

    Returns:
    - CompareResult
    """
    _check_settings(lang, lr=lr, batch_size=batch_size, epochs=epochs, dropout=dropout,
                    hidden=hidden)
    rtol, atol = baseline.BASELINE_RTOL, baseline.BASELINE_ATOL
    X, Y = _load(dataset, seed)
    sizes = (X.shape[1], *[int(h) for h in hidden], Y.shape[1])
    params = datasets.init_params(sizes, seed)
    lr, batch_size, epochs, dropout = float(lr), int(batch_size), int(epochs), float(dropout)

    def keras_run(fn, *args, **kw):
        kw.update(device=device, lang=lang)
        if use_cache:
            return baseline.cached(fn, *args, cache_dir=cache_dir, **kw)
        return fn(*args, **kw)

    run = keras_run(baseline.fit_sgd, params, X, Y, lr, batch_size, epochs, dropout=dropout,
                    seed=seed, keep_weights=True)
    keras_history = np.asarray(run["history"])
    keras_final = run["weights"]
    Xb, Yb = X[:batch_size], Y[:batch_size]
    keras_grads = keras_run(baseline.gradients, params, Xb, Yb)
    exact = dropout == 0.0
    reasons: list[str] = []
    output_problem = None
    student_history = np.full(epochs, np.nan)
    student_final = None
    first_diverging = chaotic_from = None
    check = None
    grads: list[GradientDiff] = []
    try:
        student_final, student_history = _train_student(student, X, Y, params, lr, batch_size,
                                                        epochs, dropout, seed)
        if exact:
            first_diverging = _first_diverging_epoch(student_history, keras_history, rtol, atol)
            if first_diverging is not None and first_diverging > 1 and _epoch_agrees_from_keras(
                    student, X, Y, run, first_diverging, lr, batch_size, rtol, atol):
                chaotic_from, first_diverging = first_diverging, None
        grads = _gradient_diffs(student, keras_grads, params, Xb, Yb, rtol, atol)
        if dropout > 0:
            check = _dropout_check(student, keras_run, dropout, seed, rtol, atol)
    except _Malformed as bad:
        output_problem = bad.problem
        reasons.append("output")
    if first_diverging is not None:
        reasons.append("loss")
    bad_grads = [g for g in grads if not g.agrees]
    if bad_grads:
        reasons.append("gradient")
    if check is not None and not check.agrees:
        reasons.append("dropout")

    rows = []
    for epoch, (mine, theirs) in enumerate(zip(student_history, keras_history), start=1):
        agrees = bool(np.isclose(mine, theirs, rtol=rtol, atol=atol)) if exact else None
        rows.append(EpochRow(epoch, float(mine), float(theirs), float(abs(mine - theirs)), agrees))

    student_accuracy = boundary = None
    student_grid = None
    if student_final is not None:
        student_accuracy = _accuracy(student.backprop.forward(X, student_final)[0], Y)
    if X.shape[1] == 2:
        xs, ys, points = _grid(X)
        keras_grid = np.asarray(keras_run(baseline.predict, keras_final, points)).reshape(
            len(ys), len(xs))
        if student_final is not None:
            student_grid = np.asarray(student.backprop.forward(points, student_final)[0],
                                      dtype=np.float64).reshape(len(ys), len(xs))
        boundary = DecisionBoundary(xs, ys, student_grid, keras_grid)

    return CompareResult(
        verdict="diverge" if reasons else "agree", reasons=tuple(reasons), dataset=dataset,
        layer_sizes=tuple(sizes), lr=lr, batch_size=batch_size, epochs=epochs, dropout=dropout,
        seed=seed, lang=lang, device=dict(run["device"]), exact=exact, rtol=rtol, atol=atol,
        rows=rows, student_accuracy=student_accuracy,
        keras_accuracy=_accuracy(run["probabilities"], Y),
        first_diverging_epoch=first_diverging, chaotic_from_epoch=chaotic_from, gradients=grads,
        first_bad_layer=bad_grads[0].layer if bad_grads else None,
        first_bad_param=bad_grads[0].param if bad_grads else None,
        dropout_check=check, output_problem=output_problem, X=X, Y=Y, boundary=boundary,
    )


def _check_settings(lang: str, **settings) -> None:
    """ValueError (in ``lang``, default Spanish) for a setting no training can use."""
    valid = {
        "lr": lambda v: isinstance(v, (int, float)) and v > 0,
        "batch_size": lambda v: isinstance(v, (int, np.integer)) and v >= 1,
        "epochs": lambda v: isinstance(v, (int, np.integer)) and v >= 1,
        "dropout": lambda v: isinstance(v, (int, float)) and 0 <= v < 1,
        "hidden": lambda v: all(isinstance(h, (int, np.integer)) and h >= 1 for h in v),
    }
    lang = lang if lang in config.LANGUAGES else config.DEFAULT_LANGUAGE
    for name, value in settings.items():
        if not valid[name](value):
            raise ValueError(t("compare.bad_setting", lang, name=name, value=value,
                               rule=t(f"compare.rule.{name}", lang)))


def _first_diverging_epoch(mine, theirs, rtol, atol) -> int | None:
    close = np.isclose(mine, theirs, rtol=rtol, atol=atol)
    return None if close.all() else int(np.argmin(close)) + 1


def _epoch_agrees_from_keras(student, X, Y, run, epoch, lr, batch_size, rtol, atol) -> bool:
    """Does one student epoch started from Keras's weights after ``epoch - 1`` land on Keras's?"""
    start = [(W[epoch - 2], b[epoch - 2]) for W, b in run["weights_per_epoch"]]
    target = [(W[epoch - 1], b[epoch - 1]) for W, b in run["weights_per_epoch"]]
    params, history = _train_student(student, X, Y, start, lr, batch_size, 1, 0.0, 0)
    return (_close(history[0], run["history"][epoch - 1], rtol, atol)
            and all(_close(mine, theirs, rtol, atol)
                    for pair, other in zip(params, target) for mine, theirs in zip(pair, other)))


__all__ = ["CompareResult", "DEFAULTS", "DecisionBoundary", "DropoutCheck", "EpochRow",
           "GradientDiff", "REASONS", "VERDICTS", "compare"]
