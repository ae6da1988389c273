"""`grader check` and `grader list`: the public checks on a student's own files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grader import config
from grader.checks.results import Results
from grader.errors import GraderError
from grader.exercises import EXERCISES, ORDER, resolve
from grader.i18n import resolve_lang
from grader.notebooks.extract import files_from_notebooks, is_notebook
from grader.rubric import load_rubric, rubric_for

# What `grader check` runs: the public checks and the Keras checks (these skip themselves,
# with a note, where TensorFlow/Keras is not installed and their baseline is not cached).
CHECK_SUITES = ("public", "keras")


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
    from grader.checks.session import read_student_files

    try:
        files = read_student_files(folder)
    except OSError as exc:
        raise GraderError("error.unreadable_file", file=str(exc.filename or folder),
                          reason=exc.strerror or str(exc)) from None
    if not files:
        raise GraderError("error.no_exercise_files", path=str(folder),
                          expected=", ".join(e.filename for e in EXERCISES.values()))
    return files


def split_targets(args) -> tuple[tuple[str, ...], list[Path]]:
    """The arguments of `grader check`: exercise names, and notebook files (``*.ipynb``)."""
    notebooks = [Path(a) for a in args if is_notebook(a)]
    return tuple(a for a in args if not is_notebook(a)), notebooks


def load_sources(path) -> tuple[dict[str, bytes], tuple[str, ...] | None]:
    """The student's modules and, for notebooks, the exercises they hold.

    ``path`` is a folder of .py files (a folder holding only notebooks works
    too), one notebook, or a list of notebooks. Notebook cells are read as
    text, never run (see grader.notebooks). Returns ``(files, exercises)``
    with ``exercises`` None for a folder of .py files.
    """
    if isinstance(path, (list, tuple)):
        for p in path:
            if not Path(p).exists():
                raise GraderError("error.path_not_found", path=str(p))
        return files_from_notebooks(path)
    if is_notebook(path):
        return load_sources([path])
    folder = Path(path)
    try:
        return read_exercise_files(folder), None
    except GraderError as exc:
        notebooks = sorted(folder.glob("*.ipynb")) if exc.key == "error.no_exercise_files" else []
        if not notebooks:
            raise
        files, held = files_from_notebooks(notebooks, skip_empty=True)
        if not files:
            raise
        return files, held


def check(path=config.EXERCISES_DIR, exercises=(), *, lang: str | None = None,
          timeout_s: float | None = None, assignment=None) -> Results:
    """Run the public checks on the exercises in ``path`` and score them.

    Inputs:
    - path: the folder with the student's activations.py, perceptron.py, ...;
      or a notebook (``sgd.ipynb``), or a list of notebooks.
    - exercises: names to check (default: the assignment's; for notebooks, those they hold).
    - lang: "es" or "en" (default: $GRADER_LANG, else the locale, else Spanish).
    - assignment: a name ("1") or an instructor's TOML path; default: the one the
      files belong to (see grader.assignments.choose).
    Returns: a Results object (see grader.checks.results).
    """
    files, names, choice = prepare_assignment(path, exercises, assignment)
    return check_files(files, names, lang=lang, timeout_s=timeout_s,
                       assignment=choice.assignment)


def prepare(path, exercises=()) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The files of ``path`` (see load_sources) and the exercises to check in them."""
    files, names, _ = prepare_assignment(path, exercises)
    return files, names


def prepare_assignment(path, exercises=(), assignment=None):
    """``(files, exercises, choice)``: the files of ``path`` (see load_sources), the
    assignment to check them against (a grader.assignments.Choice: --assignment, else
    the one the files belong to) and the exercises to check: those named (each must be
    in the assignment), else those the notebooks hold, else the assignment's."""
    from grader.assignments import choose

    files, held = load_sources(path)
    named = resolve_exercises(exercises) if exercises else ()
    present = held if held is not None else tuple(files)
    choice = choose(assignment, present=present, exercises=named)
    chosen = choice.assignment.exercises
    if named:
        names = tuple(e for e in chosen if e in named)
    elif held is not None:
        names = tuple(e for e in chosen if e in held)
        if not names:
            raise GraderError("error.exercise_not_in_assignment", names=", ".join(held),
                              assignment=choice.assignment.name, known=", ".join(chosen))
    else:
        names = chosen
    return files, names, choice


def check_files(files: dict, exercises, *, lang: str | None = None,
                timeout_s: float | None = None, assignment=None) -> Results:
    """The public and Keras checks of ``exercises`` on modules given as ``{"sgd.py": bytes}``."""
    from grader.checks.engine import run_checks
    from grader.sandbox.runner import SandboxLimits

    limits = SandboxLimits(call_timeout_s=timeout_s) if timeout_s else None
    return run_checks(files, exercises=tuple(exercises), suites=CHECK_SUITES,
                      lang=resolve_lang(lang), limits=limits, assignment=assignment)


def hidden_points(exercises, assignment=None) -> float:
    """Points of the hidden checks of these exercises (run only when grading)."""
    rubric = rubric_for(tuple(exercises)) if assignment is None else load_rubric(assignment)
    return sum(i.points for i in rubric.items.values()
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


def list_exercises(path: Path | str = config.EXERCISES_DIR, *, lang: str | None = None,
                   assignment=None) -> list[ExerciseStatus]:
    """The exercises of the assignment (see check), their points and the student's status."""
    files, names, choice = prepare_assignment(path, (), assignment)
    results = check_files(files, choice.assignment.exercises, lang=lang,
                          assignment=choice.assignment)
    rubric = load_rubric(choice.assignment)
    rows = []
    for name in rubric.exercises:
        checks = results.by_exercise().get(name, [])
        rows.append(ExerciseStatus(
            name=name, points=rubric.exercise_points(name),
            public_points=sum(c.max_points for c in checks),
            earned=sum(c.points for c in checks),
            passed=sum(c.status == "passed" for c in checks), total=len(checks),
            status=results.status_of(name)))
    return rows

