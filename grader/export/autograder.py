"""What runs on Gradescope for every submission: ``python -m grader.export.autograder``.

1. Collect the student's exercise modules from ``ROOT/submission``: ``<exercise>.py``
   files, the zip that ``grader submit`` writes, notebooks (``*.ipynb``, read as
   text, never run), at any depth; Mac/Jupyter clutter is ignored. A .py file wins
   over a notebook holding the same module (unless it is the untouched stub), the
   shallowest over deeper ones.
2. Grade them like ``grader grade``: the suites (public, hidden, keras), the seed (and an
   optional ``call_timeout_s``) from ``autograder.json``, the student's code in the
   sandbox (which may not open ``ROOT/source`` nor ``ROOT/results``), each
   exercise's dependencies replaced by the reference.
3. Write ``ROOT/results/results.json`` in Gradescope's format (see
   docs/release-and-export.md): one test per check, hidden checks with the
   configured visibility, feedback in the configured language.

The results file is written last, atomically, so whatever the student's code
tried to write there is replaced.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from grader import config
from grader.atomic import atomic_write_text
from grader.errors import GraderError
from grader.exercises import EXERCISES
from grader.i18n import t

# Limits on what is read from a submission (a zip bomb or a huge upload is skipped).
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_FILES = 500
MAX_ZIP_TOTAL_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 6
_CLUTTER = ("__MACOSX", ".ipynb_checkpoints", "__pycache__", ".git")


@dataclass
class Collected:
    """The modules found in a submission, where each came from, and what was skipped."""

    files: dict = field(default_factory=dict)       # "sgd.py" -> bytes
    origins: dict = field(default_factory=dict)     # "sgd.py" -> "sub/sgd.ipynb"
    notes: list = field(default_factory=list)       # (message key, params)


def _entries_of_tree(root: Path, collected: Collected):
    """``(relative path, read())`` of the submission's files, clutter and oversize left out."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        depth = len(here.relative_to(root).parts)
        dirnames[:] = sorted(d for d in dirnames if d not in _CLUTTER and not d.startswith(".")
                             and depth < MAX_DEPTH)
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            count += 1
            if count > MAX_FILES:
                return
            rel = path.relative_to(root).as_posix()
            if path.stat().st_size > MAX_FILE_BYTES:
                collected.notes.append(("autograder.skipped_file",
                                        {"file": rel, "reason": "autograder.too_large"}))
                continue
            yield rel, path.read_bytes


def _entries_of_zip(label: str, data: bytes, collected: Collected):
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        collected.notes.append(("autograder.skipped_file",
                                {"file": label, "reason": "autograder.bad_zip"}))
        return
    if len(infos) > MAX_FILES or sum(i.file_size for i in infos) > MAX_ZIP_TOTAL_BYTES:
        collected.notes.append(("autograder.skipped_file",
                                {"file": label, "reason": "autograder.too_large"}))
        return
    for info in infos:
        name = info.filename.replace("\\", "/")
        parts = [p for p in name.split("/") if p]
        if name.startswith("/") or ".." in parts or not parts:
            collected.notes.append(("autograder.skipped_file",
                                    {"file": label, "reason": "autograder.unsafe_member"}))
            return
        if any(p in _CLUTTER or p.startswith(".") for p in parts):
            continue
        if info.file_size > MAX_FILE_BYTES:
            continue
        yield f"{label}/{'/'.join(parts)}", (lambda info=info: zf.read(info))


