"""Result dataclasses of a run of the checks (plain data, no printing)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field

from grader.checks.feedback import Feedback
from grader.i18n import t

# Status of one check. NOT_RUN: the check could not run here (e.g. the Keras ones without
# TensorFlow and without cached results): it is neither passed nor failed, and its points
# count neither in the score nor in the maximum of what ran. SKIPPED is kept for records
# written before NOT_RUN existed (it means the same).
PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT, CRASHED, FORBIDDEN, SKIPPED, NOT_RUN = (
    "passed", "failed", "not_attempted", "error", "timeout", "crashed", "forbidden", "skipped",
    "not_run")
STATUSES = (PASSED, FAILED, NOT_ATTEMPTED, ERROR, TIMEOUT, CRASHED, FORBIDDEN, SKIPPED, NOT_RUN)
DID_NOT_RUN = (SKIPPED, NOT_RUN)
# Feedback that says only THAT something is wrong (not how): a failure with one of these
# keys and neither a named mistake nor a symptom has no diagnosis. Any other key states
# the rule of the contract that was broken (e.g. "every sample exactly once").
GENERIC_KEYS = frozenset("feedback." + k for k in (
    "returned_none", "not_an_array", "not_numeric", "wrong_shape", "wrong_dtype", "not_finite",
    "wrong_values", "wrong_value", "wrong_scalar", "not_implemented", "not_implemented_inside",
    "syntax_error",
    "import_failed", "forbidden_import", "missing_function", "missing_file", "exception",
    "timeout", "crashed", "exited", "violation", "exercise_forbidden", "bad_return",
    "protocol", "skipped", "assertion", "internal_error", "check_not_run", "finite_difference",
    "contract_structure", "contract_expected_none",
    # "does not match": they say THAT, not how (a symptom, when found, says how)
    "backprop_finite_difference", "perceptron_wrong_errors"))


OUTPUT_LINES, OUTPUT_CHARS = 15, 1200   # student output shown under a check
# Exception types a hidden check may name: Python's own (a class of the student's could be
# named after the hidden inputs).
_PYTHON_EXCEPTIONS = frozenset(name for name, value in vars(builtins).items()
                               if isinstance(value, type) and issubclass(value, BaseException))


def _judge_call(exercise: str, fb) -> str:
    """``module.func`` of a failed call as the judge named it (the check's own call), or the
    exercise's file when it has no such plain name."""
    call = str((fb.params.get("call") if fb is not None else None) or "")
    module, _, func = call.partition(".")
    if module.isidentifier() and func.isidentifier():
        return call
    return f"{exercise}.py"


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

    @property
    def ran(self) -> bool:
        return self.status not in DID_NOT_RUN

    @property
    def diagnosis(self) -> dict | None:
        """What the feedback diagnosed: ``{"mistake": name}``, ``{"symptom": id}``,
        ``{"rule": feedback key}`` (the specific rule of the contract broken) or None."""
        fb = self.feedback
        if fb is None or self.status != FAILED:
            return None
        if fb.mistake:
            return {"mistake": fb.mistake}
        if fb.symptom:
            return {"symptom": fb.symptom["id"]}
        if fb.key not in GENERIC_KEYS:
            return {"rule": fb.key}
        return None

    def message(self, lang: str, output: bool = True) -> str:
        """The feedback, the notes and (``output``) what the student's code printed."""
        parts = []
        if self.feedback is not None:
            parts.append(self.feedback.render(lang))
        parts.extend(n.render(lang) for n in self.notes)
        if output and self.output.strip():
            parts.append(t("feedback.student_output", lang) + "\n" + _tail(self.output))
        return "\n".join(parts)

    def student_message(self, lang: str) -> str:
        """What the student's reports show of this check (``message`` for the others).

        A hidden check that did not pass says what the judge found and nothing student code
        wrote: an exception's message, a traceback, what the code printed, the names it
        chose (an exception class, a file, a function) can all spell the hidden inputs.
        A failed comparison names the likely mistake, else how the values are wrong, else
        that they differ; a call that raised names the exception when it is one of
        Python's own; the rest say what happened to the call (timeout, crash, ...)."""
        if not self.hidden:
            return self.message(lang)
        if self.status in (PASSED, *DID_NOT_RUN):   # what it printed may be the inputs too
            return self.message(lang, output=False)
        fb = self.feedback
        if self.status == FAILED:
            if fb is not None and fb.mistake:
                return t("feedback.likely_mistake", lang, mistake=t(f"mistake.{fb.mistake}", lang))
            if fb is not None and fb.symptom:     # how the values are wrong, without the inputs
                try:
                    return t(f"symptom.{fb.symptom['id']}", lang,
                             **(fb.symptom.get("params") or {}))
                except (KeyError, IndexError, ValueError):
                    pass
            return t("grading.report.hidden_failed", lang)
        if fb is not None and fb.key.startswith("feedback.timeout"):
            return fb.render(lang)                # the call and the judge's seconds
        call = _judge_call(self.exercise, fb)
        kind = (fb.params.get("type") if fb is not None else None)
        if self.status == ERROR and fb is not None and fb.key == "feedback.exception" \
                and kind in _PYTHON_EXCEPTIONS:
            return t("feedback.hidden_exception", lang, call=call, type=kind)
        return t("feedback.hidden_withheld", lang, call=call,
                 status=t(f"status.{self.status}", lang))


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
        """Points the checks that were run are worth (a check that did not run is left out)."""
        return round(sum(c.max_points for c in self.checks if c.ran), 4)

    @property
    def not_run(self) -> list:
        """The checks that could not run here (neither passed nor failed)."""
        return [c for c in self.checks if not c.ran]

    @property
    def not_run_points(self) -> float:
        return round(sum(c.max_points for c in self.not_run), 4)

    @property
    def all_passed(self) -> bool:
        return all(c.status in (PASSED,) + DID_NOT_RUN for c in self.checks)

    def by_exercise(self) -> dict:
        out: dict = {}
        for c in self.checks:
            out.setdefault(c.exercise, []).append(c)
        return out

    def exercise_scores(self) -> dict:
        return {ex: (round(sum(c.points for c in cs), 4),
                     round(sum(c.max_points for c in cs if c.ran), 4))
                for ex, cs in self.by_exercise().items()}

    def status_of(self, exercise: str) -> str:
        """complete / in_progress / not_attempted / failing for one exercise."""
        checks = self.by_exercise().get(exercise, [])
        if not checks:
            return NOT_ATTEMPTED
        statuses = {c.status for c in checks}
        if statuses <= {PASSED, *DID_NOT_RUN}:
            return "complete"
        if statuses <= {NOT_ATTEMPTED, *DID_NOT_RUN}:
            return NOT_ATTEMPTED
        return "in_progress"

    def to_gradescope(self) -> dict:
        """Gradescope's results.json form, in this run's language."""
        tests = []
        for c in self.checks:
            test = {
                "name": f"{c.exercise}: {c.title.get(self.lang, c.id)}",
                "number": c.id,
                "score": c.points,
                "max_score": c.max_points,
                "status": "passed" if c.status == PASSED else "failed",
                "output": (t(f"status.{c.status}", self.lang) + "\n"
                           + c.student_message(self.lang)).strip(),
                "visibility": "hidden" if c.hidden else "visible",
                "tags": [c.exercise, c.suite, c.status],
                "extra_data": {"status": c.status, "diagnosis": c.diagnosis},
            }
            if not c.ran:
                # Neither passed nor failed: no status, and worth nothing in what ran.
                del test["status"]
                test["max_score"] = 0.0
                test["extra_data"]["points"] = c.max_points
            tests.append(test)
        notes = [n.render(self.lang) for n in self.notes]
        if self.not_run:
            notes.append(self.not_run_note(self.lang))
        return {"score": self.score, "max_score": self.max_score, "tests": tests,
                "output": "\n".join(notes),
                "extra_data": {"seed": self.seed, "mode": self.mode,
                               "total_points": self.total_points,
                               "exercise_scores": self.exercise_scores(),
                               "not_run": [c.id for c in self.not_run],
                               "not_run_points": self.not_run_points}}

    def not_run_note(self, lang: str) -> str:
        """What ran and what did not: "64/64 on the checks run here; ... need TensorFlow"."""
        keras = any(c.suite in ("baseline", "keras") for c in self.not_run)
        return t("checks.not_run_keras" if keras else "checks.not_run", lang,
                 score=self.score, max_score=self.max_score, count=len(self.not_run),
                 points=self.not_run_points)
