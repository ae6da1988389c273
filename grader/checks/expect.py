"""Assertions for checks: compare what student code returned with a reference.

Every helper raises :class:`CheckFailed` with a :class:`Feedback` that says
what was expected, what came back and, where a known wrong variant matches,
which mistake produced it. Tolerances come from grader.config, stated once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

import numpy as np

from grader import config
from grader.checks.errors import CheckFailed
from grader.checks.feedback import Feedback, show
from grader.checks.symptoms import nested_symptom, symptom

RTOL = config.RTOL
ATOL = config.ATOL


def fail(key: str, *, mistake: str | None = None, details: str | None = None,
         symptom: dict | None = None, **params):
    """Fail the current check with the catalog message ``key``.

    ``mistake`` names a known wrong variant (only when the values match it);
    ``symptom`` (grader.checks.symptoms) says how the values are wrong otherwise.
    ``mistake`` may be a callable that diagnoses (called here, on failure only).
    """
    if callable(mistake):
        mistake = mistake()
    raise CheckFailed(Feedback(key, params, mistake=mistake, details=details,
                               symptom=None if mistake else symptom))


def close(a, b, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when two array-likes have one shape and agree within tolerance."""
    try:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return False
    if a.shape != b.shape:
        return False
    # np.allclose's own rule, |a - b| <= atol + rtol * |b|, without its overhead (asked
    # thousands of times per student); values that are not all finite take np.allclose.
    with np.errstate(over="ignore", invalid="ignore"):
        diff = np.abs(a - b)
        if np.isfinite(diff).all():
            return bool((diff <= atol + rtol * np.abs(b)).all())
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=False))


def as_array(got, *, call: str, kind: str = "f") -> np.ndarray:
    """The student's value as an ndarray, or a failure explaining why it is not one."""
    if got is None:
        fail("feedback.returned_none", call=call, mistake="returned_none")
    try:
        arr = np.asarray(got)
    except (TypeError, ValueError):
        fail("feedback.not_an_array", call=call, got=show(got))
    if arr.dtype.kind not in "biuf":
        fail("feedback.not_numeric", call=call, got=show(got), dtype=str(arr.dtype))
    return arr


class Lazy(Mapping):
    """A mapping computed by ``compute()`` the first time it is read.

    Wrong variants are only needed to explain a failure: a check that passes (most
    checks, for most students) never computes them.
    """

    def __init__(self, compute: Callable[[], Mapping]):
        self._compute, self._data = compute, None

    def _values(self) -> Mapping:
        if self._data is None:
            self._data, self._compute = dict(self._compute()), None
        return self._data

    def __getitem__(self, key):
        return self._values()[key]

    def __iter__(self):
        return iter(self._values())

    def __len__(self):
        return len(self._values())


