"""`grader release OUT_DIR`: the student bundle, with no solution and no hidden check.

The bundle is one assignment's (``--assignment``, default 1): its exercises' stubs,
notebooks ("exercise n of N" counts within it) and units; the units of exercises they
depend on (from an earlier assignment) ship too, without stubs, so that the registry is
whole; ``grader/assignments/`` holds only that assignment's TOML (an instructor's own
file under its name), so that it is the bundle's default.

Layout of the bundle (an installable project of its own)::

    OUT_DIR/
      README.md            student guide, Spanish then English (i18n key release.readme)
      pyproject.toml       installs the `grader` command and its package
      exercises/*.py       the stubs, generated from solutions/ by removing the marked blocks
      notebooks/<lang>/*.ipynb   one notebook per exercise and language
      assignments/<lang>/assignment-<n>.ipynb   the assignment's notebook per language,
                           which works alone (Colab): every exercise, each followed by its checks
      dist/dl_grader-<version>-py3-none-any.whl   the student wheel: the package below
                           as one file, what the assignment notebook's first cell installs
      grader/              the package, without grader/mutants (named wrong
                           implementations) and grader/devtools (golden specs,
                           stub generator); plus
        suites/            the checks students run: conftest.py, pytest-checks.ini and,
                           per exercise unit, <exercise>/{exercise.toml, public.py,
                           keras.py, golden.json, texts.toml, notebook.<lang>.md} (found by
                           grader.config.CHECKS_DIR when tests/checks is absent); never
                           hidden.py, mistakes, golden specs
        notebooks/stubs/   the stubs again, for the notebooks' setup()
      .dl-grader-bundle    marks the folder as a bundle (for --force)

The bundle is built in a temporary folder next to OUT_DIR, scanned for solution
code (every non-trivial line between the markers of solutions/*.py), and only
then moved into place: a bundle with a leak is never written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader import __version__, config
from grader.errors import GraderError
from grader.assignments import units_of
from grader.exercises import EXERCISES, ORDER
from grader.i18n import t

BUNDLE_MARKER = ".dl-grader-bundle"
# The check suites students run (the Keras checks compare with Keras on fixed,
# public inputs and skip themselves without TensorFlow); never "hidden".
STUDENT_SUITES = ("public", "keras")
# The other files of a unit that students get: its contract and rubric lines, the
# golden values of its public checks, its texts. Never hidden.py, mistakes.py,
# mistake_sources.py or golden_spec.py.
STUDENT_UNIT_FILES = ("exercise.toml", "golden.json", "texts.toml",
                      *(f"notebook.{lang}.md" for lang in config.LANGUAGES))
# Parts of the package that never go to students (paths relative to grader/).
INSTRUCTOR_ONLY = ("mutants", "devtools", "data/samples", "suites", "notebooks/stubs")
# What a solution line needs to prove a leak: a line such as ``return out``,
# ``n = X.shape[0]`` or ``if mask is None:`` is common to any numpy code.
MIN_LEAK_CHARS = 16
MIN_LEAK_TOKENS = 5
SHORT_HEADER_CHARS = 24

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "dl-grader"
version = "{version}"
description = "Ejercicios autocorregidos de aprendizaje profundo / Auto-graded DL exercises"
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["numpy>=1.24", "pytest>=7.4", "click>=8.1", "nbformat>=5.9"]

[project.optional-dependencies]
notebooks = ["jupyterlab>=4", "ipykernel>=6.25", "matplotlib>=3.7"]
keras = ["tensorflow-cpu>=2.16", "matplotlib>=3.7"]

[project.scripts]
grader = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]

[tool.setuptools.package-data]
grader = ["*.toml", "i18n/*.toml", "i18n/notebooks/*.md", "i18n/notebooks/*/*.md", "data/*",
          "sandbox/*.py", "notebooks/stubs/*.py", "suites/*.py", "suites/*.ini",
          "suites/*/*.py", "suites/*/*.json", "suites/*/*.toml", "suites/*/*.md",
          "assignments/*.toml"]
"""

GITIGNORE = """\
.venv/
__pycache__/
_modules/
.ipynb_checkpoints/
submission-*.zip
"""


@dataclass
class Bundle:
    """What `grader release` wrote."""

    path: Path
    files: list = field(default_factory=list)       # relative paths, sorted
    notebooks: list = field(default_factory=list)   # relative paths of the .ipynb
    wheel: Path | None = None                       # dist/dl_grader-<version>-py3-none-any.whl


