"""What ingestion produces: one Submission per student hand-in, problems as message keys."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from grader.i18n import catalog, t

MAX_PARAM_CHARS = 300


def printable(text, limit: int | None = None) -> str:
    """``text`` safe to show anywhere: valid Unicode, no control characters.

    Names that come from a file system or an archive may hold bytes that are
    not UTF-8 (Python keeps them as lone surrogates), terminal escapes or
    newlines; they are replaced, so that no writer or terminal ever sees them.
    """
    text = str(text)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = text.encode("utf-8", "replace")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")
        text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else "\ufffd"
                   for ch in text).replace("\n", " ").replace("\t", " ")
    if limit is not None and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


def _clean_params(params: dict) -> dict:
    return {str(k): (printable(v, MAX_PARAM_CHARS) if isinstance(v, str) else v)
            for k, v in (params or {}).items()}


def _render_params(params: dict, lang: str, depth: int = 0, escape=None) -> dict:
    """Parameters in ``lang``: one that is itself a message (``{"key": ..., "params": ...}``,
    e.g. why an archive is unreadable) is rendered in that language too. ``escape``: applied
    to every text parameter (grader.reports.terminal.markdown_text, for Markdown prose)."""
    out = {}
    for name, value in params.items():
        if (isinstance(value, dict) and isinstance(value.get("key"), str) and depth < 3
                and value["key"] in catalog()):
            inner = value.get("params") if isinstance(value.get("params"), dict) else {}
            value = t(value["key"], lang, **_render_params(inner, lang, depth + 1, escape))
        elif escape is not None and isinstance(value, str):
            value = escape(value)
        out[name] = value
    return out


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission or one of its files, in no language yet.

    ``key`` names a message of the i18n catalog (grader/i18n/grading.toml);
    ``params`` fill its placeholders.
    """

    key: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "params", _clean_params(self.params))

    def render(self, lang: str, escape=None) -> str:
        """The message in ``lang``; ``escape`` applies to its text parameters."""
        return t(self.key, lang, **_render_params(self.params, lang, escape=escape))

    def to_dict(self) -> dict:
        return {"key": self.key, "params": dict(self.params)}

    @classmethod
    def from_dict(cls, data: dict) -> "Problem":
        return cls(str(data["key"]), dict(data.get("params") or {}))


class ArchiveProblem(Exception):
    """An archive that cannot be read safely; carries the Problem to report."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.problem = Problem(key, params)


@dataclass
class Submission:
    """One hand-in of one student, read into memory (never extracted to disk).

    - student_id / name: from the manifest of `grader submit`, from Moodle's
      or Canvas's file names, or from the folder / archive name.
    - source: submit | folder | zip | moodle | canvas.
    - origin: where it came from, for people (a path, ``archive.zip!inner/path``).
    - files: the exercise modules found, ``{"sgd.py": bytes}``, already checked
      to be non-empty UTF-8 text of a reasonable size, and the student's own helper
      modules they import (``numutils.py``; see extras.py).
    - file_problems: ``{"sgd.py": Problem}`` for exercise files that were found
      but cannot be graded (empty, not UTF-8, too large, a notebook).
    - rejected: the reason nothing of it can be graded, or None.
    - timestamp: when it was handed in (seconds since the epoch), to keep the
      latest of a student's submissions.
    - sha256: the archive's digest when the submission is one archive file,
      else a digest of its exercise files (names and contents).
    - lms: identifiers of the learning platform (moodle_participant,
      canvas_user, canvas_submission), used by the gradebook.
    """

    student_id: str
    source: str
    origin: str
    name: str | None = None
    files: dict = field(default_factory=dict)
    file_problems: dict = field(default_factory=dict)
    rejected: Problem | None = None
    timestamp: float = 0.0
    sha256: str = ""
    lms: dict = field(default_factory=dict)
    manifest: dict | None = None
    notes: list = field(default_factory=list)
    claimed_id: str | None = None       # the manifest's student_id: a claim, never an identity
    claimed_time: float | None = None   # the manifest's hand-in time: a claim too
    conflict: list = field(default_factory=list)   # origins of other hand-ins with this id
    resolved: bool = False              # the identity comes from the instructor's identities file
    key: str = ""                       # unique among the batch's rows (student_id, or id~n)

    def __post_init__(self):
        self.origin = printable(self.origin, 500)
        if self.name is not None:
            self.name = printable(self.name, 200) or None
        self.key = self.key or self.student_id

    @property
    def order_key(self):
        """Latest last: by hand-in time, then by where it came from (deterministic)."""
        return (self.timestamp, self.origin)

    @property
    def lms_identity(self):
        """(platform, user) when the learning platform says who this is, else None."""
        if self.source == "moodle" and self.lms.get("moodle_participant"):
            return ("moodle", self.lms["moodle_participant"])
        if self.source == "canvas" and self.lms.get("canvas_user"):
            return ("canvas", self.lms["canvas_user"])
        return None
