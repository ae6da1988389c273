"""Who handed in what: one row per hand-in, conflicts instead of silent merges.

The identity of a hand-in comes, in this order of authority, from:

1. the instructor's identities file (``--identities FILE``, see below);
2. the learning platform: Moodle's participant number, Canvas's user id (the
   folder and file names of their downloads, never a student's file);
3. the folder or archive name a class folder gives it, else, for an archive
   given on its own, the student_id of its `grader submit` manifest.

A manifest's student_id and date are claims: a claim that differs from the
identity is noted on the row; it never moves a hand-in to another student.

Hand-ins that end up with one id are resolved only where an order is known:
several hand-ins of one Moodle participant / Canvas user (downloads of two
dates) keep the latest and list the others. Anything else (two archives
claiming one id, ids that clean to the same text, a folder and a zip of the
same name) is a **conflict**: every one of them is graded, each row says so,
and the instructor decides with an identities file.

The identities file is a CSV with a header; each line matches hand-ins by
``sha256`` (the digest shown in the gradebook) or by ``origin`` (the path
shown in the reports), and gives the ``student_id`` to use (and optionally a
``name``). An empty student_id, or ``-``, leaves that hand-in out.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from grader.errors import GraderError
from grader.ingest.model import Problem, Submission

IGNORE = ("", "-")


def load_identities(path) -> list[dict]:
    """The lines of an identities file; GraderError when it cannot be used."""
    path = Path(path)
    try:
        text = path.read_bytes()[:4 * 1024 * 1024].decode("utf-8-sig")
    except OSError as exc:
        raise GraderError("batch.error.identities_unreadable", path=str(path),
                          reason=exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise GraderError("batch.error.identities_unreadable", path=str(path),
                          reason="not UTF-8") from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = {(f or "").strip().lower() for f in (reader.fieldnames or [])}
    if "student_id" not in fields or not fields & {"sha256", "origin"}:
        raise GraderError("batch.error.identities_columns", path=str(path))
    lines = []
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()
               if isinstance(v, str)}
        if row.get("sha256") or row.get("origin"):
            lines.append(row)
    return lines


def apply_identities(subs: list[Submission], lines: list[dict]) -> list[Submission]:
    """The hand-ins with the instructor's identities applied (left-out ones dropped)."""
    from grader.ingest.layouts import clean_id

    by_sha = {line["sha256"].lower(): line for line in lines if line.get("sha256")}
    by_origin = {line["origin"]: line for line in lines if line.get("origin")}
    kept = []
    for sub in subs:
        line = by_sha.get(sub.sha256.lower()) or by_origin.get(sub.origin)
        if line is None:
            kept.append(sub)
            continue
        if line.get("student_id", "") in IGNORE:
            continue
        sub.student_id = clean_id(line["student_id"])
        sub.key = sub.student_id
        sub.name = line.get("name") or sub.name
        sub.resolved = True
        kept.append(sub)
    return kept


def natural_key(text: str):
    """Numbers in ids sort as numbers: 9 before 10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p.lower())
            for p in re.split(r"(\d+)", text) if p]


def resolve(subs: list[Submission]):
    """(the hand-ins to grade, {student_id: [older hand-ins not graded]}).

    Every hand-in gets a unique ``key`` (its row); conflicting ones are all
    kept, each with ``conflict`` = the origins of the others.
    """
    by_id: dict[str, list[Submission]] = {}
    for sub in subs:
        by_id.setdefault(sub.student_id, []).append(sub)
    chosen, older = [], {}
    for sid, group in by_id.items():
        group.sort(key=lambda s: s.order_key)
        # several downloads of one platform user: the latest of that user counts
        latest: dict = {}
        for sub in group:
            ident = ("resolved",) if sub.resolved else sub.lms_identity
            if ident is None:
                latest[("hand-in", id(sub))] = sub
                continue
            if ident in latest:
                older.setdefault(sid, []).append(latest[ident])
            latest[ident] = sub
        kept = sorted(latest.values(), key=lambda s: s.origin)
        for n, sub in enumerate(kept, 1):
            if len(kept) > 1:             # no order between them: all graded, a conflict
                sub.conflict = [o.origin for o in kept if o is not sub]
                sub.key = f"{sid}~{n}"
            else:
                sub.conflict, sub.key = [], sid
        chosen.extend(kept)
    chosen.sort(key=lambda s: (natural_key(s.student_id), s.key))
    return chosen, older


def conflict_problem(sub: Submission) -> Problem:
    return Problem("batch.reason.identity_conflict", {
        "id": sub.student_id, "count": len(sub.conflict) + 1,
        "others": "; ".join(sub.conflict[:3])})
