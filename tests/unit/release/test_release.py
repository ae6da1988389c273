"""`grader release`: the student bundle holds no solution and no hidden check, and installs."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli
from grader.errors import GraderError
from grader.assignments import get as get_assignment
from grader.release import (BUNDLE_MARKER, find_solution_leaks, is_trivial, release,
                            solution_lines)

# The bundle is released for the default assignment (1); the course has more.
ORDER = get_assignment("1").exercises


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return release(tmp_path_factory.mktemp("release") / "bundle")


def test_no_solution_body_appears_anywhere_in_the_bundle(bundle):
    assert solution_lines(), "the solutions have marked blocks"
    assert find_solution_leaks(bundle.path) == []


def test_every_non_trivial_solution_line_is_searched_for():
    from grader.devtools.stubs import find_marked_blocks

    searched = solution_lines()
    for path in sorted(config.SOLUTIONS_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        stub = (config.EXERCISES_DIR / path.name).read_text(encoding="utf-8")
        for _, begin, end in find_marked_blocks(text, str(path)):
            for line in (lines[i].strip() for i in range(begin + 1, end)):
                if not is_trivial(line) and line not in stub:
                    assert line in searched, line


def test_the_leak_scan_finds_a_solution_line_planted_in_a_notebook(tmp_path):
    line = next(iter(solution_lines()))
    (tmp_path / "a.ipynb").write_text(json.dumps({"cells": [
        {"cell_type": "code", "source": ["def f():\n", f"    {line}\n"]}]}), encoding="utf-8")
    (tmp_path / "b.txt").write_text("nothing here", encoding="utf-8")
    assert [f for f, _, _ in find_solution_leaks(tmp_path)] == ["a.ipynb"]


def test_a_release_with_a_leak_writes_nothing(tmp_path, monkeypatch):
    import grader.release as rel

    real = rel.build_bundle

    def leaky(root, **kw):
        real(root, **kw)
        (root / "exercises" / "sgd.py").write_text(
            (config.SOLUTIONS_DIR / "sgd.py").read_text(encoding="utf-8"), encoding="utf-8")

    monkeypatch.setattr(rel, "build_bundle", leaky)
    with pytest.raises(GraderError) as info:
        release(tmp_path / "out")
    assert info.value.key == "error.release_leak" and "sgd.py" in info.value.message("en")
    assert list(tmp_path.iterdir()) == []


def test_the_bundle_has_what_students_need_and_nothing_of_the_instructor(bundle):
    files = set(bundle.files)
    for ex in ORDER:
        assert f"exercises/{ex}.py" in files
        golden = ("golden.json",) if (config.CHECKS_DIR / ex / "golden.json").is_file() else ()
        for name in ("exercise.toml", "public.py", *golden):
            assert f"grader/suites/{ex}/{name}" in files
        for lang in config.LANGUAGES:
            assert f"notebooks/{lang}/{ex}.ipynb" in files
    for needed in ("README.md", "pyproject.toml", "grader/cli.py", "grader/assignments/1.toml",
                   "grader/suites/conftest.py", "grader/suites/pytest-checks.ini",
                   "grader/sandbox/worker_main.py", "grader/i18n/messages.toml", BUNDLE_MARKER):
        assert needed in files, needed
    for path in files:
        parts = Path(path).parts
        assert not {"mutants", "devtools", "hidden", "solutions", "golden_specs",
                    "__pycache__", "hidden.py", "mistakes.py", "mistake_sources.py",
                    "golden_spec.py"} & set(parts), path
        assert not path.endswith(".pyc")


def test_the_stubs_are_the_ones_generated_from_the_solutions(bundle):
    for ex in ORDER:
        assert (bundle.path / "exercises" / f"{ex}.py").read_text(encoding="utf-8") == \
            (config.EXERCISES_DIR / f"{ex}.py").read_text(encoding="utf-8")


def test_the_readme_speaks_spanish_and_english(bundle):
    readme = (bundle.path / "README.md").read_text(encoding="utf-8")
    assert "## Español" in readme and "## English" in readme
    assert "grader check" in readme and "notebooks/es/" in readme and "notebooks/en/" in readme


def test_an_existing_folder_is_refused_unless_it_is_an_earlier_bundle(tmp_path, bundle):
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.tex").write_text("mine")
    with pytest.raises(GraderError) as info:
        release(busy)
    assert info.value.key == "error.release_out_not_empty"
    with pytest.raises(GraderError) as info:
        release(busy, force=True)
    assert info.value.key == "error.release_not_a_bundle"
    assert (busy / "thesis.tex").read_text() == "mine"
    again = tmp_path / "again"
    shutil.copytree(bundle.path, again)
    (again / "stale.txt").write_text("old")
    release(again, force=True)
    assert not (again / "stale.txt").exists()


def test_release_without_solutions_explains_where_it_runs(tmp_path):
    with pytest.raises(GraderError) as info:
        release(tmp_path / "out", solutions_dir=tmp_path / "none")
    assert "instructor" in info.value.message("en")


def test_the_release_command_reports_what_it_wrote(tmp_path):
    result = CliRunner().invoke(cli, ["release", str(tmp_path / "b"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "no solutions and no hidden checks" in result.output
    again = CliRunner().invoke(cli, ["release", str(tmp_path / "b"), "--lang", "en"])
    assert again.exit_code == 1 and "Error: " in again.output and "Traceback" not in again.output


# -- a fresh virtual environment -------------------------------------------------------------
def _run(cmd, **kw):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(kw.pop("env", {}))
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, **kw)


@pytest.fixture
def venv_dir():
    """A folder for the virtual environment, outside /tmp: the sandbox mounts its own /tmp
    over the real one, so an interpreter installed under /tmp is invisible to workers."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-grader-tests"
    base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="venv-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.sandbox
def test_the_bundle_installs_in_a_fresh_venv_and_grader_check_works_there(bundle, tmp_path,
                                                                          venv_dir):
    venv = venv_dir / "venv"
    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    installed = _run([str(python), "-m", "pip", "install", "-q", str(bundle.path)],
                     cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    grader = str(venv / "bin" / "grader")
    work = tmp_path / "work"             # far from the repository: nothing of it is importable
    work.mkdir()
    en = {"GRADER_LANG": "en"}

    stubs = _run([grader, "check", "--path", str(bundle.path / "exercises")], cwd=work, env=en)
    assert stubs.returncode == 1, stubs.stdout + stubs.stderr
    assert "not attempted" in stubs.stdout and "Traceback" not in stubs.stdout + stubs.stderr
    assert "Score: 0/" in stubs.stdout and "passed]" not in stubs.stdout

    solved = work / "solved"
    shutil.copytree(config.SOLUTIONS_DIR, solved, ignore=shutil.ignore_patterns("__pycache__"))
    passed = _run([grader, "check", "--path", str(solved)], cwd=work, env=en)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "passed]" in passed.stdout
    assert "not attempted" not in passed.stdout and "failed]" not in passed.stdout

    notebook = _run([grader, "check", str(bundle.path / "notebooks" / "en" / "sgd.ipynb")],
                    cwd=work, env=en)
    assert notebook.returncode == 1 and "not attempted" in notebook.stdout, notebook.stderr

    where = _run([str(python), "-c", "import grader, grader.config as c; "
                  "print(c.PACKAGE_DIR); print(c.CHECKS_DIR)"], cwd=work)
    package_dir, checks_dir = where.stdout.split()
    assert str(venv) in package_dir and checks_dir.endswith("suites")
    assert find_solution_leaks(Path(package_dir)) == []
