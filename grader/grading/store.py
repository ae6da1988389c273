"""The output folder's memory: the run's seed and every finished submission.

``<out>/.grader/run.json`` holds the seed of the run (so that a run started
again after a crash, or with more submissions, keeps it) and
``<out>/.grader/results/<key>.json`` one finished submission each, written
atomically the moment it is graded. ``key`` digests everything the grade
depends on: the student's files, the seed, the limits and a fingerprint of
the grader (rubric, checks, reference, engine, sandbox). A run killed at any
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
    """A digest of every file that can change a grade."""
    h = hashlib.sha256(__version__.encode())
    roots = [
        (config.PACKAGE_DIR, ["config.py", "exercises.py", "rubric.py", "reference.py"]),
        (config.PACKAGE_DIR / "assignments", None),
        (config.PACKAGE_DIR / "checks", None), (config.PACKAGE_DIR / "sandbox", None),
        (config.PACKAGE_DIR / "mutants", None), (config.PACKAGE_DIR / "grade", ["judge.py"]),
        (config.PACKAGE_DIR / "baseline", None),
        (config.SOLUTIONS_DIR, None), (config.CHECKS_DIR, None),
    ]
    for folder, names in roots:
        if not folder.is_dir():
            continue
        files = ([folder / n for n in names] if names else
                 sorted(p for p in folder.rglob("*") if p.suffix in (".py", ".json", ".ini",
                                                                      ".toml")
                        and "__pycache__" not in p.parts))
        for path in files:
            if path.is_file():
                h.update(str(path.relative_to(config.PACKAGE_DIR.parent)).encode() + b"\0")
                h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


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
