"""Generate one Jupyter notebook per exercise and language from the exercise sources.

The notebooks are build products (``grader release`` writes them into the
student bundle); nobody edits them by hand. Cells of ``<exercise>.ipynb``:

- the explanation and formulas (``tests/checks/<exercise>/notebook.<lang>.md``,
  section ``intro``) and how to work in the notebook;
- a setup cell (tag ``setup``): ``setup("<exercise>")``;
- the module's imports and constants, then one code cell per function, each
  tagged ``exercise:<exercise>`` and starting with the marker line
  ``#| exercise: <exercise>/<function>``, preceded by that function's
  explanation (the section of the same name in the markdown file);
- a "try it" cell (tag ``try``) calling the functions on small inputs
  (and, for sgd, drawing the loss curve), quiet while they are not done;
- the check cell (tag ``check``): ``results = check_here("<exercise>")``;
- for sgd, the comparison with Keras (tag ``compare``), then how to hand in.

The code cells are cut from ``source_dir/<exercise>.py``: ``exercises/``
(the stubs) for students, ``solutions/`` in the grader's own tests.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from grader import __version__, config
from grader.exercises import EXERCISES, ORDER, closure, notebook_text_path
from grader.i18n import t
from grader.notebooks.extract import MODULES_DIR, TAG_PREFIX

# The notebook texts of exercises whose unit has no notebook.<lang>.md.
CONTENT_DIR = Path(__file__).resolve().parent.parent / "i18n" / "notebooks"
_SECTION = re.compile(r"^<!--\s*section:\s*(?P<name>[\w.-]+)\s*-->\s*$", re.MULTILINE)
NBFORMAT_MINOR = 5


# -- texts -----------------------------------------------------------------------------------
def content_sections(exercise: str, lang: str) -> dict[str, str]:
    """The sections of the exercise's ``notebook.<lang>.md``: ``{"intro": ..., ...}``
    (empty when the exercise has no such file: its notebook then shows the stub's
    docstrings, see ``_intro``)."""
    path = notebook_text_path(exercise, lang)
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(_SECTION.finditer(text))
    sections = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        sections[m["name"]] = text[m.end():end].strip()
    return sections


def exercise_title(exercise: str, lang: str) -> str:
    """The exercise's title: the notebooks' catalog, else its unit's ``title``, else its name."""
    from grader.i18n import catalog

    if f"notebook.exercise_title.{exercise}" in catalog():
        return t(f"notebook.exercise_title.{exercise}", lang)
    title = getattr(EXERCISES[exercise], "title", None)
    return title.get(lang, exercise) if isinstance(title, dict) and title else exercise


def _intro(exercise: str, lang: str, texts: dict, source: str) -> str:
    """The explanation above an exercise: its ``intro`` section, else the stub's docstring
    (the part in ``lang`` when it has "Español" / "English" headings)."""
    if "intro" in texts:
        return texts["intro"]
    doc = ast.get_docstring(ast.parse(source)) or ""
    parts = re.split(r"^(Español|English)\n-+\n", doc, flags=re.MULTILINE)
    wanted = {"es": "Español", "en": "English"}[lang]
    if wanted in parts:
        doc = parts[0].strip() + "\n\n" + parts[parts.index(wanted) + 1].strip()
    return "```text\n" + doc.strip() + "\n```" if doc.strip() else ""


# -- cutting a module into cells -------------------------------------------------------------
def split_module(source: str) -> tuple[str, list[tuple[str, str]]]:
    """``(header, [(function name, function source), ...])`` of a module's source.

    The header is every top-level statement that is neither the module
    docstring nor a function (imports, constants), with its comments. A
    function's source starts at its first decorator and takes the comment
    lines right above it.
    """
    tree = ast.parse(source)
    lines = source.splitlines()
    body = list(tree.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None),
                                                             ast.Constant):
        body = body[1:]                      # the module docstring: explained in markdown
    header: list[str] = []
    functions: list[tuple[str, str]] = []
    for node in body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        while first > 1 and lines[first - 2].lstrip().startswith("#"):
            first -= 1
        chunk = "\n".join(lines[first - 1: node.end_lineno])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.append((node.name, chunk))
        else:
            if header and _blank_before(lines, first):
                header.append("")
            header.append(chunk)
    return "\n".join(header), functions


