"""The rubric: how many points every check is worth. Scores come from here only.

The rubric lines live in the exercise units: every ``[[check]]`` of
``tests/checks/<exercise>/exercise.toml``::

    [[check]]
    id = "public::test_sigmoid_matches_course_values"   # <suite>::<test function>
    points = 2
    es = "sigmoid coincide con los valores de referencia"
    en = "sigmoid matches the reference values"
    functions = ["sigmoid"]     # optional: the contract functions it covers (else inferred)

A check's full id is ``<exercise>/<suite>.py::<test function>`` (suite: public,
hidden or keras). An assignment (grader.assignments) picks exercises and may
scale each exercise's lines to a worth; ``load_rubric(assignment)`` gives the
points of its checks, which total 100.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache

from grader import config
from grader.exercises import EXERCISES, SUITES, Exercise, unit_dir

_ID = re.compile(r"^(?P<exercise>[a-z][a-z0-9_]*)/(?P<suite>public|hidden|keras)\.py"
                 r"::(?P<name>test_\w+)$")
_LOCAL_ID = re.compile(r"^(?P<suite>public|hidden|keras)(?:\.py)?::(?P<name>test_\w+)$")


class RubricError(ValueError):
    """The rubric is inconsistent (bad id, unknown exercise, wrong total)."""


@dataclass(frozen=True)
class RubricItem:
    """One check and its points. ``suite`` is public, hidden or keras (compared with Keras)."""

    id: str
    suite: str
    exercise: str
    name: str
    points: float
    title: dict
    functions: tuple = field(default=(), compare=False)   # as declared (empty: inferred)

    @property
    def hidden(self) -> bool:
        return self.suite == "hidden"


@dataclass(frozen=True)
class Rubric:
    items: dict
    total: float
    assignment: str | None = None

    def for_exercises(self, exercises, suites) -> list[RubricItem]:
        return [i for i in self.items.values() if i.exercise in exercises and i.suite in suites]

    def exercise_points(self, exercise: str) -> float:
        return sum(i.points for i in self.items.values() if i.exercise == exercise)

    @property
    def exercises(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.exercise for i in self.items.values()))


def check_id(exercise: str, suite: str, name: str) -> str:
    return f"{exercise}/{suite}.py::{name}"


def parse_id(check_id: str):
    """``(suite, exercise, name)`` of a check id, or None when it is not one."""
    m = _ID.match(check_id)
    return (m["suite"], m["exercise"], m["name"]) if m else None


@lru_cache(maxsize=None)
def unit_items(exercise: str) -> tuple[RubricItem, ...]:
    """The rubric lines of one exercise unit, with the unit's own points (validated)."""
    ex = EXERCISES[exercise]
    items, seen = [], set()
    for entry in ex.checks:
        m = _LOCAL_ID.match(str(entry.get("id", "")))
        if m is None:
            raise RubricError(f"{exercise}: bad check id {entry.get('id')!r} "
                              "(expected '<public|hidden|keras>::test_...')")
        full = check_id(exercise, m["suite"], m["name"])
        if full in seen:
            raise RubricError(f"check listed twice in the rubric: {full}")
        seen.add(full)
        points = entry.get("points")
        if not isinstance(points, (int, float)) or isinstance(points, bool) or points <= 0:
            raise RubricError(f"points must be a positive number: {full}")
        title = {lang: entry[lang] for lang in config.LANGUAGES if isinstance(entry.get(lang), str)}
        if set(title) != set(config.LANGUAGES):
            raise RubricError(f"check {full} needs a title in {config.LANGUAGES}")
        functions = entry.get("functions", [])
        if not isinstance(functions, list) or set(functions) - set(ex.functions + ex.given):
            raise RubricError(f"check {full}: functions must name functions of {exercise}")
        items.append(RubricItem(full, m["suite"], exercise, m["name"], float(points), title,
                                tuple(functions)))
    return tuple(items)


def unit_points(exercise: str) -> float:
    """An exercise's worth by its own rubric lines."""
    return round(sum(i.points for i in unit_items(exercise)), 6)