def same(got, expected, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """Like close, for nested lists/tuples of arrays (e.g. ``[(dW, db), ...]``): structure too."""
    if expected is None:
        return got is None
    if isinstance(expected, (list, tuple)):
        return (isinstance(got, (list, tuple)) and len(got) == len(expected)
                and all(same(g, e, rtol, atol) for g, e in zip(got, expected)))
    return close(got, expected, rtol, atol)


def diagnose(got, mistakes: Mapping[str, object] | None, rtol: float = RTOL,
             atol: float = ATOL) -> str | None:
    """The name of the first known wrong variant that the value matches, if any."""
    for name, candidate in (mistakes.items() if mistakes is not None else ()):
        if candidate is not None and same(got, candidate, rtol, atol):
            return name
    return None


def consistent(observations, rtol: float = RTOL, atol: float = ATOL) -> set:
    """The mistakes that every observation matches, over several inputs of one check.

    ``observations``: ``[(got, {mistake: value_on_that_input}), ...]``. A mistake is
    named only when the student's values equal its values on EVERY input where it
    was evaluated: one coincidence (a recomputed ``y`` that happens to leave ``b``
    unchanged) is not enough to name it.
    """
    names = None
    for got, mistakes in observations:
        here = {n for n, v in (mistakes.items() if mistakes is not None else ())
                if v is not None and same(got, v, rtol, atol)}
        names = here if names is None else names & here
    return names or set()


@contextlib.contextmanager
def naming(mistake, symptom=None):
    """Name ``mistake`` (diagnosed on the whole value) in any failure inside the block;
    without a mistake, ``symptom`` (how the whole value is wrong) where the failure has none.

    Either may be a callable, called only when the block fails (diagnosing is the
    costly part of a check, and most checks pass)."""
    try:
        yield
    except CheckFailed as exc:
        if callable(mistake):
            mistake = mistake()
        if callable(symptom):
            symptom = None if mistake else symptom()
        if mistake and not exc.feedback.mistake:
            exc.feedback.mistake = mistake
            exc.feedback.symptom = None
        elif symptom and not exc.feedback.mistake and not exc.feedback.symptom:
            exc.feedback.symptom = symptom
        raise


def explaining(got, expected, mistakes: Mapping[str, object] | None = None, **context):
    """``naming`` for a nested value: the mistake its values match, else its symptom.

    ``context`` goes to grader.checks.symptoms.symptom (inputs, factors, batch_size,
    sequence)."""
    return naming(lambda: diagnose(got, mistakes),
                  lambda: _safe(nested_symptom, got, expected, **context))


def _safe(fn, *args, **kwargs):
    """A symptom is a help, never a reason for a check to break."""
    try:
        return fn(*args, **kwargs)
    except Exception:  # noqa: BLE001 - odd student values: no symptom
        return None


def expect_array(got, expected, *, call: str, mistakes: Mapping[str, object] | None = None,
                 rtol: float = RTOL, atol: float = ATOL, kind: str = "f",
                 **context) -> np.ndarray:
    """Check that ``got`` equals ``expected`` (shape, finiteness, values).

    Inputs:
    - got: what student code returned (plain data from the sandbox).
    - expected: the reference value, array-like.
    - call: how the call reads, e.g. ``"sigmoid_derivative(z)"``.
    - mistakes: ``{mistake_name: wrong_value}``, known wrong variants to name; one
      is named only when ``got`` matches its value.
    - context: what helps say how a wrong value is wrong when no mistake matches
      (grader.checks.symptoms.symptom): ``inputs={"z": z}``, ``factors={"N": n}``,
      ``batch_size=``, ``sequence=True``, ``scalar_values=``.
    Returns: ``got`` as an ndarray.
    """
    expected = np.asarray(expected)
    arr = as_array(got, call=call)

    def how():
        return _safe(symptom, arr, expected, rtol=rtol, atol=atol, **context)

    if arr.shape != expected.shape:
        fail("feedback.wrong_shape", call=call, expected=str(expected.shape), got=str(arr.shape),
             mistake=diagnose(arr, mistakes, rtol, atol), symptom=how())
    if kind == "i" and arr.dtype.kind not in "iu":
        fail("feedback.wrong_dtype", call=call, expected="int", got=str(arr.dtype),
             mistake=diagnose(arr, mistakes, rtol, atol))
    finite_expected = np.isfinite(expected.astype(float))
    bad = ~np.isfinite(arr.astype(float)) & finite_expected
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail("feedback.not_finite", call=call, index=str(index),
             value=show(arr[index] if arr.ndim else arr[()]),
             mistake=diagnose(arr, mistakes, rtol, atol))
    if close(arr, expected, rtol, atol):
        return arr
    mistake = diagnose(arr, mistakes, rtol, atol)
    diff = np.abs(arr.astype(float) - expected.astype(float))
    if not diff.ndim:               # a scalar: no index to point at
        fail("feedback.wrong_scalar", call=call, expected=show(expected[()]),
             got=show(arr[()]), max_error=f"{float(diff):.3g}", mistake=mistake,
             symptom=None if mistake else how())
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
    fail("feedback.wrong_values", call=call, expected=show(expected), got=show(arr),
         index=str(index), expected_at=show(expected[index]), got_at=show(arr[index]),
         max_error=f"{float(np.max(diff)):.3g}", mistake=mistake,
         symptom=None if mistake else how())


def expect_finite_shape(got, shape, *, call: str) -> np.ndarray:
    """Check only the shape and that every value is finite; returns the array."""
    arr = as_array(got, call=call)
    if arr.shape != tuple(shape):
        fail("feedback.wrong_shape", call=call, expected=str(tuple(shape)), got=str(arr.shape))
    bad = ~np.isfinite(arr.astype(float))
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail("feedback.not_finite", call=call, index=str(index),
             value=show(arr[index] if arr.ndim else arr[()]))
    return arr


def expect_unchanged(before, after, *, call: str, argument: str,
                     mistake: str = "modified_in_place"):
    """Fail naming ``mistake`` (default ``modified_in_place``) when an argument changed."""
    if after is None:
        return
    if isinstance(before, (list, tuple)):
        if not isinstance(after, (list, tuple)) or len(after) != len(before):
            fail("feedback.modified_in_place", call=call, argument=argument, mistake=mistake)
        for b, a in zip(before, after):
            expect_unchanged(b, a, call=call, argument=argument, mistake=mistake)
        return
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape or not np.array_equal(
                after, before, equal_nan=True):
            fail("feedback.modified_in_place", call=call, argument=argument, mistake=mistake)


def expect_true(condition: bool, key: str, *, mistake: str | None = None, **params):
    """Fail with ``key`` unless ``condition`` holds."""
    if not condition:
        fail(key, mistake=mistake, **params)
