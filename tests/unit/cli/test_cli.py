"""The CLI: thin wrappers, clear errors (never a traceback), both languages, JSON form."""

import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli

pytestmark = pytest.mark.sandbox


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def solved(tmp_path):
    """A student's folder of assignment 1 (the course also has assignment 2)."""
    from grader.assignments import get as get_assignment

    folder = tmp_path / "mine"
    keep = {f"{ex}.py" for ex in get_assignment("1").exercises}
    shutil.copytree(config.SOLUTIONS_DIR, folder, ignore=lambda _, names: [
        n for n in names if n == "__pycache__" or (n.endswith(".py") and n not in keep)])
    return folder


def test_check_of_the_solutions_passes_and_exits_zero(runner, solved):
    result = runner.invoke(cli, ["check", "activations", "--path", str(solved), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "All checks passed" in result.output


def test_check_of_the_stubs_says_not_attempted_in_spanish_and_exits_one(runner):
    result = runner.invoke(cli, ["check", "perceptron", "--path", str(config.EXERCISES_DIR),
                                 "--lang", "es"])
    assert result.exit_code == 1
    assert "sin intentar" in result.output and "Traceback" not in result.output


def test_check_json_is_gradescope_results_with_top_level_max_score(runner, solved):
    result = runner.invoke(cli, ["check", "dropout", "--path", str(solved), "--json"])
    doc = json.loads(result.output)
    assert doc["score"] == doc["max_score"] > 0
    assert all({"name", "score", "max_score", "status", "output"} <= set(t) for t in doc["tests"])


def test_a_path_that_does_not_exist_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(cli, ["check", "--path", str(tmp_path / "nope"), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_exercise_name_lists_the_real_ones(runner, solved):
    result = runner.invoke(cli, ["check", "backprob", "--path", str(solved), "--lang", "es"])
    assert result.exit_code == 1 and "backprop" in result.output and "desconocido" in result.output


def test_language_follows_the_environment_variable(runner, solved):
    result = runner.invoke(cli, ["check", "activations", "--path", str(solved)],
                           env={"GRADER_LANG": "en"})
    assert "Score:" in result.output


def test_list_shows_points_and_status_of_every_exercise(runner, solved):
    (solved / "sgd.py").write_bytes((config.EXERCISES_DIR / "sgd.py").read_bytes())
    result = runner.invoke(cli, ["list", "--path", str(solved), "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "complete" in lines["activations"] and "not attempted" in lines["sgd"]


def test_submit_writes_an_archive_with_files_and_manifest_and_leaves_sources_alone(
        runner, solved, tmp_path):
    before = {p.name: p.read_bytes() for p in solved.glob("*.py")}
    out = tmp_path / "hand-in.zip"
    result = runner.invoke(cli, ["submit", "--student-id", "ana.perez", "--path", str(solved),
                                 "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert names == {"manifest.json", *before}
    assert manifest["student_id"] == "ana.perez"
    assert manifest["results"]["score"] == manifest["results"]["max_score"]
    assert set(manifest["files"]) == set(before)
    assert {p.name: p.read_bytes() for p in solved.glob("*.py")} == before


def test_submit_names_a_missing_or_broken_file(runner, solved, tmp_path):
    (solved / "sgd.py").unlink()
    result = runner.invoke(cli, ["submit", "--student-id", "x1", "--path", str(solved),
                                 "--lang", "en"])
    assert result.exit_code == 1 and "sgd.py" in result.output
    (solved / "sgd.py").write_text("def train(:\n", encoding="utf-8")
    result = runner.invoke(cli, ["submit", "--student-id", "x1", "--path", str(solved),
                                 "--lang", "en"])
    assert result.exit_code == 1 and "sgd.py" in result.output and "line 1" in result.output
    (solved / "sgd.py").write_bytes(b"x = '\xff'\n")
    result = runner.invoke(cli, ["submit", "--student-id", "x1", "--path", str(solved),
                                 "--lang", "en"])
    assert result.exit_code == 1 and "UTF-8" in result.output


@pytest.mark.parametrize("lang,words", [("en", "cannot parse"), ("es", "no puede analizar")])
def test_submit_refuses_a_file_the_parser_cannot_take_without_a_traceback(runner, solved,
                                                                          lang, words):
    """100 000 unary minus signs: CPython's parser raises MemoryError, not SyntaxError."""
    (solved / "activations.py").write_text("x = " + "-" * 100_000 + "1\n", encoding="utf-8")
    result = runner.invoke(cli, ["submit", "--student-id", "x1", "--path", str(solved),
                                 "--lang", lang])
    assert result.exit_code == 1 and "activations.py" in result.output
    assert words in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, MemoryError)


def test_submit_refuses_a_bad_student_id(runner, solved):
    result = runner.invoke(cli, ["submit", "--student-id", "../etc", "--path", str(solved)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_python_api_returns_the_results_object(solved):
    from grader import check

    results = check(solved, ["activations"], lang="en")
    assert results.all_passed and results.score == results.max_score


def test_the_python_twins_are_functions_even_after_their_packages_are_imported():
    import grader.checking  # noqa: F401
    import grader.grading  # noqa: F401
    import grader.submission  # noqa: F401
    from grader import check, grade, list_exercises, submit

    assert all(callable(f) and f.__module__.startswith("grader.")
               for f in (check, grade, list_exercises, submit))
    import types
    assert not isinstance(check, types.ModuleType)
