"""Two notebooks holding one exercise (`activations (1).ipynb`): check, submit and a notebook's
setup take the same one by one rule, and say which."""

import os
import zipfile

import nbformat
import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli
from grader.notebooks.assignment import assignment_exercises
from grader.notebooks.build import notebook_for
from grader.notebooks.extract import choose_notebook, modules_from_notebook, pick_modules

DUPLICATE = "activations (1).ipynb"


def _write(folder, source_dir, name, exercise, mtime):
    path = folder / name
    nbformat.write(notebook_for(exercise, "en", source_dir=source_dir), str(path))
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def folder(tmp_path):
    """The five solved notebooks, and a newer stray copy of activations with the stubs."""
    for i, ex in enumerate(assignment_exercises("1")):
        _write(tmp_path, config.SOLUTIONS_DIR, f"{ex}.ipynb", ex, 1_000_000 + i)
    _write(tmp_path, config.EXERCISES_DIR, DUPLICATE, "activations", 2_000_000)
    return tmp_path


def test_the_copy_with_the_students_work_wins_over_a_newer_untouched_stub(folder):
    notices = []
    chosen = pick_modules(sorted(folder.glob("*.ipynb")), notices)
    assert chosen["activations.py"][0].name == "activations.ipynb"
    assert len(notices) == 1 and notices[0].params["used"] == "activations.ipynb"
    assert DUPLICATE in notices[0].message("en") and "Using activations.ipynb" in \
        notices[0].message("en")


def test_among_copies_with_work_the_most_recently_saved_wins(folder):
    newer = _write(folder, config.SOLUTIONS_DIR, DUPLICATE, "activations", 3_000_000)
    candidates = {p: modules_from_notebook(p)["activations.py"]
                  for p in (folder / "activations.ipynb", newer)}
    assert choose_notebook("activations", candidates) == newer


@pytest.mark.sandbox
def test_check_and_submit_use_the_same_notebook_and_name_it(folder, tmp_path_factory):
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", "--path", str(folder), "activations", "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert "Using activations.ipynb" in checked.output and DUPLICATE in checked.output
    assert "not attempted" not in checked.output

    out = tmp_path_factory.mktemp("out") / "s.zip"
    notebooks = sorted(str(p) for p in folder.glob("*.ipynb"))
    assert os.path.basename(notebooks[0]) == DUPLICATE        # what a shell glob gives first
    submitted = runner.invoke(cli, ["submit", "--student-id", "ana", "--out", str(out),
                                    "--lang", "en", *notebooks])
    assert submitted.exit_code == 0, submitted.output
    assert "Using activations.ipynb" in submitted.output
    with zipfile.ZipFile(out) as zf:
        handed_in = zf.read("activations.py")
    assert handed_in == modules_from_notebook(folder / "activations.ipynb")["activations.py"]
    assert "Score: 70/70" in submitted.output


def test_a_notebooks_setup_takes_its_dependency_by_the_same_rule(folder, monkeypatch):
    import sys

    from grader.notebooks.kernel import setup

    monkeypatch.setattr(sys, "path", list(sys.path))      # setup() puts _modules/ on it

    report = setup("backprop", lang="en", folder=folder)
    assert report.dependencies == {"activations": "notebook"}
    assert "from your notebook activations.ipynb" in str(report)
    assert "Using activations.ipynb" in str(report)
    written = (folder / "_modules" / "activations.py").read_bytes()
    assert written == modules_from_notebook(folder / "activations.ipynb")["activations.py"]


def test_a_notebook_that_cannot_be_read_is_named_not_silently_replaced(tmp_path, monkeypatch):
    import sys

    from grader.notebooks.kernel import setup

    monkeypatch.setattr(sys, "path", list(sys.path))
    (tmp_path / "activations.ipynb").write_text("{ not json")
    report = setup("backprop", lang="en", folder=tmp_path)
    assert report.dependencies == {"activations": "stub"}
    assert "activations.ipynb could not be read and is not used" in str(report)