def _blank_before(lines, first) -> bool:
    return first > 1 and not lines[first - 2].strip()


# -- cells -----------------------------------------------------------------------------------
def _markdown(text: str, **meta):
    import nbformat

    return nbformat.v4.new_markdown_cell(text, metadata=meta)


def _code(source: str, tags=(), locked: bool = False):
    import nbformat

    meta: dict = {"tags": list(tags)} if tags else {}
    if locked:
        meta.update(editable=False, deletable=False)
    return nbformat.v4.new_code_cell(source, metadata=meta)


_TRY = {
    "activations": """\
z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
for name, g in [("sigmoid", sigmoid), ("sigmoid_derivative", sigmoid_derivative),
                ("tanh_derivative", tanh_derivative), ("relu", relu),
                ("relu_derivative", relu_derivative)]:
    try:
        print(f"{name}(z) =", g(z))
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "perceptron": """\
# @COMMENT@
X_or = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
d_or = np.array([0, 1, 1, 1])
x, w, b = np.array([-1.0, 2.0]), np.array([3.0, -2.0]), 1.0
for name, run in [("predict", lambda: predict(x, w, b)),
                  ("train", lambda: train(X_or, d_or, lr=1.0))]:
    try:
        print(f"{name}:", run())
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "backprop": """\
# @COMMENT@
rng = np.random.default_rng(0)
X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_xor = np.array([[0.0], [1.0], [1.0], [0.0]])
params = [(rng.normal(size=(2, 3)), np.zeros(3)), (rng.normal(size=(3, 1)), np.zeros(1))]
try:
    A_L, cache = forward(X_xor, params)
    print(@LOSS_EQ@, binary_cross_entropy(A_L, Y_xor))
    for layer, (dW, db) in enumerate(backward(params, cache, Y_xor), start=1):
        print(f"@LAYER@ {layer}: dW.shape = {np.shape(dW)}, db.shape = {np.shape(db)}")
except NotImplementedError as exc:
    print(exc)
""",
    "dropout": """\
rng = np.random.default_rng(0)
A = np.ones((2, 5))
for name, run in [("dropout_mask", lambda: dropout_mask((2, 5), 0.4, rng)),
                  ("dropout_forward", lambda: dropout_forward(A, 0.4, rng)),
                  ("dropout_backward", lambda: dropout_backward(A, None))]:
    try:
        print(f"{name}:", run())
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "sgd": """\
# @COMMENT@
rng = np.random.default_rng(0)
X_xor = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_xor = np.array([[0.0], [1.0], [1.0], [0.0]])
params = [(rng.normal(size=(2, 4)), np.zeros(4)), (rng.normal(size=(4, 1)), np.zeros(1))]
try:
    trained, history = train(X_xor, Y_xor, params, lr=2.0, batch_size=2, epochs=300)
except NotImplementedError as exc:
    print(exc)
else:
    A_L, _ = forward(X_xor, trained)
    print(@LOSS_COLON@, history[0], "->", history[-1])
    print("A_L =", A_L.ravel().round(3))
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        plt = None
    if plt is not None:
        plt.figure(figsize=(5, 3))
        plt.plot(history)
        plt.xlabel(@EPOCH@)
        plt.ylabel(@LOSS@)
        plt.title(@TITLE@)
        plt.show()
""",
    "more_activations": """\
z = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
for name, g in [("leaky_relu", leaky_relu), ("leaky_relu_derivative", leaky_relu_derivative),
                ("swish", swish), ("swish_derivative", swish_derivative)]:
    try:
        print(f"{name}(z) =", g(z))
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "losses": """\
Z = np.array([[2.0, 1.0, 0.1], [1000.0, 0.0, -1000.0]])
Y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
for name, run in [("softmax", lambda: softmax(Z)), ("one_hot", lambda: one_hot([0, 1], 3)),
                  ("mse", lambda: mse(Z[:1], Y[:1])),
                  ("categorical_cross_entropy", lambda: categorical_cross_entropy(softmax(Z), Y)),
                  ("softmax_cross_entropy_gradient",
                   lambda: softmax_cross_entropy_gradient(Z, Y))]:
    try:
        print(f"{name}:", run())
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "optimizers": """\
w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
zeros = np.zeros(2)
for name, run in [("momentum_step", lambda: momentum_step(w, g, zeros, 0.1)),
                  ("rmsprop_step", lambda: rmsprop_step(w, g, zeros, 0.1)),
                  ("adam_step", lambda: adam_step(w, g, zeros, zeros, 1, 0.1))]:
    try:
        print(f"{name}:", run())
    except NotImplementedError as exc:
        print(f"{name}: {exc}")
""",
    "early_stopping": """\
try:
    print("early_stopping:", early_stopping([1.0, 0.8, 0.9, 0.85, 0.95], patience=2))
except NotImplementedError as exc:
    print(exc)
""",
    "data": """\
X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10.0).reshape(10, 1)
try:
    parts = train_val_test_split(X, Y, rng=np.random.default_rng(0))
    print("sizes:", [len(p) for p in parts[0::2]])
    X_train_std, X_val_std, X_test_std, mean, std = standardize(parts[0], parts[2], parts[4])
    print("mean =", mean, "std =", std)
