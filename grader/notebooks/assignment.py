"""Which exercises an assignment holds, and its title (for the assignment notebook).

A thin view of ``grader.assignments`` (``grader/assignments/<n>.toml``: its
exercises in order, ``title.es`` / ``title.en``) with errors in words. An
assignment is given by name ("1"), by an instructor's TOML path, or as a
``grader.assignments.Assignment``.
"""

from __future__ import annotations

DEFAULT_ASSIGNMENT = "1"


def _lookup(assignment):
    from grader.assignments import Assignment, lookup

    return assignment if isinstance(assignment, Assignment) else lookup(str(assignment))


def assignment_names() -> tuple[str, ...]:
    """The course's assignments (``("1", "2", ...)``), in their order."""
    from grader.assignments import names

    return names() or (DEFAULT_ASSIGNMENT,)


def assignment_name(assignment=DEFAULT_ASSIGNMENT) -> str:
    """The assignment's name ("1"; an instructor's file: its stem)."""
    return _lookup(assignment).name


def assignment_exercises(assignment=DEFAULT_ASSIGNMENT) -> tuple[str, ...]:
    """The exercises of an assignment, in order (GraderError naming an unknown one)."""
    return tuple(_lookup(assignment).exercises)


def assignment_title(assignment, lang: str) -> str | None:
    """The assignment's title in ``lang``, or None."""
    title = _lookup(assignment).title
    return title.get(lang) if isinstance(title, dict) else None
