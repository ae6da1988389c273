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


MAX_CELLS = 5_000


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def _bounded(data: bytes, name: str):
    """Refuse, before any extraction, a notebook whose code cells are larger than a file may be.

    The extractor parses cells as Python: a 15 MB cell would cost the batch
    process gigabytes. A code cell, like an exercise file, may hold at most
    MAX_SOURCE_FILE_BYTES; a notebook at most MAX_CELLS cells.
    """
    import json

    from grader import config

    try:
        nb = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return                                  # not JSON: the extractor says so in words
    except RecursionError:
        raise NotebookProblem(Problem("grading.reason.notebook_unreadable", {
            "file": name, "reason": "RecursionError"})) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list):
        return
    if len(cells) > MAX_CELLS:
        raise NotebookProblem(Problem("batch.reason.notebook_too_many_cells",
                                      {"file": name, "limit": MAX_CELLS}))
    limit = config.MAX_SOURCE_FILE_BYTES
    for i, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        parts = [source] if isinstance(source, str) else (
            source if isinstance(source, list) else [])
        size = sum(len(p.encode("utf-8", "replace")) for p in parts if isinstance(p, str))
        if size > limit:
            raise NotebookProblem(Problem("grading.reason.file_too_large", {
                "file": f"{name} (cell {i})", "size": _mib(size), "limit": _mib(limit)}))


def notebook_to_modules(data: bytes, name: str) -> dict[str, bytes]:
    """The exercise modules in the notebook ``name`` (its bytes are ``data``)."""
    _bounded(data, name)
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


def capped(modules: dict, name: str) -> tuple[dict, dict]:
    """(modules within the file size cap, {module: Problem} for those above it)."""
    from grader import config

    limit = config.MAX_SOURCE_FILE_BYTES
    ok, problems = {}, {}
    for filename, data in modules.items():
        if len(data) > limit:
            problems[filename] = Problem("grading.reason.file_too_large", {
                "file": f"{name}: {filename}", "size": _mib(len(data)), "limit": _mib(limit)})
        else:
            ok[filename] = data
    return ok, problems
