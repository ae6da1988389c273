"""How a wrong value is wrong, when no listed mistake matches it: its symptom.

``symptom(got, expected, ...)`` compares what student code returned with the
reference value and says, in a few words a student can act on, how the two
differ: the sign is flipped, every value is off by a constant factor (and
which one: N, 1/N, K, 2, rate, 1/(1-rate), lr, or a plain number), the result
is transposed, shifted by a constant, wrong only at boundary points (z = 0),
one epoch or step off, wrong only in the last (partial) batch, right for
scalars but not for arrays, reshaped, rounded, reordered, equal to one of the
arguments, all zeros... It returns ``{"id": ..., "params": {...}}`` where the
id names a ``symptom.<id>`` message of grader/i18n/symptoms.toml (es and en),
or None when nothing simple explains the difference.

It never guesses a mistake: a symptom describes the values only.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from grader import config

RTOL = config.RTOL
ATOL = config.ATOL

# Every symptom id this module can return (a test checks each has es/en text).
SYMPTOMS = (
    "transposed", "reshaped", "length_off_by_one", "wrong_shape_broadcast",
    "sign_flipped", "factor_named", "factor", "shifted", "returns_argument", "all_zero",
    "constant", "boundary_only", "last_batch_only", "last_rows_only", "last_row_only",
    "off_by_one_step", "scalars_only", "reordered", "rounded", "some_entries", "one_entry",
    "not_a_number_type", "cumulative",
    # contract clauses (grader.checks.contract)
    "lists_rejected", "runtime_warning", "wrong_dtype", "no_value_error", "wrong_exception",
    "global_random",
    # state that survives between calls (checks that call a function twice)
    "state_between_calls",
)

# The least difference that a value rounded or truncated to an integer is called so.
ROUNDED_MIN_DIFFERENCE = 1e-3

# Factors recognised without being named by the check.
DEFAULT_FACTORS = {"2": 2.0, "1/2": 0.5}


def _f(value) -> np.ndarray | None:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _close(a, b, rtol=RTOL, atol=ATOL) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


def _num(x: float) -> str:
    return f"{x:.6g}"


def _wrong_mask(got: np.ndarray, expected: np.ndarray, rtol, atol) -> np.ndarray:
    return ~np.isclose(got, expected, rtol=rtol, atol=atol)


def _shape_symptom(got, expected, rtol, atol):
    if got.ndim == 2 and got.shape == expected.T.shape and _close(got, expected.T, rtol, atol):
        return {"id": "transposed", "params": {"got": str(got.shape),
                                               "expected": str(expected.shape)}}
    if got.size == expected.size and _close(got.reshape(expected.shape), expected, rtol, atol):
        return {"id": "reshaped", "params": {"got": str(got.shape),
                                             "expected": str(expected.shape)}}
    if got.ndim == expected.ndim == 1 and abs(got.size - expected.size) == 1:
        n = min(got.size, expected.size)
        if n and (_close(got[:n], expected[:n], rtol, atol)
                  or _close(got[-n:], expected[-n:], rtol, atol)):
            return {"id": "length_off_by_one", "params": {"got": got.size,
                                                          "expected": expected.size}}
    try:
        b = np.broadcast_shapes(got.shape, expected.shape)
    except ValueError:
        return None
    if b == expected.shape and got.size < expected.size and _close(
            np.broadcast_to(got, expected.shape), expected, rtol, atol):
        return None  # a proper subset, e.g. a mean where rows were wanted: no simple word
    if b != expected.shape:
        return {"id": "wrong_shape_broadcast", "params": {"got": str(got.shape),
                                                          "expected": str(expected.shape)}}
    return None


def _factor(got, expected, factors, rtol, atol):
    scale = np.abs(expected)
    big = scale > max(atol * 100, 1e-12)
    if int(big.sum()) < 2:       # one number: any other is "a constant factor" of it
        return None
    ratios = got[big] / expected[big]
    c = float(np.median(ratios))
    if not np.isfinite(c) or abs(c - 1.0) < 1e-9 or abs(c) < 1e-12:
        return None
    if not _close(got, c * expected, rtol=max(rtol, 1e-6), atol=atol):
        return None
    for name, value in {**DEFAULT_FACTORS, **(factors or {})}.items():
        value = float(value)
        for label, v in ((name, value), (f"1/({name})", 1.0 / value if value else 0.0)):
            if v and np.isclose(c, v, rtol=1e-6):
                if _is_number(name):        # "2": its name is its value, said once
                    return {"id": "factor", "params": {"value": _num(v)}}
                return {"id": "factor_named", "params": {"factor": label, "value": _num(v)}}
    if abs(c - 1.0) < 1e-3:      # no factor anyone writes (0.999999: an epsilon moved, say)
        return None
    return {"id": "factor", "params": {"value": _num(c)}}


def _is_number(name: str) -> bool:
    """True for a factor named by a number ("2", "1/2"), not by a quantity ("N", "lr")."""
    from fractions import Fraction

    try:
        Fraction(name)
    except (ValueError, ZeroDivisionError):
        return False
    return True


def _positions(mask: np.ndarray) -> str:
    idx = [tuple(int(i) for i in p) for p in np.argwhere(mask)[:4]]
    text = ", ".join(str(p[0]) if len(p) == 1 else str(p) for p in idx)
    return text + (", ..." if int(mask.sum()) > 4 else "")


def symptom(got, expected, *, inputs: Mapping[str, object] | None = None,
            factors: Mapping[str, float] | None = None, batch_size: int | None = None,
            sequence: bool = False, scalar_values=None, rtol: float = RTOL,
            atol: float = ATOL) -> dict | None:
    """How ``got`` differs from ``expected`` (both array-like), or None.

    Inputs:
    - inputs: the check's arguments by name (``{"z": z}``): a value equal to one of
      them, or wrong only where an input is 0 (a boundary), is recognised.
    - factors: named constants of this call (``{"N": 8, "lr": 0.1, "rate": 0.5}``)
      recognised as the factor that relates ``got`` to ``expected``.
    - batch_size: rows wrong only in the last, partial batch are recognised.
    - sequence: ``expected`` is a sequence over epochs/steps (history, errors):
      a value one step early or late is recognised.
    - scalar_values: the student's function applied to each entry alone, as
      scalars; when those are right, the function works for scalars only.
    """
    g, e = _f(got), _f(expected)
    if g is None or e is None:
        return {"id": "not_a_number_type", "params": {}}
    if g.shape != e.shape:
        return _shape_symptom(g, e, rtol, atol)
    if g.size == 0 or _close(g, e, rtol, atol):
        return None
    if not (np.isfinite(g).all() and np.isfinite(e).all()):
        return None
    if scalar_values is not None:
        s = _f(scalar_values)
        if s is not None and s.shape == e.shape and _close(s, e, rtol, atol):
            return {"id": "scalars_only", "params": {}}
    for name, value in (inputs or {}).items():
        v = _f(value)
        if v is not None and v.shape == g.shape and _close(g, v, rtol, atol) and not _close(
                v, e, rtol, atol):
            return {"id": "returns_argument", "params": {"argument": name}}
    if _close(g, -e, rtol, atol):
        return {"id": "sign_flipped", "params": {}}
    if sequence and g.ndim == 1 and g.size > 1:
        if _close(g[1:], e[:-1], rtol, atol) or _close(g[:-1], e[1:], rtol, atol):
            return {"id": "off_by_one_step", "params": {}}
        if _close(g, np.cumsum(e), rtol, atol):
            return {"id": "cumulative", "params": {}}
    found = _factor(g, e, factors, rtol, atol)
    if found:
        return found
    wrong = _wrong_mask(g, e, rtol, atol)
    if g.ndim >= 1 and not np.any(g):
        return {"id": "all_zero", "params": {}}
    d = g - e
    if wrong.all() and g.size > 1 and _close(d, np.full_like(d, np.median(d)), rtol, atol):
        return {"id": "shifted", "params": {"value": _num(float(np.median(d)))}}
    for name, value in (inputs or {}).items():
        v = _f(value)
        if v is not None and v.shape == g.shape and (v == 0).any() and (v != 0).any():
            if wrong[v == 0].any() and not wrong[v != 0].any():
                return {"id": "boundary_only", "params": {"argument": name,
                                                          "where": _positions(wrong)}}
    if g.ndim >= 1 and g.shape[0] > 1:
        rows = wrong.reshape(wrong.shape[0], -1).any(axis=1)
        n = rows.size
        if batch_size and n % batch_size and rows.any():
            start = n - n % batch_size
            if not rows[:start].any():
                return {"id": "last_batch_only", "params": {"rows": f"{start}..{n - 1}",
                                                            "batch_size": batch_size}}
        if rows.any() and not rows[0]:
            first = int(np.argmax(rows))
            if rows[first:].all() and first >= n // 2:
                if first == n - 1:
                    return {"id": "last_row_only", "params": {"row": first}}
                return {"id": "last_rows_only", "params": {"rows": f"{first}..{n - 1}"}}
    if g.size > 1 and np.allclose(np.sort(g, axis=None), np.sort(e, axis=None), rtol=rtol,
                                  atol=atol):
        return {"id": "reordered", "params": {}}
    if g.size > 1 and np.ptp(g) == 0 and np.ptp(e) > 0:
        return {"id": "constant", "params": {"value": _num(float(g.flat[0]))}}
    # Rounded: integers where the expected values are not (a value of 1e-7 returned as 0 was
    # not rounded; something smaller than rounding's least effect is missing).
    if (np.max(np.abs(g - e)) > ROUNDED_MIN_DIFFERENCE
            and (_close(g, np.round(e), rtol, atol) or _close(g, np.trunc(e), rtol, atol)
                 or _close(g, np.floor(e), rtol, atol))):
        return {"id": "rounded", "params": {}}
    if g.size > 2 and wrong.sum() <= g.size // 2:
        count = int(wrong.sum())
        return {"id": "one_entry" if count == 1 else "some_entries",
                "params": {"count": count, "total": g.size, "where": _positions(wrong)}}
    return None


def _leaves(value, path=""):
    if isinstance(value, (list, tuple)) and not (value and all(
            isinstance(v, (int, float, np.number)) for v in value)):
        for i, v in enumerate(value):
            yield from _leaves(v, f"{path}[{i}]")
    else:
        yield path, value


def nested_symptom(got, expected, **context) -> dict | None:
    """``symptom`` for nested lists/tuples of arrays (``[(dW, db), ...]``): the first part
    that differs, named by its position (``[0][1]``)."""
    if not isinstance(expected, (list, tuple)):
        return symptom(got, expected, **context)
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        return None
    for (path, g), (_, e) in zip(_leaves(got), _leaves(expected)):
        ga, ea = _f(g), _f(e)
        if ga is None or ea is None or ga.shape != ea.shape or not np.allclose(
                ga, ea, rtol=context.get("rtol", RTOL), atol=context.get("atol", ATOL)):
            found = symptom(g, e, **{k: v for k, v in context.items() if k != "inputs"})
            if found:
                found = {"id": found["id"], "params": {**found["params"], "part": path}}
            return found
    return None
