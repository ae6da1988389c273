"""setup / check_here / compare_here, driven with a given cell history (no kernel needed)."""

import os
import sys
import time

import nbformat
import pytest

from grader import config
from grader.errors import GraderError
from grader.notebooks import kernel
from grader.notebooks.build import notebook_for
from grader.notebooks.kernel import check_here, compare_here, module_from_history, setup


@pytest.fixture(autouse=True)
def _restore_sys_path(monkeypatch):
    """setup() puts _modules/ on sys.path, as it must in a kernel; not in this process."""
    monkeypatch.setattr(sys, "path", list(sys.path))


def history_of(nb) -> list:
    """What a kernel's input history holds after "Run all": index 0 empty, then every code cell."""
    return [""] + [c.source for c in nb.cells if c.cell_type == "code"]


def test_the_latest_run_of_each_marked_cell_wins_at_its_first_position():
    history = ["", "#| exercise: sgd\nimport numpy as np\n",
               "#| exercise: sgd/minibatches\ndef minibatches():\n    return 1\n",
               "#| exercise: backprop/output_delta\ndef output_delta():\n    pass\n",
               "print('experiment')\n",
               "#| exercise: sgd/minibatches\ndef minibatches():\n    return 2\n!ls\n"]
    source, cells = module_from_history(history, "sgd")
    assert cells == 2
    assert source.index("import numpy") < source.index("def minibatches")
    assert "return 2" in source and "return 1" not in source
    assert "output_delta" not in source and "experiment" not in source
    assert "pass  # [grader] !ls" in source and "# --- In [5] ---" in source


def test_no_marked_cell_run_is_none():
    assert module_from_history(["", "x = 1\n"], "sgd") is None


def test_check_here_outside_a_kernel_says_where_it_works(tmp_path):
    with pytest.raises(GraderError) as info:
        check_here("sgd", folder=tmp_path)
    assert info.value.key == "error.notebook_not_in_ipython"


def test_check_here_before_running_the_cells_asks_to_run_them(tmp_path):
    with pytest.raises(GraderError) as info:
        check_here("sgd", folder=tmp_path, history=["", "x = 1\n"])
    assert "#| exercise: sgd" in info.value.message("en")


def test_an_unknown_exercise_is_refused(tmp_path):
    with pytest.raises(GraderError):
        setup("backprob", folder=tmp_path)


def test_setup_fills_dependencies_from_sibling_notebooks_then_saved_modules_then_stubs(tmp_path):
    nbformat.write(notebook_for("backprop", "en", source_dir=config.SOLUTIONS_DIR),
                   str(tmp_path / "backprop.ipynb"))
    modules = tmp_path / "_modules"
    modules.mkdir()
    (modules / "dropout.py").write_text("# my saved dropout\n")
    report = setup("sgd", folder=tmp_path, lang="en")
    assert report.dependencies == {"activations": "stub", "backprop": "notebook",
                                   "dropout": "saved"}
    assert "def backward" in (modules / "backprop.py").read_text()
    assert (modules / "activations.py").read_text() == \
        (config.EXERCISES_DIR / "activations.py").read_text()
    assert str(modules) in sys.path
    assert "backprop.ipynb" in str(report) and "<br/>" in report._repr_html_()


def test_setup_keeps_a_module_newer_than_its_notebook(tmp_path):
    nbformat.write(notebook_for("activations", "en"), str(tmp_path / "activations.ipynb"))
    old = time.time() - 100
    os.utime(tmp_path / "activations.ipynb", (old, old))
    (tmp_path / "_modules").mkdir()
    (tmp_path / "_modules" / "activations.py").write_text("# checked from the kernel\n")
    report = setup("backprop", folder=tmp_path)
    assert report.dependencies == {"activations": "saved"}
    assert (tmp_path / "_modules" / "activations.py").read_text() == "# checked from the kernel\n"


@pytest.mark.sandbox
def test_check_here_saves_the_run_cells_and_runs_the_public_checks(tmp_path):
    nb = notebook_for("activations", "en", source_dir=config.SOLUTIONS_DIR)
    report = check_here("activations", folder=tmp_path, lang="en", history=history_of(nb))
    assert report.checks and report.all_passed
    saved = (tmp_path / "_modules" / "activations.py").read_text()
    assert "def sigmoid" in saved and "check_here" not in saved
    assert "passed" in repr(report) and "activations.py" in repr(report)
    assert "<table>" in report._repr_html_()


@pytest.mark.sandbox
def test_check_here_with_stub_dependencies_says_what_is_not_done(tmp_path):
    nb = notebook_for("backprop", "en", source_dir=config.SOLUTIONS_DIR)
    report = check_here("backprop", folder=tmp_path, lang="en", history=history_of(nb))
    statuses = {c.status for c in report.checks}
    assert "not_attempted" in statuses and "passed" in statuses
    assert "activations.sigmoid" in repr(report) or "sigmoid_derivative" in repr(report)
    # ... and names up front the functions taken from the unsolved stub, never silently.
    assert ("backprop uses sigmoid, sigmoid_derivative from activations, and here activations "
            "is the unsolved skeleton") in repr(report)
    assert "unsolved skeleton" in report._repr_html_()


@pytest.mark.sandbox
def test_student_text_is_escaped_in_the_html_report(tmp_path):
    nb = notebook_for("dropout", "en", source_dir=config.SOLUTIONS_DIR)
    history = history_of(nb) + [
        "#| exercise: dropout/dropout_backward\n"
        "def dropout_backward(dout, mask):\n"
        "    raise ValueError('<script>alert(1)</script>')\n"]
    report = check_here("dropout", folder=tmp_path, lang="en", history=history)
    html = report._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_compare_here_without_tensorflow_explains_how_to_get_it(monkeypatch, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tensorflow" else real(name, *a))
    message = compare_here(lang="en", folder=tmp_path)
    assert isinstance(message, kernel.Message) and "tensorflow-cpu" in str(message)


def test_compare_here_before_any_check_says_it_cannot_compare_yet(tmp_path):
    message = compare_here(lang="en", folder=tmp_path)
    assert isinstance(message, kernel.Message)