def collect_submission(folder: Path | str, stubs: dict | None = None) -> Collected:
    """The exercise modules of a submission folder (see the module docstring).

    ``stubs`` (``{"sgd.py": bytes}``): a .py file equal to its untouched stub
    comes after notebooks, so that a whole uploaded repository whose student
    worked in the notebooks is graded on the notebooks.
    """
    from grader.notebooks.extract import MODULES_DIR, modules_from_notebook_bytes

    collected = Collected()
    folder = Path(folder)
    if not folder.is_dir():
        return collected
    entries = []
    for rel, read in _entries_of_tree(folder, collected):
        if rel.lower().endswith(".zip"):
            entries.extend(_entries_of_zip(rel, read(), collected))
        else:
            entries.append((rel, read))

    def depth(entry):
        return (entry[0].count("/"), entry[0])

    filenames = {ex.filename for ex in EXERCISES.values()}
    python = [e for e in entries if e[0].rsplit("/", 1)[-1] in filenames]
    derived = [e for e in python if f"{MODULES_DIR}/" in e[0]]       # written by check cells
    python = [e for e in python if e not in derived]
    notebooks = [e for e in entries if e[0].lower().endswith(".ipynb")]

    def take(filename, rel, data):
        if filename not in collected.files:
            collected.files[filename] = data
            collected.origins[filename] = rel

    untouched = []
    for rel, read in sorted(python, key=depth):
        name, data = rel.rsplit("/", 1)[-1], read()
        if stubs and stubs.get(name) == data:
            untouched.append((rel, name, data))
        else:
            take(name, rel, data)
    for rel, read in sorted(notebooks, key=depth):
        try:
            found = modules_from_notebook_bytes(read(), rel.rsplit("/", 1)[-1])
        except GraderError as exc:
            collected.notes.append(("autograder.skipped_file",
                                    {"file": rel, "message": (exc.key, exc.params)}))
            continue
        for filename, data in found.items():
            take(filename, rel, data)
    for rel, read in sorted(derived, key=depth):
        take(rel.rsplit("/", 1)[-1], rel, read())
    for rel, name, data in untouched:
        take(name, rel, data)
    _add_helper_modules(collected, entries)
    return collected


def _add_helper_modules(collected: Collected, entries):
    """The student's own modules that the exercise files import, from the folders those came
    from, with the rules of `grader grade` (grader/ingest/extras.py); refusals become notes."""
    from grader.ingest import extras

    folders = {rel.rpartition("/")[0] for rel in collected.origins.values()}
    found, problems, origin = extras.select_beside(
        collected.files, [(rel, extras.bounded_reader(read, rel)) for rel, read
                          in sorted(entries, key=lambda e: (e[0].count("/"), e[0]))],
        folders, extras.check_text)
    for name, data in found.items():
        if name not in collected.files:
            collected.files[name] = data
            collected.origins[name] = origin[name]
    collected.notes.extend((p.key, dict(p.params)) for p in problems)


def reference_stubs() -> dict:
    """The untouched stubs, made from the reference the autograder holds."""
    from grader.devtools.stubs import make_stub_source

    out = {}
    for ex in EXERCISES.values():
        path = config.SOLUTIONS_DIR / ex.filename
        if path.is_file():
            out[ex.filename] = make_stub_source(path.read_text(encoding="utf-8"),
                                                filename=str(path)).encode("utf-8")
    return out


def _note_text(key: str, params: dict, lang: str) -> str:
    params = dict(params)
    if "message" in params:                   # a GraderError: (key, params)
        inner_key, inner = params.pop("message")
        params["reason"] = t(inner_key, lang, **inner)
    elif isinstance(params.get("reason"), str) and params["reason"].startswith("autograder."):
        params["reason"] = t(params["reason"], lang)
    return t(key, lang, **params)


def gradescope_results(results, *, lang: str, hidden_visibility: str, notes=(),
                       execution_time: float = 0.0, extra=None) -> dict:
    """Gradescope's results.json for one graded submission (documented fields only)."""
    tests, numbers = [], {}
    order = list(dict.fromkeys(c.exercise for c in results.checks))   # the assignment's order
    for c in results.checks:
        numbers[c.exercise] = numbers.get(c.exercise, 0) + 1
        status = t(f"status.{c.status}", lang)
        tests.append({
            "name": f"{c.exercise}: {c.title.get(lang, c.id)}",
            "name_format": "text",
            "number": f"{order.index(c.exercise) + 1}.{numbers[c.exercise]}",
            "score": c.points,
            "max_score": c.max_points,
            "status": "passed" if c.status == "passed" and c.points >= c.max_points else "failed",
            "output": (status + "\n" + c.student_message(lang)).strip(),   # hidden: the judge's
            "output_format": "text",
            "tags": [c.exercise, c.suite, c.status],
            "visibility": hidden_visibility if c.hidden else "visible",
            # the diagnosis of a failing check (named mistake, symptom or rule), for reports
            "extra_data": {"status": c.status, "diagnosis": c.diagnosis},
        })
        if not c.ran:           # could not run here: neither passed nor failed
            del tests[-1]["status"]
            tests[-1]["max_score"] = 0.0
            tests[-1]["extra_data"]["points"] = c.max_points
    return {
        "score": results.score,
        "execution_time": round(execution_time, 3),
        "output": "\n".join(notes),
        "output_format": "text",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": {"seed": results.seed, "max_score": results.max_score,
                       "exercise_scores": {ex: list(v) for ex, v in
                                           results.exercise_scores().items()},
                       **(extra or {})},
        "tests": tests,
    }


