"""`grader submit`: one archive with the student's files, a manifest and local results."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from grader import __version__, config
from grader.atomic import atomic_write_bytes, zip_bytes
from grader.errors import GraderError
from grader.exercises import EXERCISES

SUBMISSION_FORMAT = "dl-grader-submission/1"
_STUDENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The placeholders of the README and the notebooks (TU_ID, YOUR_ID, ID...) and their like:
# two students who both typed one would be the same student.
_PLACEHOLDER = re.compile(
    r"^(?:(?:tu|su|mi|your|my|student|estudiante|alumno|alumna|user|usuario)[-_.]?)?"
    r"(?:id|identificador|identifier|dni|nia|numero|number|name|nombre)?"
    r"(?:[-_.]?(?:here|aqui|aquí))?$|^(?:x+|0+|1234\d*|test|prueba|example|ejemplo|"
    r"foo|changeme|placeholder)$", re.IGNORECASE)


def is_placeholder(student_id: str) -> bool:
    """Whether ``student_id`` is a placeholder someone forgot to replace (TU_ID, YOUR_ID...)."""
    text = (student_id or "").strip().strip("<>[]{}").strip()
    return bool(text) and _PLACEHOLDER.match(text) is not None


@dataclass
class Submission:
    """What `grader submit` wrote."""

    path: Path
    sha256: str
    manifest: dict
    choice: object = None    # the assignment handed in for (grader.assignments.Choice)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _exercises(names):
    return [EXERCISES[n] for n in names] if names is not None else list(EXERCISES.values())


def _dependencies(exercises) -> list[str]:
    """The exercises that ``exercises`` import but do not include (handed in when present)."""
    if exercises is None:
        return []
    from grader.exercises import closure

    return [d for d in dict.fromkeys(d for e in exercises for d in closure(e))
            if d not in exercises]


def _imported_exercises(folder: Path, files: dict) -> list[str]:
    """Exercises of other assignments that ``files`` import and the folder holds (a helper
    the student named ``data.py``): `grader grade` and `grader check` take them too."""
    from grader.ingest.extras import imported_modules

    names = {m for data in files.values() for m in imported_modules(data)}
    return [n for n, ex in EXERCISES.items() if n in names and ex.filename not in files
            and (folder / ex.filename).is_file()]


def validate_sources(folder: Path, exercises=None) -> dict[str, bytes]:
    """Every exercise file (of ``exercises``, names; default all), each UTF-8 and
    syntactically valid (parsed, never run)."""
    files = {}
    for ex in _exercises(exercises):
        file = folder / ex.filename
        if not file.is_file():
            raise GraderError("error.missing_file_submit", file=ex.filename, path=str(folder))
        data = file.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GraderError("error.not_utf8", file=str(file), position=exc.start) from None
        _parse_or_refuse(text, ex.filename, str(file))
        files[ex.filename] = data
    return files


def _parse_or_refuse(text: str, filename: str, where: str):
    """GraderError unless ``text`` parses: a syntax error with its line, or a file Python's
    parser cannot take at all (a line nested 100 000 deep: MemoryError, RecursionError)."""
    try:
        ast.parse(text, filename=filename)
    except SyntaxError as exc:
        raise GraderError("error.syntax_error_file", file=where, line=exc.lineno,
                          message=exc.msg) from None
    except (MemoryError, RecursionError, ValueError):
        raise GraderError("error.unparsable_file", file=where) from None


def notebook_sources(notebooks, exercises=None, notices: list | None = None
                     ) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The five exercise modules out of the student's notebooks, each valid Python,
    and the notebooks themselves (``{"notebooks/sgd.ipynb": bytes}``).

    Cells are read as text and parsed, never run (see grader.notebooks).
    """
    from grader.notebooks.extract import files_from_notebooks, modules_from_notebook

    paths = [Path(p) for p in notebooks]
    origin = {}
    for path in paths:
        if not path.is_file():
            raise GraderError("error.path_not_found", path=str(path))
        for filename in modules_from_notebook(path):
            origin.setdefault(filename, path.name)
    # Several notebooks holding one exercise: the same choice as `grader check` (a notice).
    files, _ = files_from_notebooks(paths, skip_empty=True, notices=notices)
    for ex in _exercises(exercises):
        if ex.filename not in files:
            raise GraderError("error.notebook_missing_module_submit", module=ex.name,
                              notebooks=", ".join(p.name for p in paths))
        _parse_or_refuse(files[ex.filename].decode("utf-8"), ex.filename,
                         f"{ex.filename} ({origin.get(ex.filename, ex.filename)})")
    originals = {}
    for path in paths:
        name, n = f"notebooks/{path.name}", 1
        while name in originals:
            n += 1
            name = f"notebooks/{path.stem}-{n}{path.suffix}"
        originals[name] = path.read_bytes()
    keep = [ex.filename for ex in _exercises(exercises)]
    keep += [EXERCISES[d].filename for d in _dependencies(exercises)]
    return {name: files[name] for name in keep if name in files}, originals


