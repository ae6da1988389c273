"""The helpers a notebook calls from its own kernel: setup, check_here, compare_here.

How a notebook's check cell finds the student's code (see docs/notebooks.md):
the kernel remembers the text of every cell it ran (IPython's input history).
``check_here("sgd")`` takes, among those, the cells whose first line is a
``#| exercise: sgd...`` marker (the latest run of each), writes them as
``_modules/sgd.py`` next to the notebook, and runs the public checks on that
folder exactly like ``grader check``: the student's code runs in sandboxed
worker processes, never in the grader. Nothing depends on the notebook file
being saved (Jupyter autosaves late; Colab keeps it in Drive).

``setup("sgd")`` puts ``_modules/`` on the kernel's import path and fills in
the modules sgd imports (backprop, dropout, activations): from the student's
own sibling notebooks when they are there, else the version already saved in
``_modules/``, else the unsolved stub.
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.atomic import atomic_write_bytes
from grader.errors import GraderError
from grader.exercises import EXERCISES, ORDER, closure
from grader.i18n import resolve_lang, t
from grader.notebooks.display import html_message, results_html, results_text
from grader.notebooks.extract import (
    MODULES_DIR,
    _drop_top_level_expressions,
    marker_of,
    neutralise,
    notebook_for_module,
    stub_source,
)


def _exercise(name: str) -> str:
    if name not in EXERCISES:
        raise GraderError("error.unknown_exercise", names=name, known=", ".join(ORDER))
    return name


def _write(path: Path, data: bytes):
    """Replace ``path`` atomically (a half-written module would confuse the checks)."""
    atomic_write_bytes(path, data, durable=False)


@dataclass(repr=False)
class Message:
    """A short text a helper returns for the notebook to show."""

    lines: list
    kind: str = "info"             # info | warning

    def __str__(self):
        return "\n".join(self.lines)

    __repr__ = __str__

    def _repr_html_(self):
        return html_message(self.lines, self.kind)


# -- setup -----------------------------------------------------------------------------------
@dataclass(repr=False)
class SetupReport(Message):
    dependencies: dict = field(default_factory=dict)   # module -> notebook|saved|stub|missing


def _refresh_dependency(work: Path, modules: Path, dep: str, lang: str) -> tuple[str, str]:
    """Bring ``_modules/<dep>.py`` up to date; ``(how, line to show)``.

    The notebook holding ``dep`` is chosen by the same rule as ``grader check``
    and ``grader submit`` (grader.notebooks.extract.choose_notebook), with a
    note naming it when several hold it.
    """
    target = modules / EXERCISES[dep].filename
    notebook = work / f"{dep}.ipynb"
    notices: list = []
    note = None
    try:
        found = notebook_for_module(work, dep, notices)
    except GraderError as exc:
        found, note = None, t("notebook.dependency.unreadable", lang, module=dep,
                              source=notebook.name, message=exc.message(lang))
    extra = "".join("\n    " + n.message(lang) for n in notices)
    if extra and note is None and found is None:
        note = extra.strip()
    if found is not None:
        notebook, data = found
        if not target.is_file() or notebook.stat().st_mtime > target.stat().st_mtime:
            _write(target, data)
            return "notebook", t("notebook.dependency.notebook", lang, module=dep,
                                 source=notebook.name) + extra
    if target.is_file():
        line = t("notebook.dependency.saved", lang, module=dep, source=f"{MODULES_DIR}/")
        return "saved", (note + "\n    " + line) if note else line
    before = note + "\n    " if note else ""
    stub = stub_source(dep)
    if stub is not None:
        _write(target, stub)
        return "stub", before + t("notebook.dependency.stub", lang, module=dep,
                                  notebook=notebook.name)
    return "missing", before + t("notebook.dependency.missing", lang, module=dep,
                                 notebook=notebook.name, source=f"{MODULES_DIR}/")


def setup(exercise: str, *, lang: str | None = None, folder: Path | str | None = None
          ) -> SetupReport:
    """Prepare the kernel of ``<exercise>.ipynb``: import path and the modules it uses.

    Inputs:
    - exercise: "activations", "perceptron", "backprop", "dropout" or "sgd".
    - lang: "es" or "en" (default: $GRADER_LANG, else the locale).
    - folder: the notebook's folder (default: the kernel's working directory).
    Returns: a SetupReport saying where each imported module comes from.
    """
    exercise = _exercise(exercise)
    lang = resolve_lang(lang)
    work = Path(folder) if folder is not None else Path.cwd()
    modules = work / MODULES_DIR
    modules.mkdir(parents=True, exist_ok=True)
    if str(modules) not in sys.path:
        sys.path.insert(0, str(modules))
    importlib.invalidate_caches()
    deps, lines = {}, [t("notebook.setup_ready", lang, exercise=exercise,
                         path=f"{MODULES_DIR}/{EXERCISES[exercise].filename}")]
    for dep in closure(exercise)[:-1]:
        how, line = _refresh_dependency(work, modules, dep, lang)
        deps[dep] = how
        lines.append("  - " + line)
    kind = "warning" if "missing" in deps.values() else "info"
    return SetupReport(lines=lines, kind=kind, dependencies=deps)


# -- check_here ------------------------------------------------------------------------------
def module_from_history(history, exercise: str) -> tuple[str, int] | None:
    """The module text made of the latest run of each ``#| exercise: <exercise>...`` cell.

    ``history`` is the kernel's list of executed cell texts (index = execution
    count). Cells keep the position of their first run. Returns
    ``(source, number of cells)`` or None when no such cell was run.
    """
    parts: dict[str, tuple[int, str]] = {}
    for count, text in enumerate(history):
        if not isinstance(text, str) or not text.strip():
            continue
        marker = marker_of(text)
        if marker and marker[0] == exercise:
            parts[marker[1]] = (count, text)
    if not parts:
        return None
    chunks = [f"# --- In [{count}] ---\n"
              + _drop_top_level_expressions(neutralise(text)).rstrip() + "\n"
              for count, text in parts.values()]
    return "\n\n".join(chunks), len(chunks)


def _kernel_history() -> list:
    try:
        from IPython import get_ipython
    except ImportError:
        get_ipython = None
    shell = get_ipython() if get_ipython is not None else None
    if shell is None or getattr(shell, "history_manager", None) is None:
        raise GraderError("error.notebook_not_in_ipython")
    return list(shell.history_manager.input_hist_raw)


class CheckReport:
    """What the check cell shows: the Results of the public checks, rendered.

    Attribute access falls through to the Results (``results.score``,
    ``results.checks``, ``results.all_passed``...).
    """

    def __init__(self, results, lang: str, written: Path, cells: int, warnings=()):
        self.results, self.lang, self.written, self.cells = results, lang, written, cells
        self.warnings = list(warnings)

    def __getattr__(self, name):
        return getattr(self.results, name)

    def _header(self) -> str:
        return "\n".join([t("notebook.module_written", self.lang, cells=self.cells,
                            path=f"{MODULES_DIR}/{self.written.name}")] + self.warnings)

    def __repr__(self):
        return self._header() + "\n" + results_text(self.results, self.lang)

    def _repr_html_(self):
        return results_html(self.results, self.lang, header=self._header())


def check_here(exercise: str, *, lang: str | None = None, timeout_s: float | None = None,
               folder: Path | str | None = None, history=None) -> CheckReport:
    """Save the exercise's marked cells to ``_modules/<exercise>.py`` and run its public checks.

    Inputs:
    - exercise: the notebook's exercise ("sgd", ...).
    - lang: "es" or "en"; timeout_s: seconds per call of the student's code.
    - folder: the notebook's folder (default: the kernel's working directory).
    - history: executed cell texts (default: this IPython kernel's history).
    Returns: a CheckReport (shown as a table in the notebook).
    """
    from grader.checking import check

    exercise = _exercise(exercise)
    lang = resolve_lang(lang)
    work = Path(folder) if folder is not None else Path.cwd()
    found = module_from_history(_kernel_history() if history is None else history, exercise)
    if found is None:
        raise GraderError("error.notebook_cells_not_run", exercise=exercise,
                          marker=f"#| exercise: {exercise}")
    source, cells = found
    prepared = setup(exercise, lang=lang, folder=work)
    target = work / MODULES_DIR / EXERCISES[exercise].filename
    _write(target, source.encode("utf-8"))
    results = check(work / MODULES_DIR, [exercise], lang=lang, timeout_s=timeout_s)
    return CheckReport(results, lang, target, cells,
                       _stub_warnings(exercise, source, prepared.dependencies, lang))


def _stub_warnings(exercise: str, source: str, dependencies: dict, lang: str) -> list[str]:
    """Name each function taken from an unsolved stub (or not found), never silently."""
    from grader.notebooks.session import imported_names

    lines = []
    for dep, how in dependencies.items():
        if how not in ("stub", "missing"):
            continue
        names = imported_names(source, dep) or list(EXERCISES[dep].functions)
        lines.append(t(f"notebook.dependency_{how}_warning", lang, exercise=exercise, module=dep,
                       functions=", ".join(names), notebook=f"{dep}.ipynb",
                       path=f"{MODULES_DIR}/{EXERCISES[dep].filename}"))
    return lines


# -- compare_here ----------------------------------------------------------------------------
@dataclass
class Comparison:
    """The comparison with Keras: its table and, when drawn, the PNG of the plot."""

    table: str
    png: bytes | None = None

    def __repr__(self):
        return self.table

    def _repr_html_(self):
        import base64
        import html

        img = ""
        if self.png:
            img = f'<img src="data:image/png;base64,{base64.b64encode(self.png).decode()}"/>'
        return f"<pre>{html.escape(self.table)}</pre>{img}"


def compare_here(*, dataset: str = "xor", hidden=(4,), lr: float = 0.5, batch_size: int = 4,
                 epochs: int = 50, dropout: float = 0.0, seed: int = 0, lang: str | None = None,
                 folder: Path | str | None = None):
    """`grader compare` from a notebook: the student's network (sandboxed) against Keras.

    Uses ``_modules/`` as saved by the check cells. Returns a Comparison, or a
    Message when TensorFlow is missing or the student's code is not ready.
    """
    from importlib.util import find_spec

    lang = resolve_lang(lang)
    if find_spec("tensorflow") is None or find_spec("grader.compare") is None:
        return Message([t("notebook.compare_unavailable", lang)], kind="warning")
    from grader.checking import read_exercise_files
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem
    from grader.checks.session import CheckSession
    from grader.compare import compare, format_table

    work = Path(folder) if folder is not None else Path.cwd()
    try:
        files = read_exercise_files(work / MODULES_DIR)
    except GraderError as exc:
        return Message([t("notebook.compare_not_ready", lang, message=exc.message(lang))],
                       kind="warning")
    with CheckSession(files=files, lang=lang) as session:
        try:
            result = compare(session.proxy("sgd"), dataset=dataset, hidden=tuple(hidden), lr=lr,
                             batch_size=batch_size, epochs=epochs, dropout=dropout,
                             seed=seed, lang=lang)
        except StudentProblem as problem:
            _, feedback = problem_feedback(problem)
            return Message([t("notebook.compare_not_ready", lang,
                              message=feedback.render(lang))], kind="warning")
        except GraderError as exc:
            return Message([t("notebook.compare_not_ready", lang, message=exc.message(lang))],
                           kind="warning")
    png = None
    if find_spec("matplotlib") is not None:
        from grader.compare import plot

        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "compare.png"
            plot(result, out, lang=lang)
            png = out.read_bytes()
    return Comparison(format_table(result, lang), png)