except NotImplementedError as exc:
    print(exc)
""",
}


def _try_code(exercise: str, lang: str) -> str:
    """Small calls of the exercise's functions, quiet while they raise NotImplementedError."""
    code = _TRY[exercise]
    if "@COMMENT@" in code:
        code = code.replace("@COMMENT@", t(f"notebook.try_comment_{exercise}", lang))
    for token, key in (("@EPOCH@", "plot_epoch"), ("@LOSS@", "plot_loss"),
                       ("@TITLE@", "plot_title"), ("@LOSS_EQ@", "try_loss_equals"),
                       ("@LOSS_COLON@", "try_loss_colon")):
        code = code.replace(token, repr(t(f"notebook.{key}", lang)))
    code = code.replace("@LAYER@", t("notebook.try_layer", lang))
    return code.rstrip("\n")


def _exercise_code_cells(exercise: str, lang: str, source: str) -> list:
    """The module's imports, then each function's explanation and code (marked, tagged)."""
    header, functions = split_module(source)
    texts = content_sections(exercise, lang)
    cells = [_code(f"#| exercise: {exercise}\n{header}", tags=[TAG_PREFIX + exercise])]
    for name, code in functions:
        if texts and name not in texts:
            raise KeyError(f"{notebook_text_path(exercise, lang)}: no section {name!r}")
        if name in texts:                   # else the function's docstring explains it
            cells.append(_markdown(texts[name]))
        cells.append(_code(f"#| exercise: {exercise}/{name}\n{code}",
                           tags=[TAG_PREFIX + exercise]))
    return cells


def _finish(cells, prefix: str, metadata: dict):
    import nbformat

    for i, cell in enumerate(cells):
        cell["id"] = f"{prefix}-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "dl_grader": dict(metadata, version=__version__),
    })
    nb.nbformat_minor = NBFORMAT_MINOR
    nbformat.validate(nb)
    return nb


def _position(exercise: str, assignment=None) -> tuple[int, int]:
    """``(n, total)``: the exercise's number within its assignment (the one given, else
    the first that holds it; else the registry's order)."""
    from grader.assignments import containing, get

    chosen = get(assignment) if assignment is not None else containing([exercise])
    order = chosen.exercises if chosen is not None and exercise in chosen.exercises else ORDER
    return order.index(exercise) + 1, len(order)


