"""Named wrong implementations: the mistakes students make, written down.

Each exercise has a module ``grader.mutants.<exercise>`` defining
``MUTANTS = {mistake_name: make}`` where ``make(ref)`` returns the wrong
function given the reference namespace (``ref.activations.sigmoid`` etc.), and
the function it replaces. They serve three purposes:
- golden values of wrong variants, so public checks can NAME the mistake;
- hidden checks compute the wrong variants on their seeded inputs;
- tests prove that every named mistake is caught and named.
The catalog text of a mistake is ``mistake.<name>`` in grader/i18n.
Instructor side only: the student bundle does not ship this package.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

from grader.exercises import ORDER


@dataclass(frozen=True)
class Mutant:
    """A mistake: which function it replaces and how to build the wrong version."""

    name: str
    exercise: str
    func: str
    make: Callable  # make(ref) -> callable with the function's signature


def mutants(exercise: str | None = None) -> dict[str, Mutant]:
    """All mutants (or one exercise's), by mistake name."""
    out = {}
    for ex in ORDER if exercise is None else (exercise,):
        try:
            module = importlib.import_module(f"grader.mutants.{ex}")
        except ModuleNotFoundError:
            continue
        out.update(module.MUTANTS)
    return out


def variants(ref, exercise: str, func: str, *args, **kwargs) -> dict:
    """``{mistake: value}`` of every mutant of ``exercise.func`` on these inputs."""
    values = {}
    for name, m in mutants(exercise).items():
        if m.func != func:
            continue
        try:
            values[name] = m.make(ref)(*args, **kwargs)
        except Exception:  # noqa: BLE001 - a mutant that cannot run on this input names nothing
            values[name] = None
    return values
