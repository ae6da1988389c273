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
# Statuses of a check that could not run here (no TensorFlow): not counted as done or not.
DID_NOT_RUN = ("skipped", "not_run")


def resolve_exercises(names) -> tuple[str, ...]:
    """User-given exercise names, validated (all five when empty).

    A mistyped name gets the closest real one ("did you mean perceptron?").
    """
    try:
        return resolve(list(names or ()))
    except KeyError as exc:
        import difflib

        unknown = [n for n in names if n not in EXERCISES]
        close = [m for n in unknown for m in difflib.get_close_matches(n, ORDER, n=1)]
        if close:
            raise GraderError("error.unknown_exercise_did_you_mean", names=exc.args[0],
                              suggestion=", ".join(dict.fromkeys(close)),
                              known=", ".join(ORDER)) from None
        raise GraderError("error.unknown_exercise", names=exc.args[0],
                          known=", ".join(ORDER)) from None


def default_exercises_dir() -> Path:
    """Where the student's files are when no --path is given: ``exercises/`` under the
    working directory, or the working directory itself when it holds exercise files
    (a student who ran the command from inside ``exercises/``)."""
    here = Path.cwd()
    if (here / config.EXERCISES_DIR.name).is_dir():
        return Path(config.EXERCISES_DIR.name)
    if any((here / ex.filename).is_file() for ex in EXERCISES.values()):
        return here
    return Path(config.EXERCISES_DIR.name)


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


def load_sources(path, notices: list | None = None
                 ) -> tuple[dict[str, bytes], tuple[str, ...] | None]:
    """The student's modules and, for notebooks, the exercises they hold.

    ``path`` is a folder of .py files (a folder holding only notebooks works
    too), one notebook, or a list of notebooks. Notebook cells are read as
    text, never run (see grader.notebooks). Returns ``(files, exercises)``
    with ``exercises`` None for a folder of .py files. When several notebooks
    hold one exercise, the choice is appended to ``notices`` (see
    grader.notebooks.extract.choose_notebook: submit uses the same rule).
    """
    from grader.ingest.extras import add_from_folder

    if isinstance(path, (list, tuple)):
        for p in path:
            if not Path(p).exists():
                raise GraderError("error.path_not_found", path=str(p))
        files, held = files_from_notebooks(path, notices=notices)
        if files and path:       # helper modules of the student's own, beside the notebooks
            add_from_folder(files, Path(path[0]).parent, notices)
        return files, held
    if is_notebook(path):
        return load_sources([path], notices)
    folder = Path(path)
    try:
        return add_from_folder(read_exercise_files(folder), folder, notices), None
    except GraderError as exc:
        notebooks = sorted(folder.glob("*.ipynb")) if exc.key == "error.no_exercise_files" else []
        if not notebooks:
            raise
        files, held = files_from_notebooks(notebooks, skip_empty=True, notices=notices)
        if not files:
            raise
        return add_from_folder(files, folder, notices), held


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


def prepare(path, exercises=(), notices: list | None = None
            ) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The files of ``path`` (see load_sources) and the exercises to check in them."""
    files, names, _ = prepare_assignment(path, exercises, notices=notices)
    return files, names


def prepare_assignment(path, exercises=(), assignment=None, notices: list | None = None):
    """``(files, exercises, choice)``: the files of ``path`` (see load_sources), the
    assignment to check them against (a grader.assignments.Choice: --assignment, else
    the one the files belong to) and the exercises to check: those named (each must be
    in the assignment), else those the notebooks hold, else the assignment's. Which of
    several notebooks holding one exercise was used is appended to ``notices``."""
    from grader.assignments import choose

    files, held = load_sources(path, notices)
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
    total: int               # checks that ran (skipped ones are not counted)
    status: str              # complete / in_progress / not_attempted
    skipped: int = 0         # checks skipped here (the Keras checks without TensorFlow)


def _student_check_count(rubric, exercise: str) -> tuple[int, float]:
    items = [i for i in rubric.items.values()
             if i.exercise == exercise and i.suite in CHECK_SUITES]
    return len(items), sum(i.points for i in items)


def list_exercises(path: Path | str = config.EXERCISES_DIR, *, lang: str | None = None,
                   assignment=None, timeout_s: float | None = config.LIST_CALL_TIMEOUT_S
                   ) -> list[ExerciseStatus]:
    """The exercises of the assignment (see check), their points and the student's status.

    Answers from what it can know quickly: an exercise whose file is missing or
    is the untouched stub is "not attempted" without running anything; the
    others run their checks with a short time per call (``timeout_s``), so an
    endless loop costs seconds, not minutes.
    """
    from grader.notebooks.extract import is_untouched_stub

    files, names, choice = prepare_assignment(path, (), assignment)
    rubric = load_rubric(choice.assignment)
    exercises = choice.assignment.exercises
    untouched = {n for n in exercises if EXERCISES[n].filename not in files
                 or is_untouched_stub(n, files[EXERCISES[n].filename])}
    to_run = tuple(n for n in exercises if n not in untouched)
    results = (check_files(files, to_run, lang=lang, timeout_s=timeout_s,
                           assignment=choice.assignment) if to_run else None)
    rows = []
    for name in exercises:
        if name not in to_run:
            count, public = _student_check_count(rubric, name)
            rows.append(ExerciseStatus(name=name, points=rubric.exercise_points(name),
                                       public_points=public, earned=0.0, passed=0, total=count,
                                       status="not_attempted"))
            continue
        checks = results.by_exercise().get(name, [])
        ran = [c for c in checks if c.status not in DID_NOT_RUN]
        rows.append(ExerciseStatus(
            name=name, points=rubric.exercise_points(name),
            public_points=sum(c.max_points for c in ran),
            earned=sum(c.points for c in checks),
            passed=sum(c.status == "passed" for c in ran), total=len(ran),
            status=results.status_of(name), skipped=len(checks) - len(ran)))
    return rows
