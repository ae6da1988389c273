"""Which exercises an assignment holds, and its title (for the assignment notebook).

A thin view of ``grader.assignments`` (``grader/assignments/<n>.toml``: its
exercises in order, ``title.es`` / ``title.en``) with errors in words.
"""

from __future__ import annotations

DEFAULT_ASSIGNMENT = "1"


def assignment_names() -> tuple[str, ...]:
    """The course's assignments (``("1", "2", ...)``), in their order."""
    from grader.assignments import names

    return names() or (DEFAULT_ASSIGNMENT,)


def assignment_exercises(assignment: str | int = DEFAULT_ASSIGNMENT) -> tuple[str, ...]:
    """The exercises of an assignment, in order (GraderError naming an unknown one)."""
    from grader.assignments import lookup

    return tuple(lookup(str(assignment)).exercises)


def assignment_title(assignment: str | int, lang: str) -> str | None:
    """The assignment's title in ``lang``, or None."""
    from grader.assignments import lookup

    title = lookup(str(assignment)).title
    return title.get(lang) if isinstance(title, dict) else None
