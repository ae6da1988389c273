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
    """The sections of the exercise's ``notebook.<lang>.md``: ``{"intro": ..., ...}``."""
    text = notebook_text_path(exercise, lang).read_text(encoding="utf-8")
    marks = list(_SECTION.finditer(text))
    sections = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        sections[m["name"]] = text[m.end():end].strip()
    return sections


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
    print("loss =", binary_cross_entropy(A_L, Y_xor))
    for layer, (dW, db) in enumerate(backward(params, cache, Y_xor), start=1):
        print(f"layer {layer}: dW.shape = {np.shape(dW)}, db.shape = {np.shape(db)}")
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
    print("loss:", history[0], "->", history[-1])
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
                       ("@TITLE@", "plot_title")):
        code = code.replace(token, repr(t(f"notebook.{key}", lang)))
    return code.rstrip("\n")


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
    import nbformat

    if exercise not in EXERCISES:
        raise KeyError(exercise)
    ex = EXERCISES[exercise]
    source = (Path(source_dir or config.EXERCISES_DIR) / ex.filename).read_text(encoding="utf-8")
    header, functions = split_module(source)
    texts = content_sections(exercise, lang)
    number, total = _position(exercise, assignment)
    deps = [d for d in closure(exercise) if d != exercise]
    path = f"{MODULES_DIR}/{ex.filename}"

    cells = [
        _markdown(t("notebook.title", lang, number=number, total=total,
                    title=t(f"notebook.exercise_title.{exercise}", lang)) + "\n\n"
                  + texts["intro"]),
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
        _code(f"#| exercise: {exercise}\n{header}", tags=[TAG_PREFIX + exercise]),
    ]
    for name, code in functions:
        if name not in texts:
            raise KeyError(f"{notebook_text_path(exercise, lang)}: no section {name!r}")
        cells.append(_markdown(texts[name]))
        cells.append(_code(f"#| exercise: {exercise}/{name}\n{code}",
                           tags=[TAG_PREFIX + exercise]))
    if exercise in _TRY:     # a "try it" cell only where one is written (as issue-12's build)
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

    for i, cell in enumerate(cells):
        cell["id"] = f"{exercise}-{i:02d}"
    nb = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "dl_grader": {"exercise": exercise, "lang": lang, "version": __version__},
    })
    nb.nbformat_minor = NBFORMAT_MINOR
    nbformat.validate(nb)
    return nb


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
