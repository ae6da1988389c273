"""A student's own helper modules beside the exercise files (``numutils.py`` next to
``activations.py``, imported by it).

The contract leaves private helpers free, so a module of the student's own that an
exercise file imports travels with the exercise files to the sandbox. Which ones, the
same for `grader check`, `grader submit` and `grader grade`:

- a ``.py`` file in the same folder as the exercise files (or the notebooks), imported
  (``import m`` / ``from m import f``, anywhere in the file) by an exercise file or by
  another such module; files nobody imports stay where they are;
- at most ``config.MAX_EXTRA_MODULES`` of them, each at most
  ``config.MAX_SOURCE_FILE_BYTES``, non-empty text like an exercise file;
- never a module that would shadow another: an exercise, numpy or any other module
  importable in the grader's own environment (the standard library and everything
  installed beside the grader: TensorFlow's dependencies such as ``six`` or ``termcolor``
  included, whatever this install holds), or the grader's own modules. Such a file is
  left out and a note says why in words. The current folder does not count as part of
  the environment (``python -m grader`` run in a student's folder puts it on ``sys.path``).

Everything here reads bytes and parses them with ``ast``; nothing is run.
"""

from __future__ import annotations

import ast
import functools
import importlib.machinery
import os
import sys
from pathlib import Path
from typing import Callable

from grader import config
from grader.exercises import EXERCISES
from grader.ingest.model import ArchiveProblem, Problem

# Libraries the worker imports (or may preload) and modules of the grader's own machinery.
LIBRARIES = frozenset({"numpy", "keras", "tensorflow", "scipy", "pandas", "matplotlib",
                       "sklearn", "torch", "jax", "pytest", "_pytest", "pluggy", "click",
                       "ml_dtypes", "h5py", "optree", "rich", "namex", "absl", "google"})
GRADER_MODULES = frozenset(set(config.BLOCKED_MODULES) | {
    "keras_probe", "wire", "worker_main", "sitecustomize", "usercustomize"})


def _stem(filename: str) -> str:
    return filename[:-3] if filename.endswith(".py") else filename


def refused_reason(filename: str) -> str | None:
    """Why the module ``filename`` may not travel with the exercise files, else None:
    ``exercise``, ``library``, ``stdlib`` or ``grader``."""
    stem = _stem(filename)
    if stem.lower() in EXERCISES:
        return "exercise"
    if stem in LIBRARIES:
        return "library"
    if stem in sys.stdlib_module_names or stem in sys.builtin_module_names:
        return "stdlib"
    if stem in GRADER_MODULES or stem.startswith("__"):
        return "grader"
    if stem.isidentifier() and installed(stem):
        return "library"
    return None


def _environment_paths() -> tuple[str, ...]:
    """The ``sys.path`` entries of the grader's environment: every folder on it except
    the current one (``''`` or its absolute spelling), which is where a student may run
    ``python -m grader check`` beside their own helpers."""
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:
        here = None
    out = []
    for entry in sys.path:
        if not entry or not isinstance(entry, str):
            continue
        try:
            if os.path.realpath(entry) == here:
                continue
        except (OSError, ValueError):
            continue
        out.append(entry)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _installed(name: str, paths: tuple[str, ...]) -> bool:
    try:
        if importlib.machinery.PathFinder.find_spec(name, list(paths)) is not None:
            return True
    except (ImportError, ValueError, OSError):
        pass
    # Other finders of the environment (an editable install's, for instance).
    for finder in sys.meta_path:
        if finder is importlib.machinery.PathFinder or not hasattr(finder, "find_spec"):
            continue
        try:
            if finder.find_spec(name, None) is not None:
                return True
        except Exception:  # noqa: BLE001 - a third-party finder's failure is "not found"
            continue
    return False


def installed(name: str) -> bool:
    """Whether top-level module ``name`` is importable in the grader's own environment
    (standard library, site-packages, the grader's install; not the current folder).
    A helper of that name would shadow it in the worker, where that module may be
    imported before any student code is meant to run (TensorFlow imports ``termcolor``).
    Finds the module without importing it."""
    if name in sys.modules and name != "__main__":
        return True
    return _installed(name, _environment_paths())


