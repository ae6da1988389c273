"""`grader check NOTEBOOK.ipynb`, `grader submit *.ipynb`: notebooks read as text, sandboxed."""

import json
import zipfile

import nbformat
import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli
from grader.assignments import get as get_assignment
from grader.notebooks.build import notebook_for

# Assignment 1's notebooks (the course has more assignments).
ORDER = get_assignment("1").exercises

pytestmark = pytest.mark.sandbox


@pytest.fixture
def runner():
    return CliRunner()


def write_notebooks(folder, source_dir, lang="en", exercises=ORDER):
    folder.mkdir(parents=True, exist_ok=True)
    for ex in exercises:
        nbformat.write(notebook_for(ex, lang, source_dir=source_dir), str(folder / f"{ex}.ipynb"))
    return folder


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return write_notebooks(tmp_path_factory.mktemp("solved"), config.SOLUTIONS_DIR)


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    return write_notebooks(tmp_path_factory.mktemp("stubs"), config.EXERCISES_DIR)


def test_checking_a_solved_notebook_passes_with_its_dependencies_next_to_it(runner, solved):
    result = runner.invoke(cli, ["check", str(solved / "sgd.ipynb"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output and "sgd:" in result.output
    assert "activations:" not in result.output     # only the exercise the notebook holds


def test_checking_a_stub_notebook_reports_not_attempted(runner, stubs):
    result = runner.invoke(cli, ["check", str(stubs / "dropout.ipynb"), "--lang", "es"])
    assert result.exit_code == 1
    assert "sin intentar" in result.output and "Traceback" not in result.output


def test_a_folder_holding_only_notebooks_is_checked_whole(runner, solved):
    result = runner.invoke(cli, ["check", "--path", str(solved), "--json"])
    doc = json.loads(result.output)
    assert doc["score"] == doc["max_score"] > 0
    assert {t["tags"][0] for t in doc["tests"]} == set(ORDER)


def test_a_notebook_that_is_not_json_is_a_one_line_error(runner, tmp_path):
    path = tmp_path / "sgd.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": "def minib', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "not a valid notebook" in result.output
    assert "Traceback" not in result.output


def test_a_colab_saved_notebook_without_tags_is_graded_normally(runner, tmp_path):
    nb = notebook_for("activations", "en", source_dir=config.SOLUTIONS_DIR)
    doc = json.loads(nbformat.writes(nb))
    doc["metadata"].update({"colab": {"provenance": []}, "accelerator": "GPU", "widgets": {
        "application/vnd.jupyter.widget-state+json": {"abc": {"model_name": "HBoxModel"}}}})
    for i, cell in enumerate(doc["cells"]):
        cell["metadata"] = {"id": f"x{i}", "colab": {"base_uri": "https://localhost:8080/"}}
        if cell["cell_type"] == "code":
            cell["execution_count"] = i
            cell["outputs"] = [{"output_type": "display_data", "metadata": {}, "data": {
                "image/png": "iVBORw0KGgo=", "text/plain": "<Figure>",
                "application/vnd.jupyter.widget-view+json": {"model_id": "abc",
                                                             "version_major": 2}}}]
    path = tmp_path / "Copia de activations.ipynb"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(cli, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output


def test_magics_and_shell_lines_in_exercise_cells_are_never_run(runner, tmp_path):
    nb = notebook_for("activations", "en", source_dir=config.SOLUTIONS_DIR)
    witness = tmp_path / "was-run"
    for cell in nb.cells:
        if "exercise:activations" in cell.metadata.get("tags", []):
            cell.source += f"\n!touch {witness}\n%system touch {witness}\nx = !touch {witness}\n"
    bash = nbformat.v4.new_code_cell(f"%%bash\ntouch {witness}\n",
                                     metadata={"tags": ["exercise:activations"]})
    nb.cells.append(bash)
    path = tmp_path / "activations.ipynb"
    nbformat.write(nb, str(path))
    result = runner.invoke(cli, ["check", str(path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert not witness.exists()


def test_submitting_notebooks_writes_their_modules_and_the_notebooks(runner, solved, tmp_path):
    out = tmp_path / "ana.zip"
    notebooks = [str(solved / f"{ex}.ipynb") for ex in ORDER]
    result = runner.invoke(cli, ["submit", "--student-id", "ana", "--out", str(out), "--lang",
                                 "en", *notebooks])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert {f"{ex}.py" for ex in ORDER} <= names
    assert {f"notebooks/{ex}.ipynb" for ex in ORDER} <= names
    assert manifest["source"] == "notebooks"
    assert manifest["results"]["score"] == manifest["results"]["max_score"] > 0


def test_submitting_a_folder_of_notebooks_works_too(runner, stubs, tmp_path):
    out = tmp_path / "bob.zip"
    result = runner.invoke(cli, ["submit", "--student-id", "bob", "--path", str(stubs),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "notebooks/sgd.ipynb" in zipfile.ZipFile(out).namelist()


def test_submitting_notebooks_that_miss_an_exercise_names_it(runner, solved, tmp_path):
    result = runner.invoke(cli, ["submit", "--student-id", "ana", "--out",
                                 str(tmp_path / "a.zip"), "--lang", "en",
                                 str(solved / "dropout.ipynb")])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert "activations" in result.output
    assert not (tmp_path / "a.zip").exists()