def notebook_for(exercise: str, lang: str, *, source_dir: Path | str | None = None,
                 assignment=None):
    """The notebook (an nbformat NotebookNode) of one exercise in one language
    ("exercise n of N" within ``assignment``, default the first holding the exercise)."""
    if exercise not in EXERCISES:
        raise KeyError(exercise)
    ex = EXERCISES[exercise]
    source = (Path(source_dir or config.EXERCISES_DIR) / ex.filename).read_text(encoding="utf-8")
    texts = content_sections(exercise, lang)
    number, total = _position(exercise, assignment)
    deps = [d for d in closure(exercise) if d != exercise]
    path = f"{MODULES_DIR}/{ex.filename}"

    cells = [
        _markdown(t("notebook.title", lang, number=number, total=total,
                    title=exercise_title(exercise, lang)) + "\n\n"
                  + _intro(exercise, lang, texts, source)),
        _markdown(t("notebook.how_to", lang, module=exercise, path=path,
                    marker=f"#| exercise: {exercise}")
                  + ("\n\n" + t("notebook.uses", lang, module=exercise,
                                deps=", ".join(f"`{d}`" for d in deps),
                                notebooks=", ".join(f"`{d}.ipynb`" for d in deps),
                                modules_dir=MODULES_DIR) if deps else "")),
        _markdown(t("notebook.setup_heading", lang)),
        _code(f"# {t('notebook.setup_comment', lang)}\n"
              f"LANG = {lang!r}\n"
              "from grader.notebooks import check_here, setup\n"
              f"setup({exercise!r}, lang=LANG)", tags=["setup"], locked=True),
        _markdown(t("notebook.code_heading", lang, module=exercise, path=path,
                    marker=f"#| exercise: {exercise}")),
    ]
    cells += _exercise_code_cells(exercise, lang, source)
    if exercise in _TRY:
        cells += [_markdown(t("notebook.try_heading", lang)),
                  _code(_try_code(exercise, lang), tags=["try"])]
    cells += [
        _markdown(t("notebook.check_heading", lang, path=path)),
        _code(f"# {t('notebook.check_comment', lang, path=path)}\n"
              f"results = check_here({exercise!r}, lang=LANG)\n"
              "results", tags=["check"], locked=True),
    ]
    if exercise == "sgd":
        cells += [
            _markdown(t("notebook.compare_heading", lang)),
            _code(f"# {t('notebook.compare_comment', lang)}\n"
                  "from grader.notebooks import compare_here\n"
                  "compare_here(dataset=\"xor\", hidden=(4,), lr=0.5, batch_size=4, epochs=50,"
                  " lang=LANG)", tags=["compare"]),
        ]
    cells.append(_markdown(t("notebook.submit_text", lang)))
    return _finish(cells, exercise, {"exercise": exercise, "lang": lang})


# -- the assignment notebook (Colab) ---------------------------------------------------------
def install_source(install_from: str | None) -> str | None:
    """The code of the first cell of an assignment notebook: install the student wheel.

    ``install_from`` is what the instructor gave ``grader release --install-from``:
    a URL or path ending in ``.whl`` (a GitHub release asset, a course server, a
    wheel uploaded beside the notebook), a Google Drive share link, or a page /
    folder listing the wheel (pip's ``--find-links``). None without it (the cell
    then says what to ask the instructor for).
    """
    from grader.release.wheel import DIST_NAME, wheel_name

    wheel = wheel_name()
    if install_from and re.search(r"drive\.google\.com|docs\.google\.com", install_from):
        file_id = re.search(r"/d/([\w-]+)|[?&]id=([\w-]+)", install_from)
        url = (f"https://drive.google.com/uc?export=download&id={file_id[1] or file_id[2]}"
               if file_id else install_from)
        return ("import urllib.request\n"
                f"urllib.request.urlretrieve({url!r}, {wheel!r})\n"
                f"%pip install -q {wheel}")
    if not install_from:
        return None
    if not install_from.lower().endswith(".whl"):
        return f'%pip install -q --find-links "{install_from}" "{DIST_NAME}=={__version__}"'
    return f'%pip install -q "{install_from}"'


def _install_code(install_from: str | None, lang: str) -> str:
    from grader.release.wheel import wheel_name

    code = install_source(install_from)
    if code is not None:
        return f"# {t('notebook.assignment.install_comment', lang)}\n{code}"
    ask = "\n".join("# " + line for line in t("notebook.assignment.install_ask", lang,
                                              wheel=wheel_name()).splitlines())
    missing = t("notebook.assignment.install_missing", lang, wheel=wheel_name())
    return (f'{ask}\nWHEEL = ""\n'
            'if WHEEL:\n    %pip install -q "{WHEEL}"\n'
            f"else:\n    print({missing!r})")


