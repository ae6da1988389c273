"""Reading what students handed in, in any layout, into memory (never run, never extracted).

``discover(paths)`` returns one :class:`Submission` per hand-in found in the
given folders, archives and loose files (see layouts.py for the layouts);
``resolve`` (identity.py) decides who is who: the latest hand-in of a
platform user counts, and hand-ins that claim one id without an order are
all kept, marked as a conflict. Problems (a corrupted zip, an empty file, ...) are returned as
data on the Submission, never raised: one bad hand-in never stops a batch.
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import GraderError
from grader.ingest.layouts import (EXERCISE_FILES, _looks_like_zip, _rejected, classify,
                                   from_path, ingest_failure, tree_from_dir_entries)
from grader.ingest.identity import apply_identities, load_identities, natural_key, resolve
from grader.ingest.model import Problem, Submission
from grader.ingest.notebooks import NotebookUnsupported, notebook_to_modules

__all__ = ["discover", "latest_per_student", "resolve", "apply_identities", "load_identities",
           "natural_key", "Submission", "Problem", "notebook_to_modules",
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
        try:
            subs.extend(from_path(path, skip=list(skip)))
        except Exception as exc:  # noqa: BLE001 - one input never stops the batch
            subs.append(_rejected(path.stem, str(path), ingest_failure(str(path), exc)))
    for parent, files in sorted(loose.items()):
        try:
            tree = tree_from_dir_entries(sorted(set(files)))
            subs.extend(classify(tree, fallback_id=parent.resolve().name or "student"))
        except Exception as exc:  # noqa: BLE001 - one input never stops the batch
            subs.append(_rejected(parent.name, str(parent), ingest_failure(str(parent), exc)))
    return subs


def latest_per_student(subs: list[Submission]):
    """(the hand-ins to grade, {student_id: [older ones]}); see identity.resolve."""
    return resolve(subs)
