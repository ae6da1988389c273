"""Assignments: named sets of exercises whose points total 100.

An assignment is a TOML file. The course's own live in this folder as
``<name>.toml`` (``1.toml``, ``2.toml``, ...: adding one is adding a file); an
instructor can define one of their own anywhere and name its path instead::

    title.es = "Tarea 1: ..."
    title.en = "Assignment 1: ..."
    exercises = ["activations", "perceptron", "backprop", "dropout", "sgd"]
    # Optional: the worth of an exercise. Without it an exercise is worth the points
    # of its rubric lines (tests/checks/<exercise>/exercise.toml); with it, its lines
    # are scaled to that worth. Either way the points must total 100.
    [points]
    sgd = 20

``get(name_or_path)`` finds one (``lookup`` is the same for a name a person typed: it
raises a GraderError with a bilingual message), ``assignments()`` lists the course's,
``containing(exercises)`` the first that holds given exercises; the points of
each check in an assignment come from ``grader.rubric.load_rubric(assignment)``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from grader import config

ASSIGNMENTS_DIR = Path(__file__).resolve().parent
TOTAL_POINTS = 100.0
DEFAULT_ASSIGNMENT = "1"


class AssignmentError(ValueError):
    """An assignment file is malformed or names unknown exercises, or its points miss 100."""


@dataclass(frozen=True)
class Assignment:
    """A named set of exercises; ``points[exercise]`` is each one's worth (they total 100)."""

    name: str
    title: dict = field(compare=False)
    exercises: tuple[str, ...] = ()
    points: dict = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def total(self) -> float:
        return round(sum(self.points.values()), 6)

    def scale(self, exercise: str) -> float:
        """The factor from a check's own points (in its unit) to its points here."""
        from grader.rubric import unit_points

        native = unit_points(exercise)
        return self.points[exercise] / native if native else 0.0


def _native_points(exercise: str) -> float:
    from grader.rubric import unit_points

    return unit_points(exercise)


def load_assignment(path: Path | str, name: str | None = None) -> Assignment:
    """Read and validate one assignment file (``name`` defaults to the file's stem)."""
    from grader.exercises import EXERCISES

    path = Path(path)
    where = str(path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise AssignmentError(f"{where}: {exc}") from None
    title = raw.get("title", {})
    if not isinstance(title, dict) or set(title) != set(config.LANGUAGES):
        raise AssignmentError(f"{where}: title needs exactly {config.LANGUAGES}")
    exercises = raw.get("exercises")
    if (not isinstance(exercises, list) or not exercises
            or not all(isinstance(e, str) for e in exercises)):
        raise AssignmentError(f"{where}: exercises must be a non-empty list of names")
    if len(set(exercises)) != len(exercises):
        raise AssignmentError(f"{where}: an exercise is listed twice")
    unknown = [e for e in exercises if e not in EXERCISES]
    if unknown:
        raise AssignmentError(f"{where}: unknown exercises {unknown} "
                              f"(known: {', '.join(EXERCISES)})")
    given = raw.get("points", {})
    if not isinstance(given, dict) or set(given) - set(exercises):
        raise AssignmentError(f"{where}: [points] may only name the assignment's exercises")
    points = {}
    for ex in exercises:
        worth = given.get(ex, _native_points(ex))
        if not isinstance(worth, (int, float)) or isinstance(worth, bool) or worth <= 0:
            raise AssignmentError(f"{where}: the worth of {ex} must be a positive number")
        if _native_points(ex) <= 0:
            raise AssignmentError(f"{where}: {ex} has no rubric lines")
        points[ex] = float(worth)
    got = round(sum(points.values()), 6)
    if got != TOTAL_POINTS:
        raise AssignmentError(f"{where}: the points add up to {got:g}, not {TOTAL_POINTS:g}")
    return Assignment(name=name or path.stem, title=dict(title), exercises=tuple(exercises),
                      points=points, path=path)


def _files(directory: Path = ASSIGNMENTS_DIR) -> dict[str, Path]:
    paths = sorted(directory.glob("*.toml"), key=lambda p: (len(p.stem), p.stem))
    return {p.stem: p for p in paths}


@lru_cache(maxsize=1)
def assignments() -> dict[str, Assignment]:
    """The course's assignments (grader/assignments/*.toml), by name ("1", "2", ...)."""
    return {name: load_assignment(path, name) for name, path in _files().items()}


def names() -> tuple[str, ...]:
    return tuple(_files())


def get(name: str | Path | Assignment | None = None) -> Assignment:
    """An assignment: the course's by name ("1"), or an instructor's TOML file by path.

    None gives the default assignment ("1"). Raises KeyError for an unknown name and
    AssignmentError for a malformed file.
    """
    if isinstance(name, Assignment):
        return name
    if name is None:
        name = DEFAULT_ASSIGNMENT
    text = str(name)
    if text in _files():
        return assignments()[text]
    path = Path(text)
    if path.suffix == ".toml" and path.is_file():
        return load_assignment(path)
    raise KeyError(text)


def lookup(name: str | Path | None) -> Assignment:
    """``get`` for a name or path a person gave (``--assignment``): errors in words."""
    from grader.errors import GraderError

    try:
        return get(name)
    except KeyError:
        raise GraderError("error.unknown_assignment", name=str(name),
                          known=", ".join(names())) from None
    except (AssignmentError, OSError) as exc:
        raise GraderError("error.bad_assignment", name=str(name), reason=str(exc)) from None


def containing(exercises) -> Assignment | None:
    """The first of the course's assignments that holds every one of ``exercises``."""
    wanted = set(exercises)
    for assignment in assignments().values():
        if wanted <= set(assignment.exercises):
            return assignment
    return None


def of_exercise(exercise: str) -> tuple[str, ...]:
    """The names of the course's assignments that hold ``exercise``."""
    return tuple(n for n, a in assignments().items() if exercise in a.exercises)
