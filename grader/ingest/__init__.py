"""Reading what students handed in, in any layout, into memory (never run, never extracted).

``discover(paths)`` returns one :class:`Submission` per hand-in found in the
given folders, archives and loose files (see layouts.py for the layouts);
``latest_per_student`` keeps the latest hand-in of every student and lists
the others. Problems (a corrupted zip, an empty file, ...) are returned as
data on the Submission, never raised: one bad hand-in never stops a batch.
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import GraderError
from grader.ingest.layouts import (EXERCISE_FILES, classify, from_path, tree_from_dir_entries,
                                   _looks_like_zip)
from grader.ingest.model import Problem, Submission
from grader.ingest.notebooks import NotebookUnsupported, notebook_to_modules

__all__ = ["discover", "latest_per_student", "Submission", "Problem", "notebook_to_modules",
           "NotebookUnsupported", "EXERCISE_FILES"]


def discover(paths, *, skip=()) -> list[Submission]:
    """Every submission in ``paths`` (folders, zips, loose files), in a stable order.

    ``skip``: folders not to look into (e.g. the output folder when it lies
    inside an input folder). A path that does not exist is a GraderError.
    """
    subs: list[Submission] = []
    loose: dict[Path, list[Path]] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GraderError("error.path_not_found", path=str(path))
        if path.is_file() and path.suffix.lower() not in (".zip", ".ipynb") \
                and not _looks_like_zip(path):
            loose.setdefault(path.parent, []).append(path)
            continue
        subs.extend(from_path(path, skip=list(skip)))
    for parent, files in sorted(loose.items()):
        tree = tree_from_dir_entries(sorted(set(files)))
        subs.extend(classify(tree, fallback_id=parent.resolve().name or "student"))
    return subs


def latest_per_student(subs: list[Submission]):
    """(the latest submission of each student, {student_id: [older ones]})."""
    by_id: dict[str, list[Submission]] = {}
    for sub in subs:
        by_id.setdefault(sub.student_id, []).append(sub)
    chosen, older = [], {}
    for sid, group in by_id.items():
        group.sort(key=lambda s: s.order_key)
        chosen.append(group[-1])
        if len(group) > 1:
            older[sid] = group[:-1]
    chosen.sort(key=lambda s: natural_key(s.student_id))
    return chosen, older


def natural_key(text: str):
    """Numbers in ids sort as numbers: 9 before 10."""
    import re

    return [(0, int(p), "") if p.isdigit() else (1, 0, p.lower())
            for p in re.split(r"(\d+)", text) if p]
