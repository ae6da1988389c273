"""Recognizing who handed in what: submit archives, folders, Moodle and Canvas downloads.

Every input (a folder, a zip, or loose LMS-named files) becomes a :class:`Tree`
(archive.py); ``discover`` classifies it:

- a `grader submit` archive, or any folder / zip holding the exercise files
  (directly, or in one folder inside): ONE student, identified by the
  manifest's student_id, else by the folder's / archive's name;
- Moodle's "Download all submissions": folders (or flat files) named
  ``Full Name_123456_assignsubmission_file_``; identity from the name
  (123456 is Moodle's participant number, the one its grading worksheet uses);
- Canvas's bulk download: flat files ``lastfirst_userid_submissionid_file``
  (``_late_`` may follow the name; a resubmitted file gets ``-1``, ``-2``
  before its extension, and the highest number is the latest);
- anything else: a class folder / zip, each subfolder or zip in it one student.

Inside one student's files: the exercise modules (shallowest copy wins), else
a single zip in them (e.g. the `grader submit` archive uploaded to Moodle),
else the exercise cells of their notebooks (read, never run), else nothing to
grade.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path, PurePosixPath

from grader import config
from grader.exercises import EXERCISES
from grader.ingest import extras
from grader.ingest.archive import Entry, Tree, bomb_problem, tree_from_dir, tree_from_zip
from grader.ingest.model import ArchiveProblem, Problem, Submission
from grader.ingest.notebooks import (NotebookProblem, NotebookUnsupported, capped,
                                     notebook_to_modules)

EXERCISE_FILES = tuple(ex.filename for ex in EXERCISES.values())
MOODLE_DIR = re.compile(r"^(?P<name>[^_]*)_(?P<pid>\d+)_assign(?:submission)_(?P<plugin>[a-z]+)_?$")
MOODLE_FLAT = re.compile(r"^(?P<name>[^_]*)_(?P<pid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_"
                         r"(?P<file>.+)$")
CANVAS = re.compile(r"^(?P<name>[A-Za-z0-9-]*?)(?:_late)?_(?P<uid>\d+)_(?P<sid>\d+)_(?P<file>.+)$",
                    re.IGNORECASE)
CANVAS_COPY = re.compile(r"^(?P<stem>.+?)-(?P<n>\d+)(?P<ext>\.[A-Za-z0-9]+)$")
BLIND_NAMES = {"participant", "participante", ""}
SAFE_ID = re.compile(r"[^A-Za-z0-9._@+-]+")


SUBMIT_PREFIX = "submission-"       # `grader submit` names its archive submission-<id>.zip


def clean_id(text: str) -> str:
    """A student id usable in a file name and a CSV cell."""
    cleaned = SAFE_ID.sub("_", str(text).strip()).strip("._-+@") or "unknown"
    return cleaned[:80]


def name_id(stem: str) -> str:
    """The id a folder or archive name gives (``submission-ana`` -> ``ana``)."""
    if stem.lower().startswith(SUBMIT_PREFIX) and len(stem) > len(SUBMIT_PREFIX):
        stem = stem[len(SUBMIT_PREFIX):]
    return stem


def ingest_failure(label: str, exc: BaseException) -> Problem:
    """The reason of a hand-in that could not be read because of something unexpected."""
    return Problem("batch.reason.ingest_failed", {"path": label, "error": type(exc).__name__})


def files_digest(files: dict, problems: dict) -> str:
    h = hashlib.sha256()
    for name in sorted(set(files) | set(problems)):
        data = files.get(name)
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256(data).hexdigest().encode() if data is not None else b"-")
        h.update(b"\n")
    return h.hexdigest()


# -- one student's entries -> files ------------------------------------------------------------

def _check_source(name: str, data: bytes) -> Problem | None:
    if not data.strip():
        return Problem("grading.reason.empty_file", {"file": name})
    head = b"\n".join(data.split(b"\n", 2)[:2])
    if re.search(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", head, re.MULTILINE):
        return None                       # a PEP 263 declaration: Python decides
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return Problem("grading.reason.not_utf8", {"file": name, "line": line})
    return None


class StudentFiles:
    """What one student's entries hold (the result of :func:`collect`)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.problems: dict[str, Problem] = {}
        self.notes: list[Problem] = []
        self.manifest: dict | None = None
        self.rejected: Problem | None = None
        self.timestamp = 0.0
        self.claimed_time: float | None = None
        self.archive_sha256: str | None = None


