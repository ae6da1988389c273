"""The helpers of an assignment notebook, which works on its own (Colab, Jupyter).

The notebook's setup cell calls ``begin("1", lang="es")``; after each exercise a
cell calls ``check("activations")``; the last one calls ``submit(student_id=...)``.

How the kernel knows its notebook: it does not read the ``.ipynb`` (Colab keeps
it in Drive, Jupyter saves it late). IPython remembers the text of every cell
the kernel ran (``history_manager.input_hist_raw``, in Jupyter and Colab alike),
and the generated cells start with a marker line ``#| exercise: <module>/<part>``.
The latest run of each marked cell, in the order of first runs, is the
module (``grader.notebooks.kernel.module_from_history``). So:

- ``check`` runs the public checks on the modules made of THIS kernel's cells,
  in sandboxed workers like ``grader check``; an exercise that imports an
  earlier one (backprop imports activations) gets the earlier one from the same
  cells. A dependency whose cells were not run is named, with the functions
  needed from it: there is no silent stub.
- ``begin`` makes ``from activations import sigmoid`` work in the kernel itself:
  an import hook serves the assignment's modules from the same cells (and a
  module is built again when its cells change).
- ``submit`` writes the modules to ``_modules/`` and the archive ``grader submit``
  writes, then offers it for download (``google.colab.files.download`` in
  Colab; a link elsewhere).
"""

from __future__ import annotations

import ast
import html
import importlib.abc
import importlib.util
import inspect
import os
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from grader.errors import GraderError
from grader.i18n import resolve_lang, t
from grader.notebooks.display import results_html, results_text
from grader.notebooks.extract import MODULES_DIR
from grader.notebooks.kernel import Message, module_from_history

STUDENT_ID_PLACEHOLDER = "TU_ID"     # what the generated submit cell holds (es and en)


@dataclass
class _State:
    assignment: str | None = None
    lang: str | None = None
    exercises: tuple = ()
    history: object = None           # a list of cell texts, for tests; else the kernel's


_STATE = _State()


def _lang(lang: str | None = None) -> str:
    return resolve_lang(lang or _STATE.lang)


def _history() -> list:
    if _STATE.history is not None:
        return list(_STATE.history)
    from grader.notebooks.kernel import _kernel_history

    return _kernel_history()


def _exercises() -> tuple[str, ...]:
    if _STATE.exercises:
        return _STATE.exercises
    from grader.notebooks.assignment import assignment_exercises

    return assignment_exercises()


# -- the import hook -------------------------------------------------------------------------
class NotebookModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``import activations`` in the kernel from the notebook's own cells."""

    def __init__(self, names):
        self.names = tuple(names)

    def find_spec(self, name, path=None, target=None):
        if path is None and name in self.names:
            return importlib.util.spec_from_loader(name, self, origin=f"<{name}: notebook>")
        return None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        name = module.__name__
        found = module_from_history(_history(), name)
        if found is None:
            key = ("notebook.session.import_not_run" if name in _exercises()
                   else "notebook.session.earlier_module")
            raise ImportError(t(key, _lang(), module=name, marker=f"#| exercise: {name}"),
                              name=name)
        source, _ = found
        module.__dl_grader_source__ = source
        exec(compile(source, f"<{name}: {t('notebook.session.cells_of', _lang())}>", "exec"),
             module.__dict__)

    def refresh(self, *_args, **_kwargs):
        """Forget the modules whose cells changed since they were imported."""
        try:
            history = _history()
        except GraderError:
            return
        for name in self.names:
            module = sys.modules.get(name)
            if module is None or getattr(module, "__loader__", None) is not self:
                continue
            found = module_from_history(history, name)
            if found is None or found[0] != getattr(module, "__dl_grader_source__", None):
                del sys.modules[name]


def _install_hook(names) -> NotebookModules:
    for finder in list(sys.meta_path):
        if isinstance(finder, NotebookModules):
            sys.meta_path.remove(finder)
            _unregister(finder)
    hook = NotebookModules(names)
    sys.meta_path.insert(0, hook)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        shell.events.register("pre_run_cell", hook.refresh)
    return hook


