"""A notebook -> the student's modules: tags, markers, fallback, magics, broken files."""

import ast
import json

import pytest

from grader.errors import GraderError
from grader.notebooks.extract import (files_from_notebooks, modules_from_notebook,
                                      modules_from_notebook_bytes, neutralise)


def notebook(*cells, metadata=None) -> dict:
    """A minimal nbformat-4 notebook; a cell is (source, tags) or a markdown string."""
    out = []
    for cell in cells:
        if isinstance(cell, str):
            out.append({"cell_type": "markdown", "metadata": {}, "source": cell})
        else:
            source, tags = cell
            out.append({"cell_type": "code", "metadata": {"tags": list(tags)} if tags else {},
                        "execution_count": None, "outputs": [],
                        "source": source.splitlines(keepends=True)})
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": metadata or {}, "cells": out}


def write(path, doc):
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


SIGMOID = "def sigmoid(z):\n    return 1.0 / (1.0 + np.exp(-z))\n"


# -- neutralising IPython syntax -------------------------------------------------------------
def test_line_magics_and_shell_lines_become_inert_passes():
    out = neutralise("%pip install numpy\n!rm -rf /\nfiles = !ls\nnp.sum?\nx = 1\n")
    assert ast.parse(out)
    lines = out.splitlines()
    assert all(line.startswith("pass  # [grader] ") for line in lines[:4])
    assert lines[4] == "x = 1"


def test_a_magic_inside_a_block_keeps_the_block_valid():
    out = neutralise("def f():\n    !echo hi\n    return 1\n")
    assert "    pass  # [grader] !echo hi" in out
    ast.parse(out)


def test_percent_and_bang_inside_strings_and_brackets_are_python_and_stay():
    source = ('x = ("%d"\n     % 3)\ns = """\n!not a command\n%not a magic\n"""\n'
              "y = 1 if not x else 2\n")
    assert neutralise(source) == source


def test_get_ipython_calls_are_neutralised_even_in_valid_python():
    out = neutralise('import os\nget_ipython().system("ls")\n')
    assert out.splitlines()[1].startswith("pass  # [grader] get_ipython()")


def test_a_python_cell_magic_keeps_its_body_and_a_shell_one_becomes_comments():
    timed = neutralise("%%time\nx = 1\n")
    assert timed.splitlines() == ["pass  # [grader] %%time", "x = 1"]
    bash = neutralise("%%bash\necho hi\nrm -rf /\n")
    assert all(line.startswith("# [grader] ") for line in bash.splitlines() if line)
    ast.parse(bash)


# -- which cells make the module -------------------------------------------------------------
def test_tagged_cells_make_the_module_and_other_cells_are_left_out(tmp_path):
    path = write(tmp_path / "a.ipynb", notebook(
        "# Activations",
        ("import numpy as np\n", ["exercise:activations"]),
        (SIGMOID, ["exercise:activations"]),
        ("print(sigmoid(3.0))\nfrom grader.notebooks import check_here\n", []),
    ))
    modules = modules_from_notebook(path)
    assert set(modules) == {"activations.py"}
    text = modules["activations.py"].decode()
    assert "import numpy as np" in text and "def sigmoid" in text
    assert "check_here" not in text and "print(" not in text
    assert "a.ipynb, celda / cell 2" in text


def test_a_marker_line_works_without_tags(tmp_path):
    path = write(tmp_path / "b.ipynb", notebook(
        ("#| exercise: activations\nimport numpy as np\n", []),
        ("#| exercise: activations/sigmoid\n" + SIGMOID, []),
        ("x = 1\n", []),
    ))
    text = modules_from_notebook(path)["activations.py"].decode()
    assert "def sigmoid" in text and "x = 1" not in text


