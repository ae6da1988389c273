"""Small data sets of the course, made in code (never downloaded), and initial weights.

Every loader returns ``(X, Y)``: ``X`` float64 of shape ``(N, D)`` (samples are
rows), ``Y`` float64 of shape ``(N, K)`` with 0/1 targets (``K = 1`` for binary
tasks). Random data sets take an explicit ``seed`` and are reproducible bit for
bit; their rows are shuffled, so mini-batches taken in row order (``rng=None``)
mix both classes.

    X, Y = load("moons", n=100, seed=3)
    params = init_params([2, 8, 1], seed=0)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from grader import config
from grader.i18n import t

DATA_DIR = Path(__file__).resolve().parent / "data"
DIGITS_FILE = DATA_DIR / "digits.npz"


def _as_xy(X, labels) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``X`` (N, D) and labels (N,) -> float64 ``(X, Y)`` with ``Y`` (N, 1)."""
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(labels, dtype=np.float64).reshape(-1, 1)
    return X, Y


def _truth_table(outputs) -> tuple[np.ndarray, np.ndarray]:
    """The four inputs (0,0), (0,1), (1,0), (1,1) with the given 0/1 ``outputs``."""
    return _as_xy([[0, 0], [0, 1], [1, 0], [1, 1]], outputs)


def xor() -> tuple[np.ndarray, np.ndarray]:
    """XOR truth table, the classic problem a single perceptron cannot solve.

    Returns:
    - X: (4, 2) float64, the inputs (0,0), (0,1), (1,0), (1,1)
    - Y: (4, 1) float64, 1 where exactly one input is 1
    """
    return _truth_table([0, 1, 1, 0])


def and_gate() -> tuple[np.ndarray, np.ndarray]:
    """AND truth table (linearly separable).

    Returns:
    - X: (4, 2) float64; Y: (4, 1) float64, 1 only for (1, 1)
    """
    return _truth_table([0, 0, 0, 1])


def or_gate() -> tuple[np.ndarray, np.ndarray]:
    """OR truth table (linearly separable).

    Returns:
    - X: (4, 2) float64; Y: (4, 1) float64, 0 only for (0, 0)
    """
    return _truth_table([0, 1, 1, 1])


def _shuffled(X, labels, rng) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(labels))
    return _as_xy(np.asarray(X)[order], np.asarray(labels)[order])


