"""The result dataclasses of `grader grade` (plain data; the reports render them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grader.ingest.model import Problem

GRADED, PARTIAL, REJECTED = "graded", "partial", "rejected"
CONFLICT = "conflict"          # graded, but another hand-in claims its id (ingest/identity)
STATUSES = (GRADED, PARTIAL, REJECTED, CONFLICT)
# reasons that are the grader's trouble, not the student's: the instructor must look at them
ATTENTION_KEYS = ("grading.reason.internal_error", "grading.reason.internal_error_submission",
                  "grading.reason.grading_timeout", "grading.reason.judge_crashed",
                  "batch.reason.ingest_failed", "batch.reason.report_failed",
                  "batch.reason.row_failed", "batch.reason.identity_conflict")


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
    key: str = ""                   # unique row key (student_id, or student_id~n in a conflict)
    conflict: list = field(default_factory=list)   # origins of hand-ins claiming the same id
    claimed_id: str | None = None
    files: dict = field(default_factory=dict, repr=False)   # the student's sources (similarity)

    def __post_init__(self):
        self.key = self.key or self.student_id

    def reason_text(self, lang: str) -> str:
        return "; ".join(dict.fromkeys(p.render(lang) for p in self.reasons))

    @property
    def attention(self) -> bool:
        """Whether an instructor must look at this row before importing it."""
        return self.status in (REJECTED, CONFLICT) or any(
            p.key in ATTENTION_KEYS for p in self.reasons)


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
    conflicts: int = 0              # rows whose id another hand-in claims too
    attention_rows: list = field(default_factory=list)   # [(row key, [Problem])]
    histograms: dict = field(default_factory=dict)        # exercise|total -> bins (class report)
    check_rates: list = field(default_factory=list)       # [(check id, title, passed, run)]
    similar: list = field(default_factory=list)           # [(key a, key b, similarity, kind)]
    weak_isolation: bool = False    # graded with --allow-weak-isolation: what was missing


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
    html_path: Path | None = None
    judge_peak_mb: float = 0.0      # the largest peak RSS of a judge process of this run
    batch_peak_mb: float = 0.0      # the peak RSS of the batch process

    @property
    def attention(self) -> int:
        """How many rows an instructor must look at (the CLI's exit status says so)."""
        return sum(1 for r in self.rows if r.attention)


def problem_list(items) -> list:
    return [p if isinstance(p, Problem) else Problem.from_dict(p) for p in items]
