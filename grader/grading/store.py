"""The output folder's memory: the run's seed and every finished submission.

``<out>/.grader/run.json`` holds the seed of the run (so that a run started
again after a crash, or with more submissions, keeps it) and
``<out>/.grader/results/<key>.json`` one finished submission each, written
atomically the moment it is graded. ``key`` digests everything the grade
depends on: the student's files, the seed, the limits and a fingerprint of
the grader (its whole package, the checks, solutions and stubs). A run killed at any
moment (even ``kill -9``) and started again grades only what is missing, and
an unchanged submission is never graded twice.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import lru_cache
from pathlib import Path

from grader import __version__, config
from grader.atomic import atomic_write_text, remove_stale_temporaries

STATE_DIR = ".grader"
RUN_FILE = "run.json"
RESULTS_DIR = "results"


@lru_cache(maxsize=1)
def grader_fingerprint() -> str:
    """A digest of every file that can change a grade: the whole grader package (its
    code, catalogs and data: whatever a subpackage is called or renamed to, a change of
    the judge's code is a change here), the reference solutions, the stubs and the
    checks. A stored grade is reused only under the same fingerprint, so a re-run after
    any such change grades again (caches, hidden files and compiled files left out)."""
    h = hashlib.sha256(__version__.encode())
    roots = [("grader", config.PACKAGE_DIR), ("solutions", config.SOLUTIONS_DIR),
             ("exercises", config.EXERCISES_DIR), ("checks", config.CHECKS_DIR)]
    for label, folder in roots:
        for path in _judge_files(folder):
            h.update(f"{label}/{path.relative_to(folder).as_posix()}".encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _judge_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    out = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if any(p == "__pycache__" or p.startswith(".") for p in parts):
            continue
        if path.suffix in (".pyc", ".pyo") or not path.is_file():
            continue
        out.append(path)
    return sorted(out)


class RunStore:
    """The state kept in ``<out>/.grader``."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.root = self.out / STATE_DIR
        self.results = self.root / RESULTS_DIR

    def open(self) -> "RunStore":
        self.results.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(self.out)
        remove_stale_temporaries(self.root)
        remove_stale_temporaries(self.results)
        return self

    def seed(self, requested: int | None) -> int:
        """The run's seed: the one asked for, else the one recorded, else a fresh one."""
        run_file = self.root / RUN_FILE
        recorded = None
        if run_file.is_file():
            try:
                recorded = int(json.loads(run_file.read_text(encoding="utf-8"))["seed"])
            except (ValueError, KeyError, TypeError, OSError):
                recorded = None
        seed = requested if requested is not None else (
            recorded if recorded is not None else secrets.randbelow(2**31))
        if seed != recorded:
            atomic_write_text(run_file, json.dumps({"seed": seed, "grader_version": __version__},
                                                   indent=2) + "\n")
        return int(seed)

    def key(self, files_digest: str, seed: int, settings: dict) -> str:
        h = hashlib.sha256()
        h.update(grader_fingerprint().encode())
        h.update(files_digest.encode())
        h.update(str(int(seed)).encode())
        h.update(json.dumps(settings, sort_keys=True).encode())
        return h.hexdigest()[:40]

    def load(self, key: str) -> dict | None:
        path = self.results / f"{key}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) and "checks" in record else None

    def save(self, key: str, record: dict):
        atomic_write_text(self.results / f"{key}.json",
                          json.dumps(record, sort_keys=True, ensure_ascii=False) + "\n")
