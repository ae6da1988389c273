"""The result dataclasses of `grader grade` (plain data; the reports render them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.ingest.model import Problem

GRADED, PARTIAL, REJECTED = "graded", "partial", "rejected"


@dataclass
class StudentRow:
    """One student's line of the gradebook, with what the reports need.

    scores: points per exercise (None when rejected); total likewise.
    reasons: why the row is partial or rejected, or what cost a whole exercise
    (a forbidden import); notes: everything else worth telling the student.
    """

    student_id: str
    name: str | None
    source: str
    origin: str
    status: str
    seed: int
    sha256: str
    timestamp: float
    scores: dict = field(default_factory=dict)
    max_scores: dict = field(default_factory=dict)
    total: float | None = None
    max_total: float = 100.0
    reasons: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    lms: dict = field(default_factory=dict)
    superseded: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)
    report_dir: str = ""
    record: dict | None = field(default=None, repr=False)

    def reason_text(self, lang: str) -> str:
        return "; ".join(dict.fromkeys(p.render(lang) for p in self.reasons))


@dataclass
class ExerciseStats:
    exercise: str
    max_points: float
    mean: float | None
    median: float | None
    count: int


@dataclass
class ClassSummary:
    """The class at a glance: how many, how well, the usual mistakes, what was refused."""

    seed: int
    students: int
    graded: int
    partial: int
    rejected: int
    exercises: list
    total_mean: float | None
    total_median: float | None
    max_total: float
    mistakes: list                  # [(mistake name, number of students)], most frequent first
    rejected_rows: list             # [(student id, Problem)]
    superseded: list                # [(student id, origin of the older submission)]
    isolation: dict
    skipped_students: int = 0       # students with a skipped check (e.g. no Keras results)
    keras_note: str | None = None   # why the Keras results could not be computed
    assignment: dict | None = None  # {"name", "title": {lang: ...}, "notes": how it was chosen}


@dataclass
class GradeReport:
    """What `grader grade` did. The CLI prints format_gradebook / format_summary of it."""

    rows: list
    summary: ClassSummary
    out: Path
    gradebook_path: Path
    summary_path: Path
    seed: int
    skipped_unchanged: int
    graded_now: int
    network_isolated: bool
    isolation: dict
    jobs: int
    elapsed_s: float = 0.0
    lang: str = "es"


def problem_list(items) -> list:
    return [p if isinstance(p, Problem) else Problem.from_dict(p) for p in items]