def all_items() -> dict[str, RubricItem]:
    """Every rubric line of every unit, with the units' own points."""
    return {i.id: i for ex in EXERCISES for i in unit_items(ex)}


def load_rubric(assignment=None) -> Rubric:
    """The rubric of an assignment (a name, a TOML path or an Assignment; default "1").

    Each exercise's lines are scaled to its worth in the assignment; the total is 100.
    """
    from grader.assignments import get

    chosen = get(assignment)
    return _rubric(chosen.name, chosen.exercises,
                   tuple(float(chosen.points[ex]) for ex in chosen.exercises))


@lru_cache(maxsize=16)
def _rubric(name: str, exercises: tuple, worth: tuple) -> Rubric:
    """The rubric of the assignment ``name`` whose ``exercises`` are worth ``worth``
    (cached by all three: an instructor's file edited between two calls is read anew)."""
    items = {}
    for ex, points_here in zip(exercises, worth):
        native = unit_points(ex)
        factor = points_here / native if native else 0.0
        for item in unit_items(ex):
            points = item.points if factor == 1 else round(item.points * factor, 6)
            items[item.id] = RubricItem(item.id, item.suite, ex, item.name, points, item.title,
                                        item.functions)
    total = round(sum(i.points for i in items.values()), 6)
    expected = round(sum(worth), 6)
    if abs(total - expected) > 1e-6:
        raise RubricError(f"assignment {name}: points add up to {total}, not {expected}")
    return Rubric(items, expected, name)


def rubric_for(exercises) -> Rubric:
    """The rubric that scores ``exercises``: the first assignment holding all of them,
    else the units' own points (total: what those exercises are worth)."""
    from grader.assignments import containing

    found = containing(exercises)
    if found is not None:
        return load_rubric(found.name)
    items = {i.id: i for ex in exercises for i in unit_items(ex)}
    return Rubric(items, round(sum(i.points for i in items.values()), 6), None)


__all__ = ["Rubric", "RubricError", "RubricItem", "SUITES", "all_items", "check_id",
           "load_rubric", "parse_id", "rubric_for", "unit_items", "unit_points"]


# -- which contract functions a check covers ------------------------------------------------------
def _names_in(node) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            names.add(sub.attr)
        elif isinstance(sub, ast.Name):
            names.add(sub.id)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            names.add(sub.value)
    return names


def check_functions(exercise: Exercise, suite: str) -> dict[str, set[str]]:
    """``{test function: contract functions it names}`` of one suite file (inferred): a
    name, attribute or string in its body, its decorators, or in the module-level helpers
    and constants it uses (followed transitively). Generous: ``reference.x.f`` counts."""
    path = unit_dir(exercise.name) / f"{suite}.py"
    if not path.is_file():
        return {}
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            top[node.name] = node
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        top[name.id] = node
    contract = set(exercise.contract)
    out = {}
    for name, node in top.items():
        if not (isinstance(node, ast.FunctionDef) and name.startswith("test_")):
            continue
        seen, todo, found = set(), [node], set()
        while todo:
            current = todo.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            names = _names_in(current)
            found |= names & contract
            todo += [top[n] for n in names if n in top and not n.startswith("test_")]
        out[name] = found
    return out


def covered(exercise: Exercise) -> dict[str, set[str]]:
    """``{check id: contract functions}`` of every rubric line of the exercise: those the
    line declares (``functions = [...]``), else those its test function names."""
    inferred = {s: check_functions(exercise, s) for s in SUITES}
    return {i.id: set(i.functions) or inferred[i.suite].get(i.name, set())
            for i in unit_items(exercise.name)}


@lru_cache(maxsize=None)
def covered_functions(exercise: str) -> dict[str, frozenset]:
    """:func:`covered` of a registered exercise, read once per process; a line that names
    no function covers them all (what fails there may be any of them)."""
    ex = EXERCISES[exercise]
    every = frozenset(ex.contract)
    return {cid: frozenset(found) or every for cid, found in covered(ex).items()}