def test_top_level_expressions_of_an_exercise_cell_are_dropped_but_definitions_stay(tmp_path):
    path = write(tmp_path / "c.ipynb", notebook(
        ("import numpy as np\n" + SIGMOID + "sigmoid(np.array([1.0]))\n\"\"\"doc\"\"\"\n"
         "display(sigmoid)\ny = sigmoid(0.0)\n", ["exercise:activations"]),
    ))
    text = modules_from_notebook(path)["activations.py"].decode()
    assert "display(" not in text and "sigmoid(np.array([1.0]))" not in text
    assert "y = sigmoid(0.0)" in text and '"""doc"""' in text


def test_without_tags_the_cells_defining_the_functions_are_used(tmp_path):
    path = write(tmp_path / "mine.ipynb", notebook(
        ("import numpy as np\nimport matplotlib.pyplot as plt\nfrom grader import check\n", []),
        ("EPS = 1e-7\n" + SIGMOID, []),
        ("def relu(z):\n    return np.maximum(z, 0)\nprint(relu(-1))\nplt.plot([1])\n", []),
        ("!pip install numpy\ncheck('.')\n", []),
    ))
    modules = modules_from_notebook(path)
    assert set(modules) == {"activations.py"}
    text = modules["activations.py"].decode()
    assert "import numpy as np" in text and "EPS = 1e-7" in text
    assert "def sigmoid" in text and "def relu" in text
    for left_out in ("matplotlib", "grader", "print(", "plt.plot", "pip", "check("):
        assert left_out not in text, left_out


def test_a_name_two_exercises_share_decides_nothing_alone(tmp_path):
    only_train = write(tmp_path / "t.ipynb", notebook(("def train(X, d):\n    return X\n", [])))
    assert modules_from_notebook(only_train) == {}
    with_update = write(tmp_path / "p.ipynb", notebook(
        ("def update(w, b, x, d, lr):\n    return w, b\n", []),
        ("def train(X, d):\n    return X\n", [])))
    text = modules_from_notebook(with_update)["perceptron.py"].decode()
    assert "def update" in text and "def train" in text


def test_nbformat_3_notebooks_are_read(tmp_path):
    doc = {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [
        {"cell_type": "code", "input": ["import numpy as np\n", SIGMOID], "outputs": [],
         "language": "python", "metadata": {}}]}]}
    assert "def sigmoid" in modules_from_notebook(write(tmp_path / "v3.ipynb", doc))[
        "activations.py"].decode()


def test_a_colab_notebook_with_outputs_and_widget_state_is_read_like_any_other(tmp_path):
    doc = colab_notebook(tags=False)
    text = modules_from_notebook_bytes(json.dumps(doc).encode(), "Copia de sgd.ipynb")
    assert "def sigmoid" in text["activations.py"].decode()