def write_zip_atomic(target: Path, members: dict[str, bytes]):
    """Write a zip so that ``target`` is either the old file or the complete new one."""
    atomic_write_bytes(target, zip_bytes(members))


def _only_notebooks(folder: Path) -> list[Path]:
    """The notebooks of a folder that holds no exercise .py file (else [])."""
    if any((folder / ex.filename).is_file() for ex in EXERCISES.values()):
        return []
    return sorted(folder.glob("*.ipynb"))


def submit(student_id: str, path: Path | str = config.EXERCISES_DIR, out: Path | str | None = None,
           *, lang: str | None = None, now: dt.datetime | None = None,
           notebooks=(), assignment=None, notices: list | None = None) -> Submission:
    """Check the student's files and write the submission archive.

    Inputs:
    - student_id: the id the course uses (letters, digits, '.', '-', '_').
    - path: the folder with the five exercise files (read only, never modified);
      a folder holding only notebooks, or one notebook, works too.
    - out: the archive to write (default: ./submission-<student_id>.zip).
    - notebooks: notebook files to hand in instead of ``path`` (their modules
      are extracted; the notebooks go into the archive as well).
    - assignment: a name ("1") or an instructor's TOML path; default: the one the
      files belong to (grader.assignments.choose). Its exercise files are required
      (the modules they import go in too when present); the manifest records it.
    - notices: a list that receives warnings for the student (e.g. which of two
      notebooks holding one exercise was used).
    Returns: a Submission (archive path, its sha256, the manifest).
    """
    from grader.assignments import choose
    from grader.checking import check_files
    from grader.notebooks.extract import files_from_notebooks, is_notebook

    if is_placeholder(student_id):
        raise GraderError("batch.error.placeholder_id", student_id=student_id)
    if not _STUDENT_ID.match(student_id or ""):
        raise GraderError("error.bad_student_id", student_id=student_id)
    notebooks = [Path(p) for p in notebooks]
    if not notebooks and is_notebook(path):
        notebooks = [Path(path)]
    originals: dict[str, bytes] = {}
    if not notebooks:
        folder = Path(path)
        if not folder.exists():
            raise GraderError("error.path_not_found", path=str(folder))
        if not folder.is_dir():
            raise GraderError("error.not_a_directory", path=str(folder))
        notebooks = _only_notebooks(folder)
    if notebooks:
        for p in notebooks:
            if not p.is_file():
                raise GraderError("error.path_not_found", path=str(p))
        present = files_from_notebooks(notebooks, skip_empty=True)[1]
    else:
        present = [ex.filename for ex in EXERCISES.values() if (folder / ex.filename).is_file()]
    choice = choose(assignment, present=present)
    chosen = choice.assignment
    from grader.ingest.extras import add_from_folder

    if notebooks:
        files, originals = notebook_sources(notebooks, chosen.exercises, notices)
        add_from_folder(files, notebooks[0].parent, notices)
    else:
        files = validate_sources(folder, chosen.exercises)
        files.update(validate_sources(folder, [d for d in _dependencies(chosen.exercises)
                                               if (folder / EXERCISES[d].filename).is_file()]))
        files.update(validate_sources(folder, _imported_exercises(folder, files)))
        add_from_folder(files, folder, notices)   # the student's helper modules they import
    target = Path(out) if out else Path.cwd() / f"submission-{student_id}{config.SUBMISSION_SUFFIX}"
    if target.exists() and not zipfile.is_zipfile(target):
        raise GraderError("error.out_exists", path=str(target))
    results = check_files(files, chosen.exercises, lang=lang, assignment=chosen)
    when = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc)
    manifest = {
        "format": SUBMISSION_FORMAT,
        "student_id": student_id,
        "submitted_at_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "grader_version": __version__,
        "assignment": chosen.name,
        "assignment_title": dict(chosen.title),
        "files": {name: sha256(data) for name, data in sorted(files.items())},
        "results": {
            "score": results.score, "max_score": results.max_score,
            "checks": [{"id": c.id, "status": c.status, "points": c.points,
                        "max_points": c.max_points} for c in results.checks],
        },
    }
    if originals:
        manifest["source"] = "notebooks"
        manifest["notebooks"] = {name: sha256(data) for name, data in sorted(originals.items())}
    members = dict(files)
    members.update(originals)
    members[config.MANIFEST_NAME] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    write_zip_atomic(target, members)
    return Submission(path=target, sha256=sha256(target.read_bytes()), manifest=manifest,
                      choice=choice)