def assignment_notebook(assignment: str | int, lang: str, *, source_dir: Path | str | None = None,
                        install_from: str | None = None):
    """The notebook of a whole assignment, for Colab: it works on its own.

    Cells: how it works; the install cell (the student wheel); the setup
    (``begin``); each exercise of the assignment in order, its explanation and
    code cells followed by its try-it cell and its check cell (``check("<ex>")``);
    then ``submit(student_id=...)``.
    """
    from grader.notebooks.assignment import (assignment_exercises, assignment_name,
                                             assignment_title)
    from grader.notebooks.session import STUDENT_ID_PLACEHOLDER

    exercises = assignment_exercises(assignment)
    title = assignment_title(assignment, lang)
    assignment = assignment_name(assignment)
    folder = Path(source_dir or config.EXERCISES_DIR)
    cells = [
        _markdown((t("notebook.assignment.title", lang, assignment=assignment, title=title)
                   if title else t("notebook.assignment.default_title", lang,
                                   assignment=assignment))
                  + "\n\n" + t("notebook.assignment.how_to", lang,
                                 exercises=", ".join(f"`{e}`" for e in exercises))),
        _markdown(t("notebook.assignment.install_heading", lang)),
        _code(_install_code(install_from, lang), tags=["install"], locked=bool(install_from)),
        _markdown(t("notebook.setup_heading", lang)),
        _code(f"# {t('notebook.setup_comment', lang)}\n"
              f"LANG = {lang!r}\n"
              "try:\n"
              "    from grader.notebooks.session import begin, check, submit\n"
              "except ModuleNotFoundError:\n"
              f"    print({t('notebook.assignment.not_installed', lang)!r})\n"
              "else:\n"
              f"    display(begin({assignment!r}, lang=LANG))", tags=["setup"], locked=True),
    ]
    for number, exercise in enumerate(exercises, start=1):
        source = (folder / EXERCISES[exercise].filename).read_text(encoding="utf-8")
        texts = content_sections(exercise, lang)
        cells.append(_markdown(t("notebook.assignment.exercise_heading", lang, number=number,
                                 title=exercise_title(exercise, lang),
                                 module=exercise) + "\n\n" + _intro(exercise, lang, texts,
                                                                      source)))
        cells += _exercise_code_cells(exercise, lang, source)
        if exercise in _TRY:
            cells.append(_code(_try_code(exercise, lang), tags=["try"]))
        cells.append(_code(f"# {t('notebook.assignment.check_comment', lang, module=exercise)}\n"
                           f"check({exercise!r})", tags=["check"], locked=True))
    cells += [
        _markdown(t("notebook.assignment.submit_heading", lang)),
        _code(f"# {t('notebook.assignment.submit_comment', lang)}\n"
              f"submit(student_id={STUDENT_ID_PLACEHOLDER!r})", tags=["submit"]),
    ]
    return _finish(cells, f"a{assignment}", {"assignment": assignment, "lang": lang})


def write_assignment_notebooks(out_dir: Path | str, *, assignments=None, langs=config.LANGUAGES,
                               source_dir: Path | str | None = None,
                               install_from: str | None = None) -> list[Path]:
    """Write ``out_dir/<lang>/assignment-<n>.ipynb`` for every assignment and language."""
    import nbformat

    from grader.notebooks.assignment import assignment_name, assignment_names

    written = []
    for lang in langs:
        folder = Path(out_dir) / lang
        folder.mkdir(parents=True, exist_ok=True)
        for assignment in assignments or assignment_names():
            path = folder / assignment_filename(assignment_name(assignment))
            nbformat.write(assignment_notebook(assignment, lang, source_dir=source_dir,
                                               install_from=install_from), str(path))
            written.append(path)
    return written


def assignment_filename(assignment: str | int) -> str:
    return f"assignment-{assignment}.ipynb"


def write_notebooks(out_dir: Path | str, *, langs=config.LANGUAGES, exercises=None,
                    source_dir: Path | str | None = None, assignment=None) -> list[Path]:
    """Write ``out_dir/<lang>/<exercise>.ipynb`` for every language and exercise."""
    import nbformat

    if exercises is None:
        from grader.assignments import get

        exercises = get(assignment).exercises
    written = []
    for lang in langs:
        folder = Path(out_dir) / lang
        folder.mkdir(parents=True, exist_ok=True)
        for exercise in exercises:
            path = folder / f"{exercise}.ipynb"
            nbformat.write(notebook_for(exercise, lang, source_dir=source_dir,
                                        assignment=assignment), str(path))
            written.append(path)
    return written