def _unregister(finder):
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            shell.events.unregister("pre_run_cell", finder.refresh)
    except (ImportError, ValueError):
        pass


def begin(assignment: str | int = "1", *, lang: str | None = None, history=None) -> Message:
    """Set up this kernel for the assignment notebook (its setup cell calls this).

    Inputs:
    - assignment: the assignment the notebook holds ("1", ...).
    - lang: "es" or "en": the language of every message of check() and submit().
    - history: cell texts to use instead of the kernel's (tests).
    Returns: a Message listing the exercises, in order.
    """
    from grader.notebooks.assignment import assignment_exercises

    lang = resolve_lang(lang)
    exercises = assignment_exercises(assignment)
    _STATE.assignment, _STATE.lang, _STATE.exercises = str(assignment), lang, exercises
    _STATE.history = history
    from grader.exercises import closure

    _install_hook(tuple(dict.fromkeys(d for ex in exercises for d in closure(ex))))
    return Message([t("notebook.session.ready", lang, assignment=assignment,
                      exercises=", ".join(exercises))])


# -- check -----------------------------------------------------------------------------------
def imported_names(source: str, module: str) -> list[str]:
    """The names ``source`` imports from ``module`` (``from module import a, b``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == module and not node.level:
            names += [a.name for a in node.names if a.name != "*"]
    return list(dict.fromkeys(names))


def defined_names(source: str) -> set[str]:
    """Top-level names a module's source defines (functions, classes, assignments, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for tgt in targets for n in ast.walk(tgt) if isinstance(n, ast.Name))
    return names


def notebook_modules(exercises, history, lang: str) -> tuple[dict[str, bytes], list[str]]:
    """The modules of ``exercises`` and of what they import, from the cells run.

    Returns ``(files, problems)``: ``problems`` are messages naming each exercise
    whose cells were not run, and each function an exercise needs from an
    earlier one that the notebook does not define.
    """
    from grader.exercises import EXERCISES, closure

    files, problems = {}, []
    for name in dict.fromkeys(d for ex in exercises for d in closure(ex)):
        found = module_from_history(history, name)
        if found is not None:
            files[EXERCISES[name].filename] = found[0].encode("utf-8")
    for ex in exercises:
        source = files.get(EXERCISES[ex].filename)
        if source is None:
            problems.append(t("notebook.session.not_run", lang, exercise=ex,
                              marker=f"#| exercise: {ex}"))
            continue
        for dep in closure(ex)[:-1]:
            needed = imported_names(source.decode("utf-8"), dep) or list(
                EXERCISES[dep].functions)
            dep_source = files.get(EXERCISES[dep].filename)
            if dep_source is None:
                key = ("notebook.session.dependency_not_run" if dep in _exercises()
                       else "notebook.session.dependency_earlier")
                problems.append(t(key, lang, exercise=ex, module=dep,
                                  functions=", ".join(needed), marker=f"#| exercise: {dep}"))
                continue
            lacking = [n for n in needed if n not in defined_names(dep_source.decode("utf-8"))]
            if lacking:
                problems.append(t("notebook.session.dependency_lacks", lang, exercise=ex,
                                  module=dep, functions=", ".join(lacking)))
    return files, problems


class NotebookCheck:
    """What a check cell shows: the Results of the public checks, rendered.

    Attribute access falls through to the Results (``.score``, ``.checks``...).
    """

    def __init__(self, results, lang: str, exercises):
        self.results, self.lang, self.exercises = results, lang, tuple(exercises)

    def __getattr__(self, name):
        return getattr(self.results, name)

    def _header(self) -> str:
        return t("notebook.session.checked", self.lang, exercises=", ".join(self.exercises))

    def __repr__(self):
        return self._header() + "\n" + results_text(self.results, self.lang)

    def _repr_html_(self):
        return results_html(self.results, self.lang, header=self._header())