def _write_json(path: Path, doc: dict):
    atomic_write_text(path, json.dumps(doc, indent=2, ensure_ascii=False))


def run(root: Path | str, settings: dict) -> dict:
    """Grade ``root/submission``, write ``root/results/results.json``, return its content."""
    from grader.checks.engine import run_checks
    from grader.checks.results import Results
    from grader.rubric import load_rubric

    started = time.monotonic()
    root = Path(root).resolve()
    lang = settings.get("lang", config.DEFAULT_LANGUAGE)
    seed = int(settings.get("seed", 0))
    visibility = settings.get("hidden_visibility", "after_published")
    suites = tuple(settings.get("suites", ("public", "hidden")))
    rubric = load_rubric(settings.get("assignment"))
    exercises = rubric.exercises
    collected = collect_submission(root / "submission", stubs=reference_stubs())
    notes = [_note_text(key, params, lang) for key, params in collected.notes]
    if collected.files:
        notes.insert(0, t("autograder.graded_files", lang, files=", ".join(
            f"{name} ({collected.origins[name]})" for name in sorted(collected.files))))
        forbidden = [str(p) for p in (config.SOLUTIONS_DIR, config.CHECKS_DIR, config.PACKAGE_DIR,
                                      root / "source", root / "results")]
        limits = None
        if settings.get("call_timeout_s"):
            from grader.sandbox.runner import SandboxLimits

            limits = SandboxLimits(call_timeout_s=float(settings["call_timeout_s"]))
        results = run_checks(collected.files, exercises=exercises, suites=suites, lang=lang,
                             seed=seed, graded=True, forbidden_roots=forbidden, limits=limits,
                             assignment=rubric.assignment)
    else:
        notes.insert(0, t("autograder.no_files", lang, expected=", ".join(
            ex.filename for ex in EXERCISES.values())))
        results = run_checks({}, exercises=exercises, suites=suites, lang=lang, seed=seed,
                             graded=True, assignment=rubric.assignment)
    hidden = sum(i.points for i in rubric.items.values() if i.hidden)
    if hidden and visibility != "visible":
        notes.append(t("autograder.hidden_note", lang, points=hidden))
    assert isinstance(results, Results)
    doc = gradescope_results(results, lang=lang, hidden_visibility=visibility, notes=notes,
                             execution_time=time.monotonic() - started,
                             extra={"files": collected.origins,
                                    "grader_package": str(config.PACKAGE_DIR)})
    _write_json(root / "results" / "results.json", doc)
    return doc


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.export.autograder",
                                     description="Grade one Gradescope submission.")
    parser.add_argument("--root", type=Path, default=Path(os.environ.get("AUTOGRADER_ROOT",
                                                                         "/autograder")))
    parser.add_argument("--config", type=Path, default=None,
                        help="autograder.json (default: ROOT/source/autograder.json)")
    args = parser.parse_args(argv)
    settings_path = args.config or args.root / "source" / "autograder.json"
    settings = json.loads(settings_path.read_text(encoding="utf-8"))
    doc = run(args.root, settings)
    print(f"score {doc['score']:g}: {len(doc['tests'])} checks, "
          f"results in {args.root / 'results' / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