def colab_notebook(tags: bool) -> dict:
    """What Colab saves: outputs with images and widgets, colab metadata, no tags."""
    doc = notebook(("#| exercise: activations\nimport numpy as np\n", []),
                   ("#| exercise: activations/sigmoid\n" + SIGMOID, []),
                   ("print(sigmoid(1.0))\n", []),
                   metadata={"colab": {"provenance": [], "name": "activations.ipynb"},
                             "kernelspec": {"name": "python3", "display_name": "Python 3"},
                             "language_info": {"name": "python"}, "accelerator": "GPU",
                             "widgets": {"application/vnd.jupyter.widget-state+json": {
                                 "0a1b": {"model_name": "LayoutModel", "state": {}}}}})
    for i, cell in enumerate(c for c in doc["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = i + 1
        cell["metadata"] = {"id": f"cell{i}", "colab": {"base_uri": "https://localhost:8080/",
                                                         "height": 35}, "outputId": f"o{i}"}
        if tags:
            cell["metadata"]["tags"] = ["exercise:activations"]
        cell["outputs"] = [
            {"output_type": "stream", "name": "stdout", "text": ["0.73\n"]},
            {"output_type": "display_data", "metadata": {},
             "data": {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure>"],
                      "application/vnd.jupyter.widget-view+json": {
                          "model_id": "0a1b", "version_major": 2, "version_minor": 0}}}]
    doc["cells"][0]["source"] = "".join(doc["cells"][0]["source"])   # a string, not a list
    return doc


# -- files that are not notebooks ------------------------------------------------------------
@pytest.mark.parametrize("content, words", [
    (b'{"cells": [', "line 1"),
    (b"", "empty"),
    (b"[1, 2, 3]", "not a Jupyter notebook"),
    (b'{"metadata": {}}', "not a Jupyter notebook"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
])
def test_a_broken_notebook_is_a_clear_error(tmp_path, content, words):
    path = tmp_path / "broken.ipynb"
    path.write_bytes(content)
    with pytest.raises(GraderError) as info:
        modules_from_notebook(path)
    message = info.value.message("en")
    assert "broken.ipynb" in message and words in message
    assert info.value.message("es") != message


def test_a_notebook_that_does_not_exist_is_a_clear_error(tmp_path):
    with pytest.raises(GraderError) as info:
        modules_from_notebook(tmp_path / "nope.ipynb")
    assert info.value.key == "error.path_not_found"


# -- a notebook and what it imports ----------------------------------------------------------
BACKPROP = ("#| exercise: backprop\nimport numpy as np\nfrom activations import sigmoid\n"
            "def output_delta(A_L, Y):\n    return A_L - Y\n")


def test_the_modules_a_notebook_imports_come_from_next_to_it(tmp_path):
    write(tmp_path / "backprop.ipynb", notebook((BACKPROP, [])))
    write(tmp_path / "activations.ipynb", notebook((SIGMOID, ["exercise:activations"])))
    files, held = files_from_notebooks([tmp_path / "backprop.ipynb"])
    assert held == ("backprop",)
    assert set(files) == {"backprop.py", "activations.py"}


def test_a_saved_module_is_used_when_there_is_no_sibling_notebook(tmp_path):
    write(tmp_path / "backprop.ipynb", notebook((BACKPROP, [])))
    (tmp_path / "_modules").mkdir()
    (tmp_path / "_modules" / "activations.py").write_text(SIGMOID)
    files, _ = files_from_notebooks([tmp_path / "backprop.ipynb"])
    assert files["activations.py"] == SIGMOID.encode()


def test_a_dependency_found_nowhere_is_named(tmp_path):
    write(tmp_path / "backprop.ipynb", notebook((BACKPROP, [])))
    with pytest.raises(GraderError) as info:
        files_from_notebooks([tmp_path / "backprop.ipynb"])
    assert "activations" in info.value.message("en")


def test_a_notebook_without_exercise_cells_is_a_clear_error(tmp_path):
    path = write(tmp_path / "empty.ipynb", notebook("# nothing", ("x = 1\n", [])))
    with pytest.raises(GraderError) as info:
        files_from_notebooks([path])
    assert info.value.key == "error.notebook_no_exercise_cells"


def test_batch_grading_reads_notebooks_through_the_same_extraction():
    from grader.ingest.notebooks import NotebookUnsupported, notebook_to_modules

    data = json.dumps(notebook((SIGMOID, ["exercise:activations"]))).encode()
    assert "def sigmoid" in notebook_to_modules(data, "a.ipynb")["activations.py"].decode()
    with pytest.raises(NotebookUnsupported) as info:
        notebook_to_modules(b"{", "broken.ipynb")
    assert isinstance(info.value.__cause__, GraderError)


def test_a_cell_the_parser_cannot_take_is_handled_like_a_syntax_error(tmp_path):
    """100 000 unary minus signs: CPython's parser raises MemoryError, not SyntaxError;
    the extraction treats both alike (revHost2: a traceback in `grader check nb.ipynb`)."""
    deep = "x = " + "-" * 100_000 + "1\n"
    both = {}
    for name, bad in (("syntax", "x = (\n"), ("deep", deep)):
        path = write(tmp_path / f"{name}.ipynb",
                     notebook(("import numpy as np\n" + SIGMOID, ["activations"]),
                              (bad, ["activations"])))
        both[name] = modules_from_notebook(path)
    assert set(both["deep"]) == set(both["syntax"]) == {"activations.py"}
