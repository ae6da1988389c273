"""The conventions every function of the contract obeys, checked the same way everywhere.

/work/shared/exercise-api.md ("Conventions (all modules)") constrains every
function: it accepts any array-like that ``np.asarray`` takes (lists), never
modifies its array arguments (with or without an ``rng``), emits no
RuntimeWarning on finite input over a wide range, returns float64 arrays
unless said otherwise, and gives the reference's values on inputs of any
size. A :class:`Spec` says how to make random inputs for one function;
:func:`check_function` runs every clause of the spec on fresh seeded inputs,
comparing with the reference (deterministic functions) or with the
properties the check gives (random ones), and fails with bilingual feedback
that names the clause broken.

Each exercise's hidden checks declare ``test_contract_<function>`` for every
function it grades (tests/unit/checks/test_contract_coverage.py enforces it,
and docs/contract-coverage.md maps every clause to those check ids).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from grader.checks.errors import CheckFailed, StudentProblem
from grader.checks.expect import (Lazy, _safe, diagnose, expect_array, expect_unchanged, fail,
                                  naming)
from grader.checks.feedback import show
from grader.checks.symptoms import nested_symptom

# Clauses of the conventions; the first three apply to every function.
EVERY_FUNCTION = ("lists", "in_place", "warnings")
CLAUSES = {
    "values": "values on random inputs of random shapes equal the reference's",
    "lists": "accepts any array-like that np.asarray takes (lists)",
    "in_place": "does not modify its array arguments (with and without an rng)",
    "warnings": "no RuntimeWarning (overflow, invalid) on finite input over a wide range",
    "dtype": "shapes and dtypes of the result (float64 unless said otherwise)",
    "value_error": "raises ValueError where the contract says so",
    "random": "randomness only through the rng argument (reproducible with one seed); "
              "properties of the draws",
}


@dataclass(frozen=True)
class Spec:
    """How to exercise one function of the contract.

    - make(rng, wide) -> tuple of positional arguments: random inputs of random
      shapes; ``wide`` asks for finite values over a wide range (z = +-1000, ...).
    - arrays: positions of array-like arguments (turned into lists; watched in place).
    - rng_arg: position of the ``rng`` argument of a random function (its values
      are then judged by ``props``, not compared with the reference).
    - value_errors: ``make(rng) -> (args, what)`` for inputs that must raise ValueError.
    - elementwise: the function maps each entry alone (a scalar-only version shows).
    - factors(args) -> {name: value}: constants a wrong result may be off by.
    - replace: ``{module: [func]}`` the reference provides during the call (a helper of
      the same exercise graded by its own checks, e.g. sgd.minibatches for sgd.train).
    """

    module: str
    func: str
    make: Callable
    arrays: tuple = ()
    rng_arg: int | None = None
    value_errors: tuple = ()
    elementwise: bool = False
    factors: Callable | None = None
    clauses: tuple = ("values", "lists", "in_place", "warnings", "dtype")
    kwargs: dict = field(default_factory=dict)
    replace: dict | None = None     # functions the reference provides (see Worker.call)

    @property
    def name(self) -> str:
        return f"{self.module}.{self.func}"


def _listify(value):
    """An array argument as nested lists (a shape tuple as a list). Structures the
    contract defines as lists of arrays (``params``, ``grads``, ``cache``) are left
    as they are: the arrays inside them are arrays by definition."""
    if isinstance(value, tuple) and value and all(isinstance(v, (int, np.integer))
                                                  for v in value):
        return [int(v) for v in value]        # a shape
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def _elements(value, depth: int = 0) -> int:
    """How many numbers a nested list/tuple/dict of arrays holds (a lower bound past
    depth 8)."""
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, dict) and depth < 8:
        value = list(value.values())
    if isinstance(value, (list, tuple)) and depth < 8:
        return sum(_elements(v, depth + 1) for v in value)
    return 1


def _call_text(spec: Spec, args, mode: str) -> str:
    parts = []
    for a in args:
        if isinstance(a, np.ndarray):
            parts.append(f"array{a.shape}")
        elif isinstance(a, np.random.Generator):
            parts.append("rng")
        elif isinstance(a, (list, tuple)) and (_elements(a) > 16 or len(show(a)) > 40):
            # (more than 16 numbers never print in 40 characters: no repr needed to know)
            parts.append(f"{type(a).__name__}[{len(a)}]")
        else:
            parts.append(show(a, 40))
    tag = {"lists": "  [lists]", "wide": "  [wide range]",
           "ints": "  [integer input]"}.get(mode, "")
    return f"{spec.func}({', '.join(parts)}){tag}"


def _reference(reference, spec, args, made_at=None):
    """The reference's value and whether it warned (then the warnings clause is moot).

    ``made_at``: ``(mode, state)``, the check generator's state from which ``args`` were
    made (nothing of the student's in them): the answer is remembered per process."""
    if made_at is not None:
        return _remembered(("reference", *made_at), reference, spec,
                           lambda: _reference(reference, spec, args))
    fn = getattr(getattr(reference, spec.module), spec.func)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = fn(*copy.deepcopy(args), **spec.kwargs)
    return value, any(issubclass(w.category, RuntimeWarning) for w in caught)


def _leaves(value):
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def expect_like(got, expected, *, call: str, mistakes=None, context=None):
    """``got`` has ``expected``'s structure (tuples/lists, None), shapes, dtypes and values."""
    context = context or {}
    if expected is None:
        if got is not None:
            fail("feedback.contract_expected_none", call=call, got=show(got))
        return
    if isinstance(expected, (list, tuple)) and not isinstance(expected, np.ndarray) and any(
            isinstance(e, (list, tuple, np.ndarray)) or e is None for e in expected):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            fail("feedback.contract_structure", call=call, expected=len(expected),
                 got=show(got), symptom=_safe(nested_symptom, got, expected))
        try:
            with naming(None, lambda: _safe(nested_symptom, got, expected, **context)):
                for i, (g, e) in enumerate(zip(got, expected)):
                    sub = Lazy(lambda i=i: {
                        k: v[i] for k, v in (mistakes.items() if mistakes is not None else ())
                        if isinstance(v, (list, tuple)) and len(v) == len(expected)})
                    expect_like(g, e, call=f"{call} -> [{i}]", mistakes=sub, context=context)
        except CheckFailed as exc:
            # The mistake that the whole value matches is named before one that only the
            # failing part matches: (dW, N·db) is "db summed", though N·db alone is also
            # what summing both gives.
            whole = diagnose(got, mistakes)
            if whole:
                exc.feedback.mistake, exc.feedback.symptom = whole, None
            raise
        return
    e = np.asarray(expected)
    kind = "i" if isinstance(expected, (np.ndarray, np.integer)) and e.dtype.kind in "iu" else "f"
    arr = expect_array(got, e, call=call, mistakes=mistakes, kind=kind, **context)
    if kind == "f" and e.dtype == np.float64 and isinstance(got, np.ndarray) and (
            arr.dtype != np.float64):
        fail("feedback.contract_dtype", call=call, expected="float64", got=str(arr.dtype),
             symptom={"id": "wrong_dtype", "params": {"got": str(arr.dtype),
                                                       "expected": "float64"}})


def _watch(spec, args):
    return {i: copy.deepcopy(args[i]) for i in spec.arrays if i < len(args)}


def _expect_untouched(spec, before, after, call):
    for i, value in before.items():
        if after is None or i >= len(after):
            continue
        expect_unchanged(value, after[i], call=call, argument=f"#{i + 1}")


def _no_warning(outcome, call):
    for w in outcome.info.get("warnings") or []:
        if w.get("category") == "RuntimeWarning":
            fail("feedback.contract_warning", call=call, message=w.get("message", ""),
                 symptom={"id": "runtime_warning",
                          "params": {"message": f"RuntimeWarning: {w.get('message', '')}"}})


def _scalars_only(student, reference, spec, args, call, problem):
    """An elementwise function that fails on an array but is right on each entry alone."""
    z = args[0]
    if not isinstance(z, np.ndarray) or z.ndim == 0 or z.size > 64:
        return
    try:
        values = [student.invoke(spec.module, spec.func, float(v)) for v in z.flat]
        expected, _ = _reference(reference, spec, args)
    except StudentProblem:
        return
    try:
        ok = np.allclose(np.reshape(np.asarray(values, dtype=float), z.shape),
                         np.asarray(expected, dtype=float))
    except (TypeError, ValueError):
        return
    if ok:
        o = problem.outcome
        fail("feedback.contract_scalars_only", call=call, type=o.info.get("type", "Exception"),
             message=o.info.get("message", "")[:200],
             symptom={"id": "scalars_only", "params": {}})


def run_case(student, reference, spec: Spec, args, *, mode: str, props=None, mistakes=None,
             rng_seed: int = 0, made_at=None):
    """One call of the student's function under the clauses of ``spec``; returns its value.

    ``made_at``: the check generator's state ``args`` and ``rng_seed`` were drawn from (the
    reference's answers to them are then remembered, see :func:`_reference`)."""
    made_at = (mode, rng_seed, made_at) if made_at is not None else None
    args = list(args)
    if spec.rng_arg is not None:
        args[spec.rng_arg] = np.random.default_rng(rng_seed)
    call = _call_text(spec, args, mode)
    sent = [_listify(a) if (mode == "lists" and i in spec.arrays) else a
            for i, a in enumerate(args)]
    before = _watch(spec, args) if mode != "lists" else {}
    try:
        extra = {"replace": spec.replace} if spec.replace else {}
        outcome = student.call(spec.module, spec.func, *sent, return_args=True, **extra,
                               **spec.kwargs)
    except StudentProblem as problem:
        if mode != "lists" and problem.outcome.status == "error" and spec.elementwise:
            _scalars_only(student, reference, spec, args, call, problem)
        if mode == "lists" and problem.outcome.status == "error":
            fail("feedback.contract_lists", call=call,
                 type=problem.outcome.info.get("type", "Exception"),
                 message=problem.outcome.info.get("message", "")[:200],
                 symptom={"id": "lists_rejected", "params": {}})
        raise
    got = outcome.value
    if "in_place" in spec.clauses:
        _expect_untouched(spec, before, outcome.args_after, call)
    expected = warned = None
    if spec.rng_arg is None:
        expected, warned = _reference(reference, spec, args, made_at)
    if "warnings" in spec.clauses and not warned:
        _no_warning(outcome, call)
    if spec.rng_arg is not None:
        if props is not None:
            props(got, args, call)
        if "dtype" in spec.clauses:             # float64, like the reference's with that seed
            _expect_float64_where_reference(got, _reference(reference, spec, args, made_at)[0],
                                            call)
        return got
    context = {"inputs": {f"#{i + 1}": args[i] for i in spec.arrays if i < len(args)
                          and isinstance(args[i], np.ndarray)}}
    if spec.factors is not None:
        context["factors"] = spec.factors(args)
    if spec.elementwise and isinstance(args[0], np.ndarray) and 0 < args[0].size <= 64:
        try:
            got_arr = np.asarray(got, dtype=float)
            exp_arr = np.asarray(expected, dtype=float)
            if got_arr.shape == exp_arr.shape and not np.allclose(got_arr, exp_arr):
                scalars = [student.invoke(spec.module, spec.func, float(v), *args[1:])
                           for v in args[0].flat]
                context["scalar_values"] = np.reshape(np.asarray(scalars, dtype=float),
                                                      args[0].shape)
        except (StudentProblem, TypeError, ValueError):
            pass
    expect_like(got, expected, call=call, mistakes=mistakes, context=context)
    return got


def _expect_float64_where_reference(got, expected, call, depth: int = 0):
    """Every float64 array of ``expected`` is float64 in ``got`` too (same structure)."""
    if depth > 8:
        return
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        for g, e in zip(got, expected):
            _expect_float64_where_reference(g, e, call, depth + 1)
    elif (isinstance(expected, np.ndarray) and expected.dtype == np.float64
          and isinstance(got, np.ndarray) and got.dtype != np.float64):
        fail("feedback.contract_dtype", call=call, expected="float64", got=str(got.dtype),
             symptom={"id": "wrong_dtype", "params": {"got": str(got.dtype),
                                                       "expected": "float64"}})


def expect_value_errors(student, spec: Spec, rng):
    """Each input the contract rejects raises ValueError."""
    for make in spec.value_errors:
        args, what = make(rng)
        args = list(args)
        if spec.rng_arg is not None and spec.rng_arg < len(args):
            args[spec.rng_arg] = np.random.default_rng(0)
        call = _call_text(spec, args, "values")
        try:
            student.call(spec.module, spec.func, *args, **spec.kwargs)
        except StudentProblem as problem:
            o = problem.outcome
            if o.status == "error" and o.info.get("type") == "ValueError":
                continue
            if o.status == "error":
                fail("feedback.contract_wrong_error", call=call, what=what,
                     type=o.info.get("type", "Exception"), message=o.info.get("message", ""),
                     symptom={"id": "wrong_exception", "params": {
                         "type": o.info.get("type", "Exception")}})
            raise
        fail("feedback.contract_no_value_error", call=call, what=what,
             symptom={"id": "no_value_error", "params": {}})


def _reference_takes_lists(reference, spec, rng) -> bool:
    """Lists are asked of a function only where the reference takes them."""
    return _per_state("lists", reference, spec, rng,
                      lambda: _reference_takes_lists_now(reference, spec, rng))


def _reference_takes_lists_now(reference, spec, rng) -> bool:
    args = list(spec.make(np.random.default_rng(int(rng.integers(2**31))), False))
    if spec.rng_arg is not None:
        args[spec.rng_arg] = np.random.default_rng(0)
    sent = [_listify(a) if i in spec.arrays else a for i, a in enumerate(args)]
    try:
        getattr(getattr(reference, spec.module), spec.func)(*sent, **spec.kwargs)
    except Exception:  # noqa: BLE001 - the reference needs arrays here
        return False
    return True


def check_function(student, reference, rng, spec: Spec, *, props=None, mistakes=None,
                   cases: int = 2):
    """Every clause of ``spec`` on fresh seeded inputs (see the module docstring).

    - props(got, args, call): the properties a random function's result must have.
    - mistakes(args) -> {name: value}: named wrong variants on these inputs.
    """
    modes = ["values"] * cases
    if "lists" in spec.clauses and _reference_takes_lists(reference, spec, rng):
        modes.append("lists")
    if "warnings" in spec.clauses:
        modes.append("wide")
    if spec.elementwise and "dtype" in spec.clauses:
        modes.append("ints")                 # integer input, float64 output
    for mode in modes:
        state = repr(rng.bit_generator.state)
        args = spec.make(rng, mode == "wide")
        if mode == "ints":
            args = (np.rint(np.asarray(args[0], dtype=float) * 3).astype(np.int64),
                    *args[1:])
        named = (Lazy(lambda args=args: mistakes(args))
                 if mistakes is not None and spec.rng_arg is None else None)
        run_case(student, reference, spec, args, mode=mode, props=props, mistakes=named,
                 rng_seed=int(rng.integers(2**31)), made_at=state)
    if "value_error" in spec.clauses:
        expect_value_errors(student, spec, rng)
    if spec.rng_arg is not None:
        expect_reproducible(student, spec, rng, reference)


# What the checks work out from the reference alone, before the student's calls: the check's
# generator depends on the grading seed and the check's name only, so every student of a
# batch asks the same question (_telling_args: 16 reference runs of a training, ~25 ms per
# student for perceptron.train). Remembered per process, keyed by the generator's state.
_BY_STATE: dict = {}
_BY_STATE_ENTRIES = 512


def _per_state(what: str, reference, spec: Spec, rng, compute):
    """``compute()`` (which draws from ``rng``), or what it gave from this very state of
    ``rng`` before (a copy), with ``rng`` left where ``compute()`` leaves it."""
    def computed():
        value = compute()
        return value, rng.bit_generator.state

    value, state = _remembered((what, repr(rng.bit_generator.state)), reference, spec, computed)
    rng.bit_generator.state = state
    return value


def _remembered(what: tuple, reference, spec: Spec, compute):
    """``compute()``, or a copy of what it gave for the same ``what`` (which must say all
    that the answer depends on, with the reference and the spec) earlier in this process."""
    key = (*what, id(reference), spec.module, spec.func, spec.rng_arg, id(spec.make))
    if key in _BY_STATE:
        return copy.deepcopy(_BY_STATE[key])
    value = compute()
    if len(_BY_STATE) < _BY_STATE_ENTRIES:
        _BY_STATE[key] = copy.deepcopy(value)
    return value


def _telling_args(reference, spec: Spec, rng, tries: int = 8):
    """Inputs on which the draws show: the reference's results for two seeds differ.

    Of a few fresh draws, the one whose reference result is largest, so that a function
    drawing from numpy's global state cannot agree with itself by chance (a permutation
    of one or two rows is the same most of the time)."""
    func = getattr(getattr(reference, spec.module), spec.func)
    return _per_state(f"telling{tries}", reference, spec, rng,
                      lambda: _search_telling_args(func, spec, rng, tries))


def _search_telling_args(func, spec: Spec, rng, tries: int):
    best, best_size = None, -1
    for _ in range(tries):
        args = list(spec.make(rng, False))
        results = []
        for seed in (1, 2):
            args[spec.rng_arg] = np.random.default_rng(seed)
            try:
                results.append(func(*args, **spec.kwargs))
            except Exception:  # noqa: BLE001 - inputs the reference refuses tell nothing
                break
        if len(results) < 2 or _same_exactly(results[0], results[1]):
            continue
        size = _elements(results[0])
        if size > best_size:
            best, best_size = args, size
    return best


def _same_exactly(a, b) -> bool:
    from grader.checks.expect import same

    try:
        return bool(same(a, b, rtol=0.0, atol=0.0))
    except Exception:  # noqa: BLE001
        return False


def expect_reproducible(student, spec: Spec, rng, reference=None):
    """Randomness only through the rng: two calls with generators of one seed agree."""
    from grader.checks.expect import same

    args = _telling_args(reference, spec, rng) if reference is not None else None
    args = list(args if args is not None else spec.make(rng, False))
    seed = int(rng.integers(2**31))
    runs = []
    for _ in range(2):
        args[spec.rng_arg] = np.random.default_rng(seed)
        runs.append(student.call(spec.module, spec.func, *args, **spec.kwargs).value)
    if not same(runs[0], runs[1], rtol=0.0, atol=0.0):
        fail("feedback.contract_not_reproducible", call=_call_text(spec, args, "values"),
             symptom={"id": "global_random", "params": {}})


__all__ = ["CLAUSES", "EVERY_FUNCTION", "Spec", "check_function", "expect_like", "run_case",
           "expect_value_errors", "CheckFailed"]
