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

Which assignment a command works on (``--assignment``; see ``choose``): the one
named, else the one the student's files belong to (``infer``): the course
assignment with the most of its exercise modules present; on a tie the one whose
exercises and the modules they import account for more of the files, then the first
in course order (and the choice says so); with none present the default,
assignment 1 (the first assignment when there is no ``1.toml``, as in a bundle
released for another one). Exercise names given with it select within it.
``grader grade`` takes, per class, the assignment most hand-ins belong to (the
one each manifest records, else inferred from its files): ``most_common``.
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


def _files(directory: Path | None = None) -> dict[str, Path]:
    directory = Path(directory or ASSIGNMENTS_DIR)
    paths = sorted(directory.glob("*.toml"), key=lambda p: (len(p.stem), p.stem))
    return {p.stem: p for p in paths}


@lru_cache(maxsize=1)
def assignments() -> dict[str, Assignment]:
    """The course's assignments (grader/assignments/*.toml), by name ("1", "2", ...)."""
    return {name: _load_named(name, path) for name, path in _files().items()}


@lru_cache(maxsize=None)
def _load_named(name: str, path: Path) -> Assignment:
    """One of the course's assignments (read once; a broken other file does not matter)."""
    return load_assignment(path, name)


def names() -> tuple[str, ...]:
    return tuple(_files())


def default_name() -> str:
    """The default assignment: "1", or the first there is (a bundle of another one)."""
    found = names()
    return DEFAULT_ASSIGNMENT if DEFAULT_ASSIGNMENT in found or not found else found[0]


def get(name: str | Path | Assignment | None = None) -> Assignment:
    """An assignment: the course's by name ("1"), or an instructor's TOML file by path.

    None gives the default assignment ("1", see default_name). Raises KeyError for an
    unknown name and AssignmentError for a malformed file.
    """
    if isinstance(name, Assignment):
        return name
    if isinstance(name, dict):
        return from_dict(name)
    if name is None:
        name = default_name()
    text = str(name)
    files = _files()
    if text in files:
        return _load_named(text, files[text])
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


def units_of(assignment) -> tuple[str, ...]:
    """The exercise units an assignment's bundle or autograder archive needs: its
    exercises and every exercise they depend on, in the registry's order."""
    from grader.exercises import ORDER, closure

    chosen = get(assignment)
    needed = {d for ex in chosen.exercises for d in closure(ex)}
    return tuple(ex for ex in ORDER if ex in needed)


def to_dict(assignment: Assignment) -> dict:
    """Plain JSON data that stands for the assignment (what a judge process gets, and
    part of a stored grade's key: its exercises and their points, not just its name)."""
    return {"name": assignment.name, "title": dict(assignment.title),
            "exercises": list(assignment.exercises),
            "points": {ex: assignment.points[ex] for ex in assignment.exercises}}


def from_dict(data: dict) -> Assignment:
    """The Assignment of ``to_dict`` data (its exercises must exist here)."""
    from grader.exercises import EXERCISES

    exercises = tuple(data["exercises"])
    unknown = [e for e in exercises if e not in EXERCISES]
    if unknown:
        raise AssignmentError(f"assignment {data.get('name')}: unknown exercises {unknown}")
    return Assignment(name=str(data["name"]), title=dict(data.get("title") or {}),
                      exercises=exercises,
                      points={ex: float(data["points"][ex]) for ex in exercises})


@dataclass(frozen=True)
class Choice:
    """The assignment a command works on and why: ``how`` is "given" (--assignment),
    "files" (inferred from the student's files), "exercises" (the first holding the
    exercises named) or "default"; ``ties`` the other assignments the files fit as well."""

    assignment: Assignment
    how: str
    ties: tuple[str, ...] = ()


def _course() -> dict[str, Assignment]:
    from grader.errors import GraderError

    try:
        return assignments()
    except (AssignmentError, OSError) as exc:
        raise GraderError("error.bad_assignment", name=str(ASSIGNMENTS_DIR),
                          reason=str(exc)) from None


def _exercise_names(present) -> set[str]:
    """Exercise names from module file names ("sgd.py") or exercise names ("sgd")."""
    return {str(p)[:-3] if str(p).endswith(".py") else str(p) for p in present}


