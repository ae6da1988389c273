"""The generated notebooks: valid, tagged, in their language, and made of the exercise sources."""

import ast

import nbformat
import pytest

from grader import config
from grader.exercises import EXERCISES
from grader.assignments import get as get_assignment
from grader.i18n import t
from grader.notebooks.build import notebook_for, split_module, write_notebooks
from grader.notebooks.extract import marker_of, modules_from_notebook

# Notebooks are built for the default assignment (1); the course has more.
ORDER = get_assignment("1").exercises


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    return out, write_notebooks(out)


def test_every_notebook_of_every_language_is_valid_nbformat(built):
    _, paths = built
    assert len(paths) == len(ORDER) * len(config.LANGUAGES)
    for path in paths:
        nbformat.validate(nbformat.read(str(path), as_version=4))


def _functions(source: str) -> dict:
    return {n.name: ast.dump(n) for n in ast.parse(source).body
            if isinstance(n, ast.FunctionDef)}


@pytest.mark.parametrize("exercise", ORDER)
def test_the_tagged_cells_are_the_stub_module(built, exercise):
    out, _ = built
    stub = (config.EXERCISES_DIR / f"{exercise}.py").read_text(encoding="utf-8")
    module = modules_from_notebook(out / "en" / f"{exercise}.ipynb")[f"{exercise}.py"].decode()
    assert _functions(module) == _functions(stub)
    header, _ = split_module(stub)
    for line in header.splitlines():
        assert line in module.splitlines(), line


@pytest.mark.parametrize("exercise", ORDER)
def test_with_the_solutions_filled_in_the_cells_are_the_solution_module(exercise):
    nb = notebook_for(exercise, "es", source_dir=config.SOLUTIONS_DIR)
    solution = (config.SOLUTIONS_DIR / f"{exercise}.py").read_text(encoding="utf-8")
    code = "\n".join(c.source.split("\n", 1)[1] for c in nb.cells
                     if f"exercise:{exercise}" in c.metadata.get("tags", []))
    assert _functions(code) == _functions(solution)


def test_cells_are_tagged_marked_and_the_fixed_ones_locked():
    nb = notebook_for("sgd", "en")
    by_tag = {}
    for cell in nb.cells:
        for tag in cell.metadata.get("tags", []):
            by_tag.setdefault(tag, []).append(cell)
    assert set(by_tag) == {"setup", "exercise:sgd", "try", "check", "compare"}
    for cell in by_tag["exercise:sgd"]:
        assert marker_of(cell.source)[0] == "sgd"
    parts = [marker_of(c.source)[1] for c in by_tag["exercise:sgd"]]
    assert parts == ["", *EXERCISES["sgd"].functions]
    for tag in ("setup", "check"):
        (cell,) = by_tag[tag]
        assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
    assert 'check_here("sgd"' in by_tag["check"][0].source.replace("'", '"')


@pytest.mark.parametrize("lang", config.LANGUAGES)
def test_a_notebook_speaks_its_language(lang):
    nb = notebook_for("backprop", lang)
    text = "\n".join(c.source for c in nb.cells)
    assert t("notebook.exercise_title.backprop", lang) in text
    assert t("notebook.setup_heading", lang) in text
    assert f"LANG = {lang!r}" in text
    assert nb.metadata["dl_grader"] == {"exercise": "backprop", "lang": lang,
                                        "version": nb.metadata["dl_grader"]["version"]}


def test_formulas_reach_the_markdown_as_latex():
    nb = notebook_for("activations", "en")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert r"\sigma(z) = \frac{1}{1 + e^{-z}}" in markdown


def test_two_builds_are_identical(tmp_path):
    first = write_notebooks(tmp_path / "a", langs=("es",))
    second = write_notebooks(tmp_path / "b", langs=("es",))
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_only_notebooks_with_dependencies_explain_where_they_come_from():
    assert "`backprop.ipynb`" in notebook_for("sgd", "en").cells[1].source
    assert ".ipynb" not in notebook_for("perceptron", "en").cells[1].source