def _shallowest(candidates: list[Entry]) -> tuple[Entry | None, bool]:
    """The shallowest entry, and whether another one sits at the same depth."""
    candidates = sorted(candidates, key=lambda e: (e.depth, e.path))
    if not candidates:
        return None, False
    tie = len(candidates) > 1 and candidates[1].depth == candidates[0].depth
    return candidates[0], tie


def collect(tree: Tree, *, depth: int = 0) -> StudentFiles:
    """The exercise files among one student's entries (see the module docstring)."""
    out = StudentFiles()
    entries = list(tree.entries)
    bomb = bomb_problem(entries, tree.label)
    if bomb is not None:
        out.rejected = bomb
        return out
    try:
        _collect_into(out, tree, entries, depth)
    except ArchiveProblem as exc:
        out.rejected = exc.problem
    except RecursionError:
        out.rejected = Problem("grading.reason.nested_too_deep", {
            "path": tree.label, "limit": config.MAX_ARCHIVE_DEPTH})
    except Exception as exc:  # noqa: BLE001 - one hand-in never stops the batch
        out.rejected = ingest_failure(tree.label, exc)
    return out


def _collect_into(out: StudentFiles, tree: Tree, entries: list, depth: int):
    by_name: dict[str, list] = {}
    lowered: dict[str, list] = {}
    for e in entries:
        by_name.setdefault(e.name, []).append(e)
        lowered.setdefault(e.name.lower(), []).append(e)
    manifest_entry, _ = _shallowest(by_name.get(config.MANIFEST_NAME, []))
    found_any = False
    chosen: list[Entry] = []
    for filename in EXERCISE_FILES:
        candidates = by_name.get(filename) or []
        renamed = False
        if not candidates and lowered.get(filename):
            candidates, renamed = lowered[filename], True
        entry, tie = _shallowest(candidates)
        if entry is None:
            continue
        found_any = True
        if tie:
            out.problems[filename] = Problem("grading.reason.ambiguous_file", {
                "file": filename, "paths": ", ".join(e.path for e in candidates[:3])})
            continue
        if renamed:
            out.notes.append(Problem("grading.note.renamed_file", {"file": entry.path,
                                                                   "expected": filename}))
        try:
            data = entry.read(config.MAX_SOURCE_FILE_BYTES)
        except ArchiveProblem as exc:
            out.problems[filename] = exc.problem
            continue
        problem = _check_source(filename, data)
        if problem is not None:
            out.problems[filename] = problem
            continue
        out.files[filename] = data
        chosen.append(entry)
        out.timestamp = max(out.timestamp, entry.mtime)
    if chosen:
        _add_extras(out, entries, chosen)
    if manifest_entry is not None and (found_any or depth > 0):
        _read_manifest(out, manifest_entry)
    if found_any:
        out.archive_sha256 = tree.archive_sha256
        # (a `grader submit` archive keeps the notebooks its modules came from in notebooks/)
        for nb in sorted(e.path for e in entries if e.name.lower().endswith(".ipynb")
                         and not e.path.startswith("notebooks/"))[:3]:
            out.notes.append(Problem("grading.note.notebook_ignored", {"file": nb}))
        return
    zips = [e for e in entries if e.name.lower().endswith(".zip")]
    if len(zips) == 1:
        inner = tree_from_zip(zips[0].read(config.MAX_SUBMISSION_BYTES), zips[0].origin,
                              depth=depth + 1)
        nested = collect(_unwrap(inner), depth=depth + 1)
        nested.timestamp = nested.timestamp or zips[0].mtime
        out.__dict__.update(nested.__dict__)
        if out.archive_sha256 is None and not out.rejected:
            out.archive_sha256 = inner.archive_sha256
        return
    notebooks = sorted((e for e in entries if e.name.lower().endswith(".ipynb")),
                       key=lambda e: (e.depth, e.path))
    notebook_problems = []
    for nb in notebooks:
        try:
            modules = notebook_to_modules(nb.read(config.MAX_NOTEBOOK_BYTES), nb.path)
        except NotebookProblem as exc:           # this notebook cannot be read
            notebook_problems.append(exc.problem)
            continue
        except NotebookUnsupported:               # no notebook extractor installed
            notebook_problems.append(Problem("grading.reason.notebook_unsupported",
                                             {"file": nb.path}))
            continue
        modules, too_large = capped(modules, nb.path)      # extracted modules: capped as files
        for filename, problem in too_large.items():
            if filename in EXERCISE_FILES and filename not in out.files:
                out.problems.setdefault(filename, problem)
        for filename, data in modules.items():
            if filename in EXERCISE_FILES and filename not in out.files:
                problem = _check_source(filename, data)
                if problem is None:
                    out.files[filename] = data
                else:
                    out.problems[filename] = problem
        out.timestamp = max(out.timestamp, nb.mtime)
    if out.files:
        _add_extras(out, entries, [nb for nb in notebooks if PurePosixPath(nb.path).parent
                                   == PurePosixPath(notebooks[0].path).parent])
    if out.files or out.problems:
        out.notes.extend(notebook_problems)
        return
    if notebook_problems:
        out.rejected = notebook_problems[0]
        out.notes.extend(notebook_problems[1:])
    elif len(zips) > 1:
        out.rejected = Problem("grading.reason.several_archives",
                               {"files": ", ".join(z.path for z in zips[:3])})
    else:
        out.rejected = Problem("grading.reason.no_exercise_files",
                               {"expected": ", ".join(EXERCISE_FILES)})


