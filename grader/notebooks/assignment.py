"""Which exercises an assignment holds, and its title (for the assignment notebook).

An assignment is ``grader/assignments/<n>.toml`` (``exercises = [...]`` in order,
``title.es`` / ``title.en``). Where that folder does not exist yet, assignment
``1`` is every exercise of the registry, in order.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from grader import config
from grader.errors import GraderError

ASSIGNMENTS_DIR = config.PACKAGE_DIR / "assignments"
DEFAULT_ASSIGNMENT = "1"


def _read(assignment: str) -> dict | None:
    path = ASSIGNMENTS_DIR / f"{assignment}.toml"
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        return tomllib.load(fh)


def assignment_names() -> tuple[str, ...]:
    """The assignments there are (``("1", "2", ...)``), in their order."""
    names = sorted((p.stem for p in Path(ASSIGNMENTS_DIR).glob("*.toml")),
                   key=lambda n: (len(n), n))
    return tuple(names) or (DEFAULT_ASSIGNMENT,)


def assignment_exercises(assignment: str | int = DEFAULT_ASSIGNMENT) -> tuple[str, ...]:
    """The exercises of an assignment, in order."""
    from grader.exercises import EXERCISES, ORDER

    assignment = str(assignment)
    raw = _read(assignment)
    if raw is None:
        if assignment == DEFAULT_ASSIGNMENT and not any(Path(ASSIGNMENTS_DIR).glob("*.toml")):
            return tuple(ORDER)
        raise GraderError("error.unknown_assignment", assignment=assignment,
                          known=", ".join(assignment_names()))
    names = raw.get("exercises", [])
    names = [n if isinstance(n, str) else n.get("name", "") for n in names]
    return tuple(n for n in names if n in EXERCISES)


def assignment_title(assignment: str | int, lang: str) -> str | None:
    """The assignment's title in ``lang`` (``title.<lang>`` of its file), or None."""
    raw = _read(str(assignment)) or {}
    title = raw.get("title")
    if isinstance(title, dict) and isinstance(title.get(lang), str):
        return title[lang]
    return None