# -- the leak check --------------------------------------------------------------------------
def is_trivial(line: str) -> bool:
    """Comments, short lines, and short block headers (``if mask is not None:``)."""
    line = line.strip()
    return (line.startswith("#") or len(line) < MIN_LEAK_CHARS
            or len(re.findall(r"\w+|[^\w\s]", line)) < MIN_LEAK_TOKENS
            or (line.endswith(":") and len(line) < SHORT_HEADER_CHARS))


def solution_lines(solutions_dir: Path | str | None = None) -> dict[str, str]:
    """Every non-trivial line of the solution bodies: ``{stripped line: "sgd.py:42"}``.

    A solution body is what lies between the markers of solutions/<exercise>.py.
    Left out: trivial lines (see is_trivial) and lines that the stubs show
    anyway (a given function or a docstring may hold the same text).
    """
    from grader.devtools.stubs import find_marked_blocks, make_stub_source

    folder = Path(solutions_dir or config.SOLUTIONS_DIR)
    lines = {}
    for ex in EXERCISES.values():
        path = folder / ex.filename
        text = path.read_text(encoding="utf-8")
        public = make_stub_source(text, filename=str(path))
        all_lines = text.splitlines()
        for _, begin, end in find_marked_blocks(text, str(path)):
            for index in range(begin + 1, end):
                line = all_lines[index].strip()
                if not is_trivial(line) and line not in public:
                    lines.setdefault(line, f"{ex.filename}:{index + 1}")
    return lines


def _searchable_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".whl":                 # a zip: search every member's text
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(name).decode("utf-8", errors="ignore")
                             for name in zf.namelist())
    text = data.decode("utf-8", errors="ignore")
    if path.suffix == ".ipynb":
        try:
            doc = json.loads(text)
            cells = doc.get("cells", []) if isinstance(doc, dict) else []
            text += "\n".join("".join(c.get("source", "")) if isinstance(c.get("source"), list)
                              else str(c.get("source", "")) for c in cells if isinstance(c, dict))
        except (json.JSONDecodeError, AttributeError):
            pass
    return text


def find_solution_leaks(root: Path | str, solutions_dir: Path | str | None = None
                        ) -> list[tuple[str, str, str]]:
    """Solution lines found in any file under ``root``: ``[(file, line, where in solutions)]``."""
    root = Path(root)
    lines = solution_lines(solutions_dir)
    leaks = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        text = _searchable_text(path)
        for line, origin in lines.items():
            if line in text:
                leaks.append((str(path.relative_to(root)), line, origin))
    return leaks


# -- building --------------------------------------------------------------------------------
def _ignore_instructor_only(package_dir: Path):
    skipped = {package_dir / part for part in INSTRUCTOR_ONLY}

    def ignore(directory, names):
        here = Path(directory)
        return {n for n in names if here / n in skipped or n == "__pycache__"
                or n.endswith((".pyc", ".egg-info"))}
    return ignore


def _copy_public_checks(checks_dir: Path, target: Path, exercises=ORDER):
    """conftest.py, pytest-checks.ini and the student part of every exercise unit."""
    target.mkdir(parents=True)
    for name in ("conftest.py", "pytest-checks.ini"):
        shutil.copy2(checks_dir / name, target / name)
    for ex in exercises:
        unit = target / ex
        unit.mkdir()
        for name in (*(f"{s}.py" for s in STUDENT_SUITES), *STUDENT_UNIT_FILES):
            if (checks_dir / ex / name).is_file():
                shutil.copy2(checks_dir / ex / name, unit / name)


def _write_stubs(solutions_dir: Path, target: Path, exercises=None):
    from grader.devtools.stubs import make_stub_source

    target.mkdir(parents=True, exist_ok=True)
    for ex in (EXERCISES.values() if exercises is None else [EXERCISES[e] for e in exercises]):
        source = (solutions_dir / ex.filename).read_text(encoding="utf-8")
        stub = make_stub_source(source, filename=str(solutions_dir / ex.filename))
        (target / ex.filename).write_text(stub, encoding="utf-8")


def _readme() -> str:
    parts = [t("release.readme", lang, version=__version__).strip() for lang in config.LANGUAGES]
    return ("# dl-grader: ejercicios / exercises\n\n"
            + "\n\n---\n\n".join(parts) + "\n")


