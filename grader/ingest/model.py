"""What ingestion produces: one Submission per student hand-in, problems as message keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.i18n import t


@dataclass(frozen=True)
class Problem:
    """Something wrong with a submission or one of its files, in no language yet.

    ``key`` names a message of the i18n catalog (grader/i18n/grading.toml);
    ``params`` fill its placeholders.
    """

    key: str
    params: dict = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return t(self.key, lang, **self.params)

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
      to be non-empty UTF-8 text of a reasonable size.
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

    @property
    def order_key(self):
        """Latest last: by hand-in time, then by where it came from (deterministic)."""
        return (self.timestamp, self.origin)
