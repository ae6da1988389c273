"""Named wrong implementations: the mistakes students make, written down.

Each exercise unit has a file ``tests/checks/<exercise>/mistakes.py`` defining
``MUTANTS = {mistake_name: Mutant(...)}`` where ``make(ref)`` returns the wrong
function given the reference namespace (``ref.activations.sigmoid`` etc.), and
the function it replaces; ``mistake_sources.py`` next to it holds the same
mistakes as a student would write them (``WRONG``) and correct variants
written differently (``RIGHT``). ``mistakes_of(exercise)`` and
``sources_of(exercise)`` import them. They serve three purposes:
- golden values of wrong variants, so public checks can NAME the mistake;
- hidden checks compute the wrong variants on their seeded inputs;
- tests prove that every named mistake is caught and named.
The catalog text of a mistake is ``mistake.<name>`` in the unit's texts.toml.
Instructor side only: the student bundle ships neither this package nor mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Callable

import numpy as np

from grader.checks.expect import Lazy
from grader.exercises import MISTAKE_SOURCES, MISTAKES, ORDER, load_unit_module


@dataclass(frozen=True)
class Mutant:
    """A mistake: which function it replaces and how to build the wrong version."""

    name: str
    exercise: str
    func: str
    make: Callable  # make(ref) -> callable with the function's signature


def mistakes_of(exercise: str):
    """The module ``tests/checks/<exercise>/mistakes.py`` (ModuleNotFoundError: none)."""
    return load_unit_module(exercise, MISTAKES)


def sources_of(exercise: str):
    """The module ``tests/checks/<exercise>/mistake_sources.py`` (WRONG, RIGHT)."""
    return load_unit_module(exercise, MISTAKE_SOURCES)


def mutants(exercise: str | None = None) -> dict[str, Mutant]:
    """All mutants (or one exercise's), by mistake name."""
    out = {}
    for ex in ORDER if exercise is None else (exercise,):
        try:
            module = mistakes_of(ex)
        except ModuleNotFoundError:
            continue
        out.update(module.MUTANTS)
    return out


def _draws(values) -> bool:
    return any(isinstance(v, (np.random.Generator, np.random.RandomState)) for v in values)


def variants(ref, exercise: str, func: str, *args, **kwargs) -> Mapping:
    """``{mistake: value}`` of every mutant of ``exercise.func`` on these inputs.

    Computed when first read (``Lazy``), unless a generator is among the inputs:
    the mutants draw from it, and what the check draws next must not depend on
    whether the student's answer was right.
    """
    def compute() -> dict:
        values = {}
        for name, m in mutants(exercise).items():
            if m.func != func:
                continue
            try:
                values[name] = m.make(ref)(*args, **kwargs)
            except Exception:  # noqa: BLE001 - a mutant that cannot run on this input names nothing
                values[name] = None
        return values

    if _draws(list(args) + list(kwargs.values())):
        return compute()
    return Lazy(compute)