def imported_modules(source: bytes) -> list[str]:
    """The top-level names a module imports (absolute imports, anywhere in the file), in
    order; [] when it cannot be parsed (its own check reports that)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module.split(".")[0])
    return list(dict.fromkeys(names))


def is_candidate(filename: str) -> bool:
    """A file name that could be a helper module (``name.py``, not an exercise file)."""
    return (filename.endswith(".py") and _stem(filename).isidentifier()
            and filename not in {ex.filename for ex in EXERCISES.values()})


def select(sources: dict[str, bytes], candidates: dict[str, Callable[[int], bytes]],
           check: Callable[[str, bytes], Problem | None] | None = None
           ) -> tuple[dict[str, bytes], list[Problem]]:
    """The helper modules to ship with ``sources`` (the exercise files), and notes.

    ``candidates``: ``{"numutils.py": read}`` for the ``.py`` files beside the exercise
    files, ``read(limit)`` returning the bytes or raising ArchiveProblem above ``limit``.
    ``check``: the test an exercise file passes too (empty, not UTF-8); its Problem
    leaves the module out. Returns ``(extras, problems)``.
    """
    extras: dict[str, bytes] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    over: list[str] = []
    stems = [_stem(c).encode() for c in candidates if is_candidate(c)]
    # Parsed only when a candidate's name appears in it (most hand-ins have no helper).
    queue = [name for data in sources.values() if any(s in data for s in stems)
             for name in imported_modules(data)]
    while queue:
        name = queue.pop(0)
        filename = f"{name}.py"
        if name in seen or filename not in candidates or not is_candidate(filename):
            continue
        seen.add(name)
        why = refused_reason(filename)
        if why is not None:
            problems.append(Problem(f"batch.note.extra_module_refused.{why}",
                                    {"file": filename, "module": name}))
            continue
        if len(extras) >= config.MAX_EXTRA_MODULES:
            over.append(filename)
            continue
        try:
            data = candidates[filename](config.MAX_SOURCE_FILE_BYTES)
        except ArchiveProblem as exc:
            problems.append(exc.problem)
            continue
        except OSError as exc:
            problems.append(Problem("batch.note.extra_module_unreadable",
                                    {"file": filename, "reason": exc.strerror or str(exc)}))
            continue
        problem = check(filename, data) if check is not None else None
        if problem is not None:
            problems.append(problem)
            continue
        extras[filename] = data
        queue += imported_modules(data)
    if over:
        problems.append(Problem("batch.note.extra_modules_too_many", {
            "limit": config.MAX_EXTRA_MODULES, "files": ", ".join(over[:5])}))
    return extras, problems


def select_beside(sources: dict[str, bytes], entries, folders: set[str],
                  check: Callable[[str, bytes], Problem | None] | None
                  ) -> tuple[dict[str, bytes], list[Problem], dict[str, str]]:
    """:func:`select` over the files of a tree: ``entries`` are ``(path, read)`` pairs
    (relative posix paths, ``read(limit)`` as for select), and the candidates are the
    ``.py`` files of the folders ``folders`` (``path.rpartition("/")[0]``), the first of
    each name in ``entries``' order (pass them shallowest first). Returns
    ``(extras, problems, origins)``, ``origins``: {filename: the path it came from}."""
    candidates, origins = {}, {}
    for path, read in entries:
        folder, _, name = path.rpartition("/")
        if folder in folders and is_candidate(name) and name not in candidates:
            candidates[name], origins[name] = read, path
    found, problems = select(sources, candidates, check)
    return found, problems, {name: origins[name] for name in found}


def folder_candidates(folder: Path) -> dict[str, Callable[[int], bytes]]:
    """The candidate helper modules of a folder on disk (its ``.py`` files, links left out)."""
    out = {}
    try:
        paths = sorted(Path(folder).iterdir())
    except OSError:
        return out
    for path in paths:
        if is_candidate(path.name) and path.is_file() and not path.is_symlink():
            out[path.name] = _file_reader(path)
    return out


def _file_reader(path: Path) -> Callable[[int], bytes]:
    def read_head() -> bytes:              # never more than the cap (and one byte) in memory
        with open(path, "rb") as fh:
            return fh.read(config.MAX_SOURCE_FILE_BYTES + 1)
    return bounded_reader(read_head, path.name)


def bounded_reader(read: Callable[[], bytes], label: str) -> Callable[[int], bytes]:
    """``read(limit)`` for :func:`select` from a ``read()`` that returns the bytes:
    ArchiveProblem when they are above ``limit``."""
    def bounded(limit: int) -> bytes:
        data = read()
        if len(data) > limit:
            raise ArchiveProblem("grading.reason.file_too_large", file=label,
                                 size=f"> {limit / (1024 * 1024):.1f} MiB",
                                 limit=f"{limit / (1024 * 1024):.1f} MiB")
        return data
    return bounded


def check_text(filename: str, data: bytes) -> Problem | None:
    """The test a helper module passes (as an exercise file): not empty, UTF-8 or declared."""
    from grader.ingest.layouts import _check_source

    return _check_source(filename, data)


def add_from_folder(files: dict, folder, notices: list | None = None) -> dict:
    """``files`` (the exercise modules read from ``folder``) with the helper modules they
    import from that folder added; what is left out is appended to ``notices`` as a
    grader.notebooks.extract.Notice (`grader check` and `grader submit` print them)."""
    found, problems = select(files, folder_candidates(Path(folder)), check_text)
    for filename, data in found.items():
        files.setdefault(filename, data)
    if notices is not None and problems:
        from grader.notebooks.extract import Notice

        notices.extend(Notice(p.key, dict(p.params)) for p in problems)
    return files
