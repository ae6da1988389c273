"""The rubric: how many points every check is worth. Scores come from here only."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from grader import config
from grader.exercises import EXERCISES

_ID = re.compile(r"^(?P<suite>public|hidden|baseline)/test_(?P<exercise>[a-z_]+)\.py::(?P<name>test_\w+)$")


class RubricError(ValueError):
    """The rubric file is inconsistent (bad id, unknown exercise, wrong total)."""


@dataclass(frozen=True)
class RubricItem:
    """One check and its points. ``suite`` is public, hidden or baseline (compared with Keras)."""

    id: str
    suite: str
    exercise: str
    name: str
    points: float
    title: dict

    @property
    def hidden(self) -> bool:
        return self.suite == "hidden"


@dataclass(frozen=True)
class Rubric:
    items: dict
    total: float

    def for_exercises(self, exercises, suites) -> list[RubricItem]:
        return [i for i in self.items.values() if i.exercise in exercises and i.suite in suites]

    def exercise_points(self, exercise: str) -> float:
        return sum(i.points for i in self.items.values() if i.exercise == exercise)


def parse_id(check_id: str):
    """``(suite, exercise, name)`` of a check id, or None when it is not one."""
    m = _ID.match(check_id)
    return (m["suite"], m["exercise"], m["name"]) if m else None


@lru_cache(maxsize=4)
def load_rubric(path: Path = config.RUBRIC_FILE) -> Rubric:
    """Read and validate the rubric file."""
    with Path(path).open("rb") as fh:
        raw = tomllib.load(fh)
    items = {}
    for entry in raw.get("check", []):
        parsed = parse_id(entry.get("id", ""))
        if parsed is None:
            raise RubricError(f"bad check id in rubric: {entry.get('id')!r}")
        suite, exercise, name = parsed
        if exercise not in EXERCISES:
            raise RubricError(f"unknown exercise in rubric: {exercise}")
        if entry["id"] in items:
            raise RubricError(f"check listed twice in rubric: {entry['id']}")
        points = float(entry["points"])
        if points <= 0:
            raise RubricError(f"points must be positive: {entry['id']}")
        title = {lang: entry[lang] for lang in config.LANGUAGES if lang in entry}
        if set(title) != set(config.LANGUAGES):
            raise RubricError(f"check {entry['id']} needs a title in {config.LANGUAGES}")
        items[entry["id"]] = RubricItem(entry["id"], suite, exercise, name, points, title)
    total = float(raw.get("total", 100))
    got = round(sum(i.points for i in items.values()), 6)
    if got != total:
        raise RubricError(f"rubric points add up to {got}, not {total}")
    return Rubric(items, total)
