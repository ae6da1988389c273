"""The Gradescope autograder archive (``grader export gradescope OUT.zip``).

Gradescope unzips the archive into /autograder/source, runs ``setup.sh`` once
when it builds the image, then ``run_autograder`` for every submission, which
must leave /autograder/results/results.json. The archive holds::

    setup.sh            installs Python >= 3.11 and the grader (with TensorFlow's CPU
                        build, for the Keras checks) into /autograder/venv, and caches
                        the Keras baseline in /autograder/cache
    run_autograder      grades /autograder/submission (python -m grader.export.autograder)
    autograder.json     seed of the hidden checks, language, visibility of hidden checks,
                        the suites graded, the assignment (name, title, exercises)
    dl-grader/          the grader package (grader/assignments holding only the exported
                        assignment's TOML), tests/checks (the exercise units of the
                        assignment and of the exercises they depend on: public, hidden and
                        keras checks, golden values, mistakes, texts), solutions/ (their
                        reference) and a pyproject.toml

``AUTOGRADER_ROOT`` (default /autograder) moves the whole tree, so the same
script runs against a temporary folder in the tests; ``GRADER_PYTHON`` picks
the interpreter (default: the venv that setup.sh made).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from grader import __version__, config
from grader.atomic import atomic_write_bytes, zip_bytes
from grader.errors import GraderError
from grader.exercises import EXERCISES
from grader.i18n import resolve_lang

CONFIG_NAME = "autograder.json"
PROJECT_DIR = "dl-grader"
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
# The check suites graded, in this order, when the rubric has checks in them.
SUITES = ("public", "hidden", "keras")

SETUP_SH = """\
#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
# It installs Python >= 3.11 if the image lacks it, then the grader into a venv.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${AUTOGRADER_ROOT:-/autograder}"
export DEBIAN_FRONTEND=noninteractive

PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null 2>&1 \\
     && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    PY="$candidate"
    break
  fi
done
if [ -z "$PY" ]; then
  apt-get update
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PY=python3.11
fi
if ! "$PY" -c 'import ensurepip' >/dev/null 2>&1; then
  apt-get update
  apt-get install -y --no-install-recommends "$(basename "$PY")-venv" || \\
    apt-get install -y --no-install-recommends python3-venv
fi
"$PY" -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --upgrade pip
"$ROOT/venv/bin/python" -m pip install -e "$SOURCE/dl-grader[keras]"
# Keras's results for the Keras checks, computed once here instead of per submission.
export DL_GRADER_CACHE="${DL_GRADER_CACHE:-$ROOT/cache}"
(cd "$SOURCE/dl-grader" && "$ROOT/venv/bin/python" -c \
  'from grader.baseline.suite import warm_cache; warm_cache()') || \
  echo "warning: the Keras baseline could not be cached; Keras checks will compute it" >&2
"""

RUN_AUTOGRADER = """\
#!/usr/bin/env bash
# Gradescope runs this for every submission: it grades $ROOT/submission with the
# public and hidden checks and writes $ROOT/results/results.json.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
PYTHON="${GRADER_PYTHON:-$ROOT/venv/bin/python}"
export DL_GRADER_CACHE="${DL_GRADER_CACHE:-$ROOT/cache}"
cd "$SOURCE/dl-grader"
export PYTHONPATH="$SOURCE/dl-grader"
exec "$PYTHON" -m grader.export.autograder --root "$ROOT" --config "$SOURCE/autograder.json"
"""

PYPROJECT = """\
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "dl-grader"
version = "{version}"
description = "dl-grader, packaged as a Gradescope autograder"
requires-python = ">=3.11"
dependencies = ["numpy>=1.24", "pytest>=7.4", "click>=8.1", "nbformat>=5.9"]

[project.optional-dependencies]
keras = ["tensorflow-cpu>=2.16"]

[project.scripts]
grader = "grader.cli:main"