def check(exercise: str | None = None, *, lang: str | None = None,
          timeout_s: float | None = None):
    """Run the public checks on the code cells of this notebook.

    Inputs:
    - exercise: one exercise of the notebook ("backprop"); default: every
      exercise whose cells have been run.
    - lang: "es" or "en" (default: the notebook's, given to begin()).
    - timeout_s: seconds per call of the student's code.
    Returns: a NotebookCheck (a table in the notebook), or a Message saying
    which cells to run first.
    """
    from grader.checking import check_files, resolve_exercises

    lang = _lang(lang)
    try:
        history = _history()
        if exercise is not None:
            names = resolve_exercises([exercise])
        else:
            names = tuple(ex for ex in _exercises() if module_from_history(history, ex))
            if not names:
                return Message([t("notebook.session.nothing_run", lang)], kind="warning")
        files, problems = notebook_modules(names, history, lang)
        if problems:
            return Message(problems, kind="warning")
        results = check_files(files, names, lang=lang, timeout_s=timeout_s)
    except GraderError as exc:
        return Message([exc.message(lang)], kind="warning")
    return NotebookCheck(results, lang, names)


# -- submit ----------------------------------------------------------------------------------
@dataclass(repr=False)
class SubmitReport(Message):
    path: Path | None = None
    downloaded: bool = False
    manifest: dict = field(default_factory=dict)
    lang_: str = "es"

    def _repr_html_(self):
        body = super()._repr_html_()
        if self.path is None or self.downloaded:
            return body
        href = urllib.parse.quote(os.path.relpath(self.path, Path.cwd()).replace(os.sep, "/"))
        name = html.escape(self.path.name)
        return (body + f'<p><a href="{href}" download="{name}">'
                f"{html.escape(t('notebook.session.download_link', self.lang_, file=name))}"
                "</a></p>")


def _offer_download(path: Path) -> bool:
    """Start the browser download in Colab; False where google.colab is not importable."""
    try:
        from google.colab import files as colab_files  # type: ignore[import-not-found]
    except ImportError:
        return False
    colab_files.download(str(path))
    return True


def submit(student_id: str = STUDENT_ID_PLACEHOLDER, *, lang: str | None = None,
           folder: Path | str | None = None, out: Path | str | None = None):
    """Write the submission archive from this notebook's cells and offer it for download.

    Inputs:
    - student_id: the id your course uses (letters, digits, '.', '-', '_').
    - lang: "es" or "en" (default: the notebook's).
    - folder: where ``_modules/`` and the archive go (default: the working directory).
    - out: the archive (default: ``submission-<student_id>.zip`` in ``folder``).
    Returns: a SubmitReport (the archive's path, score and a download link), or a
    Message saying what is missing.
    """
    from grader.atomic import atomic_write_bytes
    from grader.exercises import EXERCISES
    from grader.submission import submit as write_submission

    lang = _lang(lang)
    if not student_id or student_id == STUDENT_ID_PLACEHOLDER:
        return Message([t("notebook.session.student_id_missing", lang,
                          placeholder=STUDENT_ID_PLACEHOLDER)], kind="warning")
    work = Path(folder) if folder is not None else Path.cwd()
    try:
        exercises = _exercises()
        files, problems = notebook_modules(exercises, _history(), lang)
        if problems:
            return Message([t("notebook.session.cannot_submit", lang)] + problems,
                           kind="warning")
        modules = work / MODULES_DIR
        for ex in exercises:
            name = EXERCISES[ex].filename
            atomic_write_bytes(modules / name, files[name], durable=False)
        target = Path(out) if out is not None else work / f"submission-{student_id}.zip"
        extra = {}
        if "assignment" in inspect.signature(write_submission).parameters:
            extra["assignment"] = _STATE.assignment     # once `grader submit` takes one
        result = write_submission(student_id, modules, target, lang=lang, **extra)
    except GraderError as exc:
        return Message([exc.message(lang)], kind="warning")
    score = result.manifest["results"]
    downloaded = _offer_download(result.path)
    lines = [t("notebook.session.submitted", lang, path=result.path.name, score=score["score"],
               max_score=score["max_score"], sha=result.sha256[:12]),
             t("notebook.session.downloaded" if downloaded else "notebook.session.download_here",
               lang, file=result.path.name)]
    return SubmitReport(lines=lines, path=result.path, downloaded=downloaded,
                        manifest=result.manifest, lang_=lang)
