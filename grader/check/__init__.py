"""`grader check` and `grader list`: the public checks on a student's own files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader import config
from grader.checks.results import Results
from grader.errors import GraderError
from grader.exercises import EXERCISES, ORDER, resolve
from grader.i18n import resolve_lang
from grader.rubric import load_rubric


def resolve_exercises(names) -> tuple[str, ...]:
    """User-given exercise names, validated (all five when empty)."""
    try:
        return resolve(list(names or ()))
    except KeyError as exc:
        raise GraderError("error.unknown_exercise", names=exc.args[0],
                          known=", ".join(ORDER)) from None


def read_exercise_files(path: Path | str) -> dict[str, bytes]:
    """The student's exercise modules in ``path`` (a folder), as bytes (never modified)."""
    folder = Path(path)
    if not folder.exists():
        raise GraderError("error.path_not_found", path=str(folder))
    if not folder.is_dir():
        raise GraderError("error.not_a_directory", path=str(folder))
    files = {}
    for ex in EXERCISES.values():
        file = folder / ex.filename
        if file.is_file():
            try:
                files[ex.filename] = file.read_bytes()
            except OSError as exc:
                raise GraderError("error.unreadable_file", file=str(file),
                                  reason=exc.strerror or str(exc)) from None
    if not files:
        raise GraderError("error.no_exercise_files", path=str(folder),
                          expected=", ".join(e.filename for e in EXERCISES.values()))
    return files


def check(path: Path | str = config.EXERCISES_DIR, exercises=(), *, lang: str | None = None,
          timeout_s: float | None = None) -> Results:
    """Run the public checks on the exercises in ``path`` and score them.

    Inputs:
    - path: the folder with the student's activations.py, perceptron.py, ...
    - exercises: names to check (default: all five).
    - lang: "es" or "en" (default: $GRADER_LANG, else the locale, else Spanish).
    Returns: a Results object (see grader.checks.results).
    """
    from grader.checks.engine import run_checks
    from grader.sandbox.runner import SandboxLimits

    names = resolve_exercises(exercises)
    files = read_exercise_files(path)
    limits = SandboxLimits(call_timeout_s=timeout_s) if timeout_s else None
    return run_checks(files, exercises=names, suites=("public",), lang=resolve_lang(lang),
                      limits=limits)


def hidden_points(exercises) -> float:
    """Points of the hidden checks of these exercises (run only when grading)."""
    return sum(i.points for i in load_rubric().items.values()
               if i.hidden and i.exercise in exercises)


@dataclass
class ExerciseStatus:
    """One line of `grader list`."""

    name: str
    points: float            # the exercise's worth in the rubric (public + hidden)
    public_points: float
    earned: float            # points of passed public checks
    passed: int
    total: int
    status: str              # complete / in_progress / not_attempted


def list_exercises(path: Path | str = config.EXERCISES_DIR, *, lang: str | None = None
                   ) -> list[ExerciseStatus]:
    """The exercises, their points and the student's status for each."""
    results = check(path, lang=lang)
    rubric = load_rubric()
    rows = []
    for name in ORDER:
        checks = results.by_exercise().get(name, [])
        rows.append(ExerciseStatus(
            name=name, points=rubric.exercise_points(name),
            public_points=sum(c.max_points for c in checks),
            earned=sum(c.points for c in checks),
            passed=sum(c.status == "passed" for c in checks), total=len(checks),
            status=results.status_of(name)))
    return rows