[tool.setuptools.packages.find]
include = ["grader*"]
"""

# Parts of the package the autograder does not need.
_SKIP_PACKAGE = ("suites", "notebooks/stubs", "data/samples")


@dataclass
class Archive:
    """What `grader export gradescope` wrote."""

    path: Path
    seed: int
    checks: int          # rubric checks graded (public + hidden)
    members: list


def _package_files(package_dir: Path) -> dict[str, Path]:
    skipped = [package_dir / part for part in _SKIP_PACKAGE]
    out = {}
    for path in sorted(package_dir.rglob("*")):
        if (not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc"
                or any(path == s or s in path.parents for s in skipped)):
            continue
        out[f"{PROJECT_DIR}/grader/{path.relative_to(package_dir).as_posix()}"] = path
    return out


def _checks_files(checks_dir: Path, exercises) -> dict[str, Path]:
    """conftest.py, pytest-checks.ini and the whole unit folder of every exercise."""
    out = {}
    for name in ("conftest.py", "pytest-checks.ini"):
        out[f"{PROJECT_DIR}/tests/checks/{name}"] = checks_dir / name
    for ex in exercises:
        for path in sorted((checks_dir / ex).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                rel = path.relative_to(checks_dir).as_posix()
                out[f"{PROJECT_DIR}/tests/checks/{rel}"] = path
    return out


def write_archive(target: Path, members: dict[str, bytes], executable=()):
    """A zip written atomically, with Unix modes (scripts executable)."""
    atomic_write_bytes(target, zip_bytes(members, executable))


def export_gradescope(out: Path | str, *, seed: int | None = None, lang: str | None = None,
                      hidden_visibility: str = "after_published", assignment=None) -> Archive:
    """Write the Gradescope autograder archive to ``out`` (a .zip).

    Inputs:
    - seed: seed of the hidden checks' inputs, the same for every submission so
      that a regrade gives the same marks (default: drawn now, recorded in the archive).
    - lang: language of the feedback students read on Gradescope.
    - hidden_visibility: when students see the hidden checks' results.
    - assignment: the assignment graded ("1", "2", ... or an instructor's TOML path;
      default 1).
    Returns: an Archive (path, seed, number of checks, member names).
    """
    from grader.assignments import lookup, units_of
    from grader.rubric import load_rubric

    target = Path(out)
    if target.suffix.lower() != ".zip":
        raise GraderError("error.export_not_zip", path=str(target))
    if hidden_visibility not in VISIBILITIES:
        raise ValueError(hidden_visibility)
    chosen = lookup(assignment)
    rubric = load_rubric(chosen)
    units = units_of(chosen)
    suites = [s for s in SUITES if any(i.suite == s for i in rubric.items.values())]
    solutions, checks = config.SOLUTIONS_DIR, config.CHECKS_DIR
    if not solutions.is_dir():
        raise GraderError("error.export_missing", what="solutions/", path=str(solutions))
    exercises = [EXERCISES[name] for name in units]
    for ex in exercises:
        if not (checks / ex.name / "exercise.toml").is_file():
            raise GraderError("error.export_missing", what=f"tests/checks/{ex.name}/",
                              path=str(checks / ex.name))
    for ex in exercises:
        if not (solutions / ex.filename).is_file():
            raise GraderError("error.export_missing", what=ex.filename, path=str(solutions))
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    settings = {"format": "dl-grader-autograder/1", "grader_version": __version__, "seed": seed,
                "lang": resolve_lang(lang), "hidden_visibility": hidden_visibility,
                "suites": suites, "assignment": chosen.name,
                "assignment_title": dict(chosen.title), "exercises": list(chosen.exercises)}
    paths = _package_files(config.PACKAGE_DIR)
    paths = {k: v for k, v in paths.items()
             if not k.startswith(f"{PROJECT_DIR}/grader/assignments/") or not k.endswith(".toml")}
    source = chosen.path or (config.PACKAGE_DIR / "assignments" / f"{chosen.name}.toml")
    paths[f"{PROJECT_DIR}/grader/assignments/{chosen.name}.toml"] = source
    paths.update(_checks_files(checks, units))
    for ex in exercises:
        paths[f"{PROJECT_DIR}/solutions/{ex.filename}"] = solutions / ex.filename
    members = {name: path.read_bytes() for name, path in paths.items()}
    members.update({
        "setup.sh": SETUP_SH.encode(),
        "run_autograder": RUN_AUTOGRADER.encode(),
        CONFIG_NAME: (json.dumps(settings, indent=2) + "\n").encode(),
        f"{PROJECT_DIR}/pyproject.toml": PYPROJECT.format(version=__version__).encode(),
    })
    write_archive(target, members, executable=("setup.sh", "run_autograder"))
    return Archive(path=target, seed=seed, checks=len(rubric.items), members=sorted(members))