def _write_assignment(assignment, folder: Path):
    """``folder`` (grader/assignments of a bundle or archive) keeps only this assignment."""
    for old in folder.glob("*.toml"):
        old.unlink()
    path = assignment.path or (config.PACKAGE_DIR / "assignments" / f"{assignment.name}.toml")
    shutil.copy2(path, folder / f"{assignment.name}.toml")


def build_bundle(root: Path, *, solutions_dir: Path, checks_dir: Path,
                 langs=config.LANGUAGES, assignment=None,
                 install_from: str | None = None) -> None:
    """Write the bundle's files of ``assignment`` (default 1) into the (empty) folder ``root``."""
    from grader.assignments import get
    from grader.notebooks.build import write_assignment_notebooks, write_notebooks
    from grader.release.wheel import build_wheel

    chosen = get(assignment)
    _write_stubs(solutions_dir, root / "exercises", chosen.exercises)
    shutil.copytree(config.PACKAGE_DIR, root / "grader",
                    ignore=_ignore_instructor_only(config.PACKAGE_DIR))
    _write_assignment(chosen, root / "grader" / "assignments")
    _copy_public_checks(checks_dir, root / "grader" / "suites", units_of(chosen))
    shutil.copytree(root / "exercises", root / "grader" / "notebooks" / "stubs")
    write_notebooks(root / "notebooks", langs=langs, exercises=chosen.exercises,
                    source_dir=root / "exercises", assignment=chosen)
    write_assignment_notebooks(root / "assignments", assignments=[chosen], langs=langs,
                               source_dir=root / "exercises", install_from=install_from)
    (root / "README.md").write_text(_readme(), encoding="utf-8")
    build_wheel(root / "grader", root / "dist", readme=_readme())
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=__version__), encoding="utf-8")
    (root / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (root / BUNDLE_MARKER).write_text(json.dumps({"format": "dl-grader-bundle/1",
                                                  "version": __version__,
                                                  "assignment": chosen.name}) + "\n",
                                      encoding="utf-8")


def release(out_dir: Path | str, *, force: bool = False, solutions_dir: Path | str | None = None,
            checks_dir: Path | str | None = None, langs=config.LANGUAGES,
            assignment=None, install_from: str | None = None) -> Bundle:
    """Build the student bundle into ``out_dir`` (see the module docstring).

    Inputs:
    - out_dir: a new or empty folder; with ``force``, a folder holding an earlier bundle.
    - solutions_dir / checks_dir: default grader.config.SOLUTIONS_DIR / CHECKS_DIR.
    - assignment: the assignment released ("1", "2", ... or an instructor's TOML path;
      default 1).
    - install_from: where students install the wheel from (a URL or path of the
      .whl, a Drive link, a page listing it); the assignment notebook's first cell
      installs from there, or says what to ask for when None.
    Returns: a Bundle (its path, files and notebooks).
    Raises GraderError when the solutions are absent (e.g. inside a bundle),
    when out_dir is in use, or when solution code would reach the bundle.
    """
    from grader.assignments import lookup

    chosen = lookup(assignment)
    solutions = Path(solutions_dir or config.SOLUTIONS_DIR)
    checks = Path(checks_dir or config.CHECKS_DIR)
    if not all((solutions / EXERCISES[ex].filename).is_file() for ex in units_of(chosen)):
        raise GraderError("error.release_no_solutions", path=str(solutions))
    for ex in units_of(chosen):
        if not (checks / ex / "public.py").is_file():
            raise GraderError("error.export_missing", what=f"{ex}/public.py", path=str(checks))
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not force:
            raise GraderError("error.release_out_not_empty", path=str(out))
        if not (out / BUNDLE_MARKER).is_file():
            raise GraderError("error.release_not_a_bundle", path=str(out), marker=BUNDLE_MARKER)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(0o755)
    try:
        build_bundle(staging, solutions_dir=solutions, checks_dir=checks, langs=langs,
                     assignment=chosen, install_from=install_from)
        leaks = find_solution_leaks(staging, solutions)
        if leaks:
            where = "; ".join(f"{f}: {origin}" for f, _, origin in leaks[:5])
            raise GraderError("error.release_leak", where=where)
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    return Bundle(path=out, files=files, notebooks=[f for f in files if f.endswith(".ipynb")],
                  wheel=next((out / f for f in files if f.endswith(".whl")), None))