def _add_extras(out: StudentFiles, entries: list, beside: list):
    """The student's helper modules that the exercise files import, from the folder of
    the entries ``beside`` (see extras.py); what is left out becomes a note."""
    folders = {e.path.rpartition("/")[0] for e in beside}
    found, problems, _ = extras.select_beside(
        out.files, [(e.path, e.read) for e in sorted(entries, key=lambda e: (e.depth, e.path))],
        folders, extras.check_text)
    for filename, data in found.items():
        out.files.setdefault(filename, data)
    out.notes.extend(problems)


def _read_manifest(out: StudentFiles, entry: Entry):
    try:
        manifest = json.loads(entry.read(config.MAX_MANIFEST_BYTES).decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("student_id"), str):
            raise ValueError("no student_id")
    except (ArchiveProblem, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
        out.notes.append(Problem("grading.note.bad_manifest", {"file": entry.path}))
        return
    out.manifest = manifest
    out.claimed_time = _parse_utc(manifest.get("submitted_at_utc"))
    declared = manifest.get("files") if isinstance(manifest.get("files"), dict) else {}
    changed = sorted(name for name, data in out.files.items()
                     if name in declared and declared[name] != hashlib.sha256(data).hexdigest())
    if changed:
        out.notes.append(Problem("grading.note.manifest_mismatch", {"files": ", ".join(changed)}))


def _parse_utc(text) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        when = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    return when.timestamp()


def _unwrap(tree: Tree) -> Tree:
    """Descend into a lone top folder (``ana.zip`` holding ``ana/...``)."""
    for _ in range(3):
        tops = {PurePosixPath(e.path).parts[0] for e in tree.entries}
        files_at_root = any(len(PurePosixPath(e.path).parts) == 1 for e in tree.entries)
        if len(tops) != 1 or files_at_root:
            return tree
        inner = tree.under(next(iter(tops)))
        inner.archive_sha256 = tree.archive_sha256
        tree = inner
    return tree


def _submission(sf: StudentFiles, *, student_id: str, name: str | None, source: str,
                origin: str, lms: dict | None = None, fallback_time: float = 0.0,
                manifest_names: bool = False) -> Submission:
    """One Submission. ``student_id`` comes from the platform or the folder / archive name.

    The manifest's student_id is a claim: it names the student only when the
    hand-in was given on its own (``manifest_names``: an archive given as an
    argument, where nothing else says who it is); otherwise a different claim
    is noted, and never moves the hand-in to another student.
    """
    sid, display_name, claimed = name_id(student_id), name, None
    if sf.manifest is not None:
        claimed = clean_id(sf.manifest["student_id"])
        if manifest_names and source not in ("moodle", "canvas"):
            sid = claimed
        elif claimed != clean_id(sid):
            key = ("grading.note.manifest_other_id" if source in ("moodle", "canvas")
                   else "batch.note.manifest_claims_other_id")
            sf.notes.append(Problem(key, {"id": claimed, "named": clean_id(sid)}
                                    if key.startswith("batch.") else {"id": claimed}))
        if source not in ("moodle", "canvas"):
            source = "submit"
        if display_name is None and isinstance(sf.manifest.get("name"), str) \
                and claimed == clean_id(sid):     # a claim of someone else lends no name
            display_name = sf.manifest["name"][:200] or None
    digest = files_digest(sf.files, sf.problems)
    return Submission(student_id=clean_id(sid), source=source, origin=origin, name=display_name,
                      files=sf.files, file_problems=sf.problems, rejected=sf.rejected,
                      timestamp=sf.timestamp or fallback_time,
                      sha256=sf.archive_sha256 or digest, lms=dict(lms or {}),
                      manifest=sf.manifest, notes=sf.notes, claimed_id=claimed,
                      claimed_time=sf.claimed_time)


def _rejected(student_id: str, origin: str, problem: Problem, source: str = "folder",
              timestamp: float = 0.0) -> Submission:
    return Submission(student_id=clean_id(name_id(student_id)), source=source, origin=origin,
                      rejected=problem, timestamp=timestamp,
                      sha256=hashlib.sha256(origin.encode()).hexdigest())


# -- classifying a whole input ------------------------------------------------------------------

def _has_student_files(tree: Tree) -> bool:
    """Exercise files or a manifest at the top of the tree (a single student)."""
    for e in tree.entries:
        parts = PurePosixPath(e.path).parts
        if len(parts) == 1 and (e.name in EXERCISE_FILES or e.name == config.MANIFEST_NAME
                                or e.name.lower().endswith(".ipynb")):
            return True
    return False


def _moodle_groups(tree: Tree):
    """{(participant, name): [prefix or flat entries]} of a Moodle download, or {}."""
    groups: dict[tuple, dict] = {}
    for e in tree.entries:
        parts = PurePosixPath(e.path).parts
        m = MOODLE_DIR.match(parts[0]) if len(parts) > 1 else None
        if m:
            key = (m["pid"], m["name"])
            group = groups.setdefault(key, {"dirs": set(), "flat": []})
            if m["plugin"] == "file":
                group["dirs"].add(parts[0])
            continue
        m = MOODLE_FLAT.match(parts[-1]) if len(parts) == 1 else None
        if m:
            group = groups.setdefault((m["pid"], m["name"]), {"dirs": set(), "flat": []})
            if m["plugin"] == "file":
                group["flat"].append((m["file"], e))
    return groups


def _from_moodle(tree: Tree, groups) -> list[Submission]:
    subs = []
    for (pid, raw_name), group in sorted(groups.items()):
        name = None if raw_name.strip().lower() in BLIND_NAMES else raw_name.strip()
        entries = []
        for prefix in sorted(group["dirs"]):
            entries.extend(tree.under(prefix).entries)
        for filename, e in group["flat"]:
            entries.append(Entry(filename, e.size, e.packed, e.mtime, e.reader, e.origin))
        if not entries:
            continue                      # an online-text-only submission: nothing to grade
        origin = (f"{tree.label}{'!' if tree.archive_sha256 else '/'}"
                  f"{sorted(group['dirs'])[0] if group['dirs'] else raw_name + '_' + pid}")
        sf = collect(Tree(origin, entries))
        subs.append(_submission(sf, student_id=pid, name=name, source="moodle", origin=origin,
                                lms={"moodle_participant": pid},
                                fallback_time=max(e.mtime for e in entries)))
    return subs


def _canvas_groups(tree: Tree):
    groups: dict[str, dict] = {}
    for e in tree.entries:
        parts = PurePosixPath(e.path).parts
        if len(parts) != 1:
            continue
        m = CANVAS.match(parts[0])
        if not m:
            continue
        group = groups.setdefault(m["uid"], {"name": m["name"], "sid": m["sid"], "files": {}})
        filename, copy = m["file"], 0
        c = CANVAS_COPY.match(filename)
        if c:
            filename, copy = c["stem"] + c["ext"], int(c["n"])
        best = group["files"].get(filename)
        key = (copy, int(m["sid"]), e.mtime)
        if best is None or key > best[0]:
            group["files"][filename] = (key, e)
        group["sid"] = max(group["sid"], m["sid"], key=int)
    return groups


def _from_canvas(tree: Tree, groups) -> list[Submission]:
    subs = []
    for uid, group in sorted(groups.items()):
        entries = [Entry(filename, e.size, e.packed, e.mtime, e.reader, e.origin)
                   for filename, (_, e) in sorted(group["files"].items())]
        origin = f"{tree.label}{'!' if tree.archive_sha256 else '/'}{group['name']}_{uid}_*"
        sf = collect(Tree(origin, entries))
        subs.append(_submission(sf, student_id=uid, name=group["name"] or None, source="canvas",
                                origin=origin,
                                lms={"canvas_user": uid, "canvas_submission": group["sid"]},
                                fallback_time=max(e.mtime for e in entries)))
    return subs


def classify(tree: Tree, *, fallback_id: str, depth: int = 0) -> list[Submission]:
    """The submissions in one input tree (``depth`` 0: an argument of `grader grade`).

    Only an argument itself can be a class (a folder or zip of hand-ins) or a
    Moodle / Canvas download: whatever lies inside one hand-in is that
    student's, whatever its folders are called.
    """
    for attempt in range(2):
        if _has_student_files(tree):
            return [_one_student(tree, fallback_id=fallback_id, depth=depth,
                                 manifest_names=depth == 0)]
        groups = _moodle_groups(tree)
        if groups:
            return _from_moodle(tree, groups)
        groups = _canvas_groups(tree)
        if groups:
            return _from_canvas(tree, groups)
        if attempt == 0 and tree.archive_sha256:
            tree = _unwrap(tree)          # a zip of one folder: look inside it, once
    return _from_container(tree, fallback_id=fallback_id, depth=depth)


def _one_student(tree: Tree, *, fallback_id: str, depth: int, origin: str | None = None,
                 manifest_names: bool = False) -> Submission:
    """Everything in ``tree`` is one student's hand-in (inside an error boundary)."""
    try:
        sf = collect(_unwrap(tree), depth=depth)
        source = "zip" if tree.archive_sha256 else "folder"
        return _submission(sf, student_id=fallback_id, name=None, source=source,
                           origin=origin or tree.label, manifest_names=manifest_names)
    except Exception as exc:  # noqa: BLE001 - one hand-in never stops the batch
        return _rejected(fallback_id, origin or tree.label, ingest_failure(tree.label, exc))


def _from_container(tree: Tree, *, fallback_id: str, depth: int) -> list[Submission]:
    """A class folder / zip: every subfolder and every zip at its top is one student."""
    children: dict[str, list] = {}
    zips = []
    for e in tree.entries:
        parts = PurePosixPath(e.path).parts
        if len(parts) > 1:
            children.setdefault(parts[0], []).append(e)
        elif e.name.lower().endswith(".zip"):
            zips.append(e)
    for path in tree.skipped:                # a folder holding only links is still a hand-in
        parts = PurePosixPath(path).parts
        if len(parts) > 1:
            children.setdefault(parts[0], [])
    subs = []
    for child in sorted(children):
        try:
            sub_tree = tree.under(child)
            sf = collect(_unwrap(sub_tree), depth=depth)
            if sf.rejected is not None \
                    and sf.rejected.key == "grading.reason.no_exercise_files" \
                    and not any(e.name.lower().endswith((".py", ".ipynb", ".zip"))
                                for e in sub_tree.entries):
                links = [p for p in sub_tree.skipped
                         if p.lower().endswith((".py", ".ipynb", ".zip")) or "/" not in p]
                if not links:
                    continue              # a folder of something else (data, docs): not a student
                sf.rejected = Problem("batch.reason.links_not_followed", {
                    "files": ", ".join(sorted(links)[:5])})
            subs.append(_submission(sf, student_id=child, name=None, source="folder",
                                    origin=sub_tree.label))
        except Exception as exc:  # noqa: BLE001 - one hand-in never stops the batch
            label = f"{tree.label}/{child}"
            subs.append(_rejected(child, label, ingest_failure(label, exc)))
    for z in sorted(zips, key=lambda e: e.path):
        stem = PurePosixPath(z.path).stem
        try:
            inner = tree_from_zip(z.read(config.MAX_SUBMISSION_BYTES), z.origin, depth=depth + 1)
        except ArchiveProblem as exc:
            subs.append(_rejected(stem, z.origin, exc.problem, "zip", z.mtime))
            continue
        except Exception as exc:  # noqa: BLE001 - one hand-in never stops the batch
            subs.append(_rejected(stem, z.origin, ingest_failure(z.origin, exc), "zip", z.mtime))
            continue
        sub = _one_student(inner, fallback_id=stem, depth=depth + 1, origin=z.origin)
        sub.timestamp = sub.timestamp or z.mtime
        subs.append(sub)
    if not subs:
        subs.append(_rejected(fallback_id, tree.label, Problem(
            "grading.reason.no_exercise_files", {"expected": ", ".join(EXERCISE_FILES)})))
    return subs


def from_path(path: Path, *, skip: list[Path] = ()) -> list[Submission]:
    """The submissions in one command-line argument (a folder or an archive)."""
    path = Path(path)
    label = str(path)
    if path.is_dir():
        try:
            tree = tree_from_dir(path, skip=skip)
        except ArchiveProblem as exc:
            return [_rejected(path.name, label, exc.problem)]
        return classify(tree, fallback_id=path.name)
    suffix = path.suffix.lower()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = 0.0
    if suffix == ".ipynb":
        tree = tree_from_dir_entries([path])
        sf = collect(tree)
        return [_submission(sf, student_id=path.stem, name=None, source="folder", origin=label,
                            fallback_time=mtime)]
    if suffix == ".zip" or _looks_like_zip(path):
        try:
            tree = tree_from_zip(path, label)
        except ArchiveProblem as exc:
            return [_rejected(path.stem, label, exc.problem, "zip", mtime)]
        return classify(tree, fallback_id=path.stem)
    return [_rejected(path.stem, label, Problem("grading.reason.unsupported_input",
                                                {"path": label}), timestamp=mtime)]


def _looks_like_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def tree_from_dir_entries(paths: list[Path]) -> Tree:
    """Loose files given one by one (e.g. a shell glob of a Canvas download) as one tree."""
    from grader.ingest.archive import _file_reader

    entries = []
    for p in paths:
        st = p.stat()
        entries.append(Entry(p.name, st.st_size, st.st_size, st.st_mtime, _file_reader(str(p)),
                             str(p)))
    parent = str(paths[0].parent) if paths else "."
    return Tree(parent, entries)
