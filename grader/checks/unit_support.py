"""Checks of the clauses that hold for every function of the contract, as plain helpers.

Used by the exercise units of tests/checks/<exercise>/ (public.py, hidden.py):

- ``call_clean``: call a student function and fail if it emitted a warning
  (RuntimeWarning on finite input) or modified an array argument in place;
- ``expect_value_error``: the call must raise ``ValueError``;
- ``expect_scalar``: a float result (a Python float, a NumPy scalar or a 0-d array);
- ``sibling_module`` / ``sibling_variants``: another file of the same unit (hidden.py
  reusing public.py's helpers), and the unit's named mistakes evaluated on given inputs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from grader.checks.errors import StudentProblem
from grader.checks.expect import expect_array, expect_unchanged, fail
from grader.checks.feedback import show


def _warning_text(warnings) -> str:
    first = warnings[0]
    return f"{first.get('category', 'Warning')}: {first.get('message', '')}"


def call_clean(student, module: str, func: str, *args, call: str, inputs: str = "",
               names=None, mistake_if_warns=None,
               mistake_if_modifies: str = "modified_in_place", **kwargs):
    """``module.func(*args, **kwargs)`` in the sandbox; fails on a warning or an in-place change.

    Inputs:
    - names: the argument names, for the feedback (default ``arg0, arg1, ...``)
    - inputs: how the input reads in the warning's feedback (default: none; ``call``
      says it)
    - mistake_if_warns: the mistake a warning names, or ``f(warnings) -> mistake | None``
      choosing it from the warnings (``[{"category", "message"}, ...]``)
    Returns: the value the student's function returned.
    """
    outcome = student.call(module, func, *args, return_args=True, **kwargs)
    warnings = outcome.info.get("warnings") or []
    if warnings:
        mistake = mistake_if_warns(warnings) if callable(mistake_if_warns) else mistake_if_warns
        if inputs:
            fail("feedback.warning_emitted", call=call, inputs=inputs,
                 warning=_warning_text(warnings), mistake=mistake)
        fail("feedback.warning_emitted_here", call=call, warning=_warning_text(warnings),
             mistake=mistake)
    after = outcome.args_after or []
    names = list(names or [f"arg{i}" for i in range(len(args))])
    for name, before, now in zip(names, args, after):
        if isinstance(before, (np.ndarray, list, tuple)):
            expect_unchanged(before, now, call=call, argument=name, mistake=mistake_if_modifies)
    return outcome.value


def expect_value_error(student, module: str, func: str, *args, call: str, why: str,
                       mistake: str | None = None, **kwargs):
    """Fail unless ``module.func(*args)`` raises ValueError (NotImplementedError stays the
    engine's "not attempted")."""
    try:
        value = student.call(module, func, *args, **kwargs).value
    except StudentProblem as problem:
        info = problem.outcome.info
        if problem.outcome.status == "error" and info.get("type") == "ValueError":
            return
        if problem.outcome.status != "error":
            raise
        fail("feedback.clause_wrong_exception", call=call, why=why,
             type=info.get("type", "Exception"), message=str(info.get("message", ""))[:200],
             mistake=mistake)
    fail("feedback.clause_no_value_error", call=call, why=why, got=show(value),
         mistake=mistake)


def expect_scalar(got, expected, *, call: str, mistakes=None, rtol=None, atol=None) -> float:
    """A float result: a Python float, a NumPy scalar or a 0-d array, close to ``expected``."""
    if isinstance(got, (list, tuple)):
        fail("feedback.clause_not_a_float", call=call, got=show(got))
    tol = {k: v for k, v in (("rtol", rtol), ("atol", atol)) if v is not None}
    arr = expect_array(got, np.float64(expected), call=call, mistakes=mistakes, **tol)
    return float(arr)


def sibling_module(file: str, name: str):
    """The module ``name``.py of the unit holding ``file`` (e.g. hidden.py reusing public.py's
    helpers), loaded once (grader.exercises.load_unit_module)."""
    from grader.exercises import load_unit_module

    return load_unit_module(Path(file).resolve().parent.name, name)


def sibling_variants(file: str, ref, func: str, *args, **kwargs) -> dict:
    """``{mistake: value}`` of the unit's mutants of ``func`` on these inputs
    (grader.mutants.variants for the unit holding ``file``)."""
    from grader.mutants import variants

    return variants(ref, Path(file).resolve().parent.name, func, *args, **kwargs)


def expect_true_derivative(analytic, numeric, *, call: str, of: str, at, tol: float,
                           floor: float = 1e-12, own=None, true=None, own_at=None) -> None:
    """The student's derivative ``analytic`` against ``numeric``: centred differences of the
    CORRECT function ``of`` (computed by the check, never from the student's own function,
    so that a wrong pair such as ``0 * z`` for both a function and its derivative fails).

    Inputs:
    - at(index) -> str: where entry ``index`` is, for the feedback (``"z = 0.5"``, ``"A[0, 1]"``)
    - own() -> values: the student's own ``of`` at the same points, asked only on failure,
      and ``true`` the correct values there; when they differ, the feedback says so (the
      derivative is compared with the derivative of the correct function, not of theirs)
    - own_at(index) -> str: where entry ``index`` of ``own`` is (default ``at``)
    """
    from grader.checks.errors import CheckFailed
    from grader.checks.expect import close

    analytic = np.asarray(analytic, dtype=float)
    numeric = np.asarray(numeric, dtype=float)
    with np.errstate(all="ignore"):
        rel = np.abs(analytic - numeric) / np.maximum(np.abs(analytic) + np.abs(numeric), floor)
    rel = np.where(np.isnan(rel), np.inf, rel)
    worst = tuple(int(i) for i in np.unravel_index(int(np.argmax(rel)), rel.shape))
    if rel[worst] < tol:
        return
    params = dict(call=call, of=of, at=at(worst), analytic=f"{analytic[worst]:.10g}",
                  numeric=f"{numeric[worst]:.10g}", rel=f"{rel[worst]:.2e}", tol=f"{tol:g}")
    if own is not None and true is not None:
        try:
            mine = np.asarray(own(), dtype=float)
        except (StudentProblem, CheckFailed, TypeError, ValueError):
            mine = None
        true = np.asarray(true, dtype=float)
        if mine is not None and mine.shape == true.shape and not close(mine, true):
            with np.errstate(all="ignore"):
                gap = np.abs(mine - true)
            gap = np.where(np.isnan(gap), np.inf, gap)
            k = tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), gap.shape))
            fail("feedback.finite_difference_true_forward_wrong", **params,
                 own_at=(own_at or at)(k), own=f"{mine[k]:.10g}", true=f"{true[k]:.10g}")
    fail("feedback.finite_difference_true", **params)
