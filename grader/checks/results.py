"""Result dataclasses of a run of the checks (plain data, no printing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.checks.feedback import Feedback
from grader.i18n import t

# Status of one check.
PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT, CRASHED, FORBIDDEN, SKIPPED = (
    "passed", "failed", "not_attempted", "error", "timeout", "crashed", "forbidden", "skipped")
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT, CRASHED, FORBIDDEN, SKIPPED)


OUTPUT_LINES, OUTPUT_CHARS = 15, 1200   # student output shown under a check


def _tail(text: str) -> str:
    """The end of what student code printed, short enough to read under a check."""
    lines = text.rstrip().splitlines()
    shown = "\n".join(line if len(line) <= 200 else line[:200] + " [...]"
                      for line in lines[-OUTPUT_LINES:])[-OUTPUT_CHARS:]
    if len(lines) > OUTPUT_LINES:
        shown = f"[... {len(lines) - OUTPUT_LINES} earlier lines ...]\n" + shown
    return shown


@dataclass
class CheckResult:
    """One check's outcome: status, points from the rubric, feedback, student output."""

    id: str
    exercise: str
    suite: str
    title: dict
    status: str
    points: float
    max_points: float
    feedback: Feedback | None = None
    notes: list = field(default_factory=list)    # extra Feedback (e.g. failing dependency)
    output: str = ""
    seconds: float = 0.0

    @property
    def hidden(self) -> bool:
        return self.suite == "hidden"

    def message(self, lang: str) -> str:
        parts = []
        if self.feedback is not None:
            parts.append(self.feedback.render(lang))
        parts.extend(n.render(lang) for n in self.notes)
        if self.output.strip():
            parts.append(t("feedback.student_output", lang) + "\n" + _tail(self.output))
        return "\n".join(parts)


@dataclass
class Results:
    """All checks of one run, with scores computed from the rubric."""

    checks: list
    lang: str
    total_points: float                 # the rubric's total (100)
    seed: int | None = None
    mode: str = "check"                 # check | grade
    notes: list = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks), 4)

    @property
    def max_score(self) -> float:
        """Points the checks that were run are worth."""
        return round(sum(c.max_points for c in self.checks), 4)

    @property
    def all_passed(self) -> bool:
        return all(c.status in (PASSED, SKIPPED) for c in self.checks)

    def by_exercise(self) -> dict:
        out: dict = {}
        for c in self.checks:
            out.setdefault(c.exercise, []).append(c)
        return out

    def exercise_scores(self) -> dict:
        return {ex: (round(sum(c.points for c in cs), 4), round(sum(c.max_points for c in cs), 4))
                for ex, cs in self.by_exercise().items()}

    def status_of(self, exercise: str) -> str:
        """complete / in_progress / not_attempted / failing for one exercise."""
        checks = self.by_exercise().get(exercise, [])
        if not checks:
            return NOT_ATTEMPTED
        statuses = {c.status for c in checks}
        if statuses <= {PASSED, SKIPPED}:
            return "complete"
        if statuses <= {NOT_ATTEMPTED, SKIPPED}:
            return NOT_ATTEMPTED
        return "in_progress"

    def to_gradescope(self) -> dict:
        """Gradescope's results.json form, in this run's language."""
        tests = []
        for c in self.checks:
            tests.append({
                "name": f"{c.exercise}: {c.title.get(self.lang, c.id)}",
                "number": c.id,
                "score": c.points,
                "max_score": c.max_points,
                "status": "passed" if c.status == PASSED else "failed",
                "output": (t(f"status.{c.status}", self.lang) + "\n" + c.message(self.lang)).strip(),
                "visibility": "hidden" if c.hidden else "visible",
                "tags": [c.exercise, c.suite, c.status],
            })
        return {"score": self.score, "max_score": self.max_score, "tests": tests,
                "output": "\n".join(n.render(self.lang) for n in self.notes),
                "extra_data": {"seed": self.seed, "mode": self.mode,
                               "total_points": self.total_points,
                               "exercise_scores": self.exercise_scores()}}