def infer(present) -> Choice:
    """The course assignment that the exercise modules ``present`` belong to.

    ``present``: file names ("sgd.py") or exercise names. The assignment with the
    most of its exercises present wins; on a tie, the one that accounts for more of
    the files (its exercises and the modules they import: a student who goes on in
    the folder of an earlier assignment); then the first in course order (the others
    tied are in ``ties``). With none present, the default assignment.
    """
    have = _exercise_names(present)
    course = _course()
    counts = {n: len(have & set(a.exercises)) for n, a in course.items()}
    best = max(counts.values(), default=0)
    if best == 0:
        return Choice(course.get(default_name()) or get(), "default")
    top = [n for n, c in counts.items() if c == best]
    if len(top) > 1:
        covered = {n: len(have & set(units_of(course[n]))) for n in top}
        most = max(covered.values())
        top = [n for n in top if covered[n] == most] + [n for n in top if covered[n] != most]
    return Choice(course[top[0]], "files", tuple(top[1:]))


def choose(option=None, *, present=(), exercises=()) -> Choice:
    """The assignment of a command (see the module docstring), with bilingual errors.

    - option: --assignment (a name or a TOML path), or None.
    - present: the student's exercise modules (file or exercise names) to infer from.
    - exercises: exercise names the person gave; each must be in the assignment.
    """
    from grader.errors import GraderError

    wanted = tuple(exercises or ())
    if option is not None:
        choice = Choice(lookup(option), "given")
    else:
        choice = infer(present)
        if wanted and not set(wanted) <= set(choice.assignment.exercises):
            holder = next((a for a in _course().values()
                           if set(wanted) <= set(a.exercises)), None)
            if holder is None:
                raise GraderError("error.exercises_in_no_assignment", names=", ".join(wanted))
            choice = Choice(holder, "exercises")
    outside = [e for e in wanted if e not in choice.assignment.exercises]
    if outside:
        raise GraderError("error.exercise_not_in_assignment", names=", ".join(outside),
                          assignment=choice.assignment.name,
                          known=", ".join(choice.assignment.exercises))
    return choice


def most_common(per_submission) -> tuple[Assignment, int, int]:
    """The course assignment most hand-ins belong to: ``(assignment, count, total)``.

    ``per_submission``: one assignment name per hand-in (None where unknown). A tie
    goes to the first in course order; no hand-in gives the default assignment.
    """
    course = _course()
    per_submission = list(per_submission)
    names_ = [n for n in per_submission if n in course]
    if not names_:
        return course.get(default_name()) or get(), 0, len(per_submission)
    counts = {n: names_.count(n) for n in course}
    best = max(counts.values())
    winner = next(n for n in course if counts[n] == best)
    return course[winner], best, len(per_submission)


def of_submission(sub) -> str | None:
    """The course assignment a hand-in (grader.ingest.model.Submission) is for: the one its
    manifest records, else the one its files belong to; None when neither tells."""
    recorded = (sub.manifest or {}).get("assignment")
    if isinstance(recorded, str) and recorded in names():
        return recorded
    if not sub.files and not sub.file_problems:
        return None
    guess = infer(list(sub.files) + list(sub.file_problems))
    return guess.assignment.name if guess.how == "files" else None


def for_class(subs, given=None) -> tuple:
    """The assignment of a class and how it was chosen: ``(Assignment, notes)``, each note
    ``(message key, params)``: --assignment, else the most common among the hand-ins (with
    a note on hand-ins that look like another assignment)."""
    per = [of_submission(s) for s in subs if s.rejected is None]
    if given is not None:
        chosen, notes = given, [("assignment.class.given", {"name": given.name})]
    else:
        chosen, count, total = most_common(per)
        if count == 0:
            return chosen, [("assignment.class.default", {"name": chosen.name})]
        notes = [("assignment.class.inferred", {"name": chosen.name, "count": count,
                                                "total": total})]
    others = [n for n in per if n is not None and n != chosen.name]
    if others:
        notes.append(("assignment.class.others", {"name": chosen.name, "count": len(others),
                                                  "names": ", ".join(sorted(set(others)))}))
    return chosen, notes
