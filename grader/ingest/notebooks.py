"""Jupyter notebooks as submissions: turn an .ipynb into the exercise modules it holds.

``notebook_to_modules(data, name)`` returns ``{"sgd.py": source bytes, ...}``
for the cells of each exercise, read as data and never run (the extraction is
grader.notebooks.extract, the notebooks' own module). When that module is not
installed the notebook is reported as "not supported yet" (NotebookUnsupported);
a notebook that cannot be read (not JSON, not a notebook, no exercise cell)
is reported with its reason (NotebookProblem).
"""

from __future__ import annotations

from grader.ingest.model import Problem


class NotebookUnsupported(Exception):
    """Notebooks cannot be turned into exercise modules here (the extractor is missing)."""


class NotebookProblem(NotebookUnsupported):
    """This notebook cannot be read; ``problem`` says why (a catalog message).

    A kind of NotebookUnsupported (that notebook cannot be graded); its cause
    is the extractor's GraderError.
    """

    def __init__(self, problem: Problem):
        super().__init__(problem.key)
        self.problem = problem


def notebook_to_modules(data: bytes, name: str) -> dict[str, bytes]:
    """The exercise modules in the notebook ``name`` (its bytes are ``data``)."""
    try:
        from grader.errors import GraderError
        from grader.notebooks.extract import modules_from_notebook_bytes
    except ImportError:
        raise NotebookUnsupported(name) from None
    try:
        modules = modules_from_notebook_bytes(data, name)
    except GraderError as exc:
        raise NotebookProblem(Problem(exc.key, dict(exc.params))) from exc
    except (RecursionError, MemoryError, ValueError, SyntaxError, TypeError) as exc:
        raise NotebookProblem(Problem("grading.reason.notebook_unreadable", {
            "file": name, "reason": f"{type(exc).__name__}: {exc}"[:200]})) from exc
    if not modules:
        raise NotebookProblem(Problem("grading.reason.notebook_no_exercise", {"file": name}))
    return modules