def moons(n: int = 200, noise: float = 0.1, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles (like scikit-learn's ``make_moons``), shuffled.

    Inputs:
    - n: number of samples; class 0 gets ``n - n // 2``, class 1 gets ``n // 2``
    - noise: standard deviation of the Gaussian noise added to every coordinate
    - seed: seed of ``np.random.default_rng``

    Returns:
    - X: (n, 2) float64, roughly in [-1.5, 2.5] x [-1, 1.5]
    - Y: (n, 1) float64 labels 0/1
    """
    rng = np.random.default_rng(seed)
    n_upper = n - n // 2
    n_lower = n // 2
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) + rng.normal(scale=noise, size=(n, 2))
    labels = np.r_[np.zeros(n_upper), np.ones(n_lower)]
    return _shuffled(X, labels, rng)


def spirals(n: int = 200, noise: float = 0.02, turns: float = 1.5,
            seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, one per class, shuffled (hard for small nets).

    Arm ``c`` is ``r * (cos(theta + c*pi), sin(theta + c*pi))`` with
    ``theta = 2*pi*turns*r`` and ``r`` evenly spaced in ``[0.1, 1]``.

    Inputs:
    - n: number of samples; class 0 gets ``n - n // 2``, class 1 gets ``n // 2``
    - noise: standard deviation of the Gaussian noise added to every coordinate
    - turns: how many times each arm winds around the origin
    - seed: seed of ``np.random.default_rng``

    Returns:
    - X: (n, 2) float64, roughly in [-1, 1] x [-1, 1]
    - Y: (n, 1) float64 labels 0/1
    """
    rng = np.random.default_rng(seed)
    arms, labels = [], []
    for label, count in ((0, n - n // 2), (1, n // 2)):
        r = np.linspace(0.1, 1.0, count)
        theta = 2.0 * np.pi * turns * r + label * np.pi
        arms.append(np.column_stack([r * np.cos(theta), r * np.sin(theta)]))
        labels.append(np.full(count, label))
    X = np.vstack(arms) + rng.normal(scale=noise, size=(n, 2))
    return _shuffled(X, np.concatenate(labels), rng)


# The course's pass/fail exercise: (classes attended out of 12, hours studied on
# one's own, passed). Hand-made; every student with classes + hours >= 13
# passed and every one with classes + hours <= 11 failed, so a straight line
# separates the two groups with a margin (a perceptron converges on it).
_PASS_FAIL_ROWS = (
    (12, 3.0, 1), (2, 2.0, 0), (4, 10.0, 1), (7, 3.0, 0), (10, 5.0, 1),
    (0, 1.0, 0), (8, 7.0, 1), (5, 4.0, 0), (11, 2.5, 1), (9, 2.0, 0),
    (6, 9.0, 1), (3, 5.0, 0), (12, 8.0, 1), (10, 1.0, 0), (9, 4.5, 1),
    (2, 8.0, 0), (5, 9.0, 1), (1, 3.0, 0), (11, 4.0, 1), (6, 5.0, 0),
    (7, 8.0, 1), (4, 6.0, 0), (12, 6.0, 1), (8, 1.0, 0), (9, 6.0, 1),
    (6, 2.0, 0), (10, 9.0, 1), (4, 1.0, 0),
)


def pass_fail() -> tuple[np.ndarray, np.ndarray]:
    """The course's example: did a student pass, from classes attended and hours studied?

    28 hand-made students, linearly separable (see ``_PASS_FAIL_ROWS``).

    Returns:
    - X: (28, 2) float64; column 0 = classes attended (0..12),
      column 1 = hours studied on their own (0..10)
    - Y: (28, 1) float64, 1 = passed, 0 = failed
    """
    rows = np.asarray(_PASS_FAIL_ROWS, dtype=np.float64)
    return _as_xy(rows[:, :2], rows[:, 2])


DIGITS_TASKS = ("0-vs-1", "even-odd", "one-hot")


def digits(task: str = "0-vs-1", n: int | None = None,
           seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits that scikit-learn ships (1797 images), pixels in [0, 1].

    Read from ``grader/data/digits.npz`` (vendored by
    ``python -m grader.devtools.vendor_digits``; no download, no scikit-learn).

    Inputs:
    - task: ``"0-vs-1"`` (default, binary: only the images of 0 and 1, 360 of
      them; Y = 1 for a one), ``"even-odd"`` (binary, all images; Y = 1 for an
      odd digit) or ``"one-hot"`` (all images; Y has 10 columns, one per digit)
    - n: if given, a random subset of ``n`` rows chosen with ``seed``; else all
      rows of the task, in file order
    - seed: seed of ``np.random.default_rng`` (used only when ``n`` is given)

    Returns:
    - X: (N, 64) float64, the 8x8 pixels row by row, divided by 16
    - Y: (N, 1) float64 (binary tasks) or (N, 10) float64 one-hot
    """
    if task not in DIGITS_TASKS:
        raise ValueError(f"unknown digits task {task!r}; choose one of: {', '.join(DIGITS_TASKS)}")
    with np.load(DIGITS_FILE, allow_pickle=False) as data:
        pixels, target = data["pixels"], data["target"].astype(np.int64)
    if task == "0-vs-1":
        keep = target <= 1
        pixels, target = pixels[keep], target[keep]
    if n is not None:
        if not 0 < n <= len(target):
            raise ValueError(f"n must be between 1 and {len(target)} for task {task!r}, got {n}")
        rows = np.random.default_rng(seed).choice(len(target), size=n, replace=False)
        pixels, target = pixels[rows], target[rows]
    X = pixels.astype(np.float64) / 16.0
    if task == "one-hot":
        return X, np.eye(10, dtype=np.float64)[target]
    return _as_xy(X, target % 2)   # 0-vs-1: the label is the digit itself


DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "xor": xor,
    "and": and_gate,
    "or": or_gate,
    "pass_fail": pass_fail,
    "moons": moons,
    "spirals": spirals,
    "digits": digits,
}


def load(name: str, **kw) -> tuple[np.ndarray, np.ndarray]:
    """The data set called ``name`` (a key of ``DATASETS``), built with keyword arguments ``kw``.

    Raises:
    - ValueError naming the known data sets when ``name`` is not one of them
    """
    try:
        maker = DATASETS[name]
    except KeyError:
        names = ", ".join(DATASETS)
        raise ValueError(" / ".join(t("datasets.unknown", lang, name=name, names=names)
                                    for lang in config.LANGUAGES)) from None
    return maker(**kw)


def init_params(layer_sizes, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Initial weights of a dense network, Keras's defaults made reproducible.

    ``W`` is Glorot-uniform, drawn from ``U(-limit, limit)`` with
    ``limit = sqrt(6 / (n_in + n_out))`` (like ``keras.initializers.GlorotUniform``),
    and ``b`` is zero (like Keras's ``zeros``); layer by layer from one
    ``np.random.default_rng(seed)``.

    Inputs:
    - layer_sizes: ``[n_0, n_1, ..., n_L]``, inputs first (e.g. ``[2, 4, 1]``)
    - seed: seed of ``np.random.default_rng``

    Returns:
    - list of L tuples ``(W, b)``: ``W`` (n_{l-1}, n_l) float64, ``b`` (n_l,) float64
    """
    sizes = [int(s) for s in layer_sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"layer_sizes needs at least two positive sizes, got {list(layer_sizes)}")
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        limit = np.sqrt(6.0 / (n_in + n_out))
        params.append((rng.uniform(-limit, limit, size=(n_in, n_out)), np.zeros(n_out)))
    return params
