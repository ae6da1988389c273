"""What a student new to Python meets on the command line (issue 12, "also on the student path")."""

import re
import shutil

import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli
from grader.i18n import t


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def solved(tmp_path):
    """Assignment 1's reference files, as a student's finished exercises/ folder."""
    from grader.assignments import get
    from grader.exercises import EXERCISES

    folder = tmp_path / "exercises"
    folder.mkdir()
    for name in get("1").exercises:
        shutil.copy(config.SOLUTIONS_DIR / EXERCISES[name].filename, folder)
    return folder


@pytest.mark.sandbox
def test_check_run_from_inside_exercises_finds_the_files_there(runner, solved, monkeypatch):
    monkeypatch.chdir(solved)
    result = runner.invoke(cli, ["check", "activations", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"Checking {solved} ..." in result.output and "All checks passed" in result.output


def test_check_from_a_folder_holding_exercises_prefers_it(tmp_path, monkeypatch):
    from grader.checking import default_exercises_dir

    (tmp_path / "exercises").mkdir()
    monkeypatch.chdir(tmp_path)
    assert default_exercises_dir() == __import__("pathlib").Path("exercises")


@pytest.mark.parametrize("lang, expected", [("es", "¿Quisiste decir perceptron?"),
                                            ("en", "Did you mean perceptron?")])
def test_a_mistyped_exercise_name_gets_a_suggestion(runner, lang, expected):
    result = runner.invoke(cli, ["check", "perceptorn", "--path", str(config.EXERCISES_DIR),
                                 "--lang", lang])
    assert result.exit_code == 1 and expected in result.output
    assert "Traceback" not in result.output


def test_clicks_usage_errors_speak_spanish_in_spanish_mode(runner):
    result = runner.invoke(cli, ["check", "--bogus"], env={"GRADER_LANG": "es"})
    assert result.exit_code == 2
    assert "Error: No existe la opción '--bogus'." in result.output
    assert "Uso: " in result.output and "check [OPCIONES]" in result.output
    assert "Usage" not in result.output
    missing = runner.invoke(cli, ["submit", "--lang", "es"])
    assert "Falta la opción '--student-id'." in missing.output


def test_help_speaks_spanish_in_spanish_mode_and_english_in_english_mode(runner):
    es = runner.invoke(cli, ["check", "--help"], env={"GRADER_LANG": "es"})
    assert "Pasa las comprobaciones públicas" in es.output
    assert "Muestra este mensaje y termina." in es.output and "Opciones:" in es.output
    top = runner.invoke(cli, ["--help"], env={"GRADER_LANG": "es"})
    assert "Comandos:" in top.output and "Muestra la versión y termina." in top.output
    en = runner.invoke(cli, ["check", "--help", "--lang", "en"])
    assert "Run the public checks" in en.output and "Show this message and exit." in en.output
    assert "Options:" in en.output and "Opciones" not in en.output


@pytest.mark.sandbox
def test_list_does_not_run_the_untouched_stubs_and_uses_a_short_timeout(runner, monkeypatch):
    import grader.checking as checking

    calls = []
    real = checking.check_files

    def spy(files, exercises, **kw):
        calls.append((tuple(exercises), kw.get("timeout_s")))
        return real(files, exercises, **kw)

    monkeypatch.setattr(checking, "check_files", spy)
    rows = checking.list_exercises(config.EXERCISES_DIR, lang="en")
    assert calls == []                      # every file is the stub: nothing to run
    assert {r.status for r in rows} == {"not_attempted"} and all(r.total for r in rows)
    result = runner.invoke(cli, ["list", "--path", str(config.EXERCISES_DIR), "--lang", "en"])
    assert "Checking" in result.output and "not attempted" in result.output


@pytest.mark.sandbox
def test_list_with_an_endless_loop_answers_with_the_short_timeout(solved):
    import grader.checking as checking

    source = (solved / "dropout.py").read_text()
    (solved / "dropout.py").write_text(re.sub(r"(def dropout_backward\(.*?\):\n)",
                                              r"\1    while True:\n        pass\n", source))
    rows = {r.name: r for r in checking.list_exercises(solved, lang="en", timeout_s=0.5)}
    assert rows["dropout"].status == "in_progress"
    assert rows["activations"].status == "complete"
    assert config.LIST_CALL_TIMEOUT_S < config.CALL_TIMEOUT_S


@pytest.mark.sandbox
def test_list_does_not_count_a_skipped_check_against_complete(runner, solved, monkeypatch):
    import grader.checking as checking

    real = checking.check_files

    def without_keras(files, exercises, **kw):
        results = real(files, exercises, **kw)
        for c in results.checks:
            if c.suite != "public":               # the Keras suite
                c.status, c.points = "skipped", 0.0
        return results

    monkeypatch.setattr(checking, "check_files", without_keras)
    result = runner.invoke(cli, ["list", "--path", str(solved), "--lang", "en"])
    from grader.rubric import load_rubric

    suites = [i.suite for i in load_rubric().items.values()
              if i.exercise == "activations" and i.suite in checking.CHECK_SUITES]
    public, other = suites.count("public"), len(suites) - suites.count("public")
    assert other, "activations has a Keras check"
    line = next(l for l in result.output.splitlines() if l.startswith("activations"))
    assert f"complete ({public}/{public}) + {other} skipped" in line, line


@pytest.mark.sandbox
def test_a_passing_check_shows_what_the_code_printed(runner, solved):
    source = (solved / "activations.py").read_text()
    (solved / "activations.py").write_text(
        source.replace("def relu(z):\n", "def relu(z):\n    print('hello from relu')\n", 1))
    result = runner.invoke(cli, ["check", "activations", "--path", str(solved), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert t("feedback.student_output", "en") in result.output
    assert "hello from relu" in result.output


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_keras_hints_give_the_command_that_works_in_the_bundle(lang):
    for key, params in (("feedback.keras_unavailable", {}), ("baseline.no_keras",
                                                             {"package": "keras"})):
        text = t(key, lang, **params)
        assert 'pip install ".[keras]"' in text and "dl-grader[keras]" not in text


@pytest.mark.parametrize("lang, loss, layer", [("es", "'pérdida ='", "capa {layer}"),
                                               ("en", "'loss ='", "layer {layer}")])
def test_the_try_it_cells_print_labels_in_the_notebooks_language(lang, loss, layer):
    from grader.notebooks.build import notebook_for

    cell = next(c for c in notebook_for("backprop", lang).cells
                if "try" in c.metadata.get("tags", []))
    assert f"print({loss}," in cell.source and layer in cell.source


def test_the_readme_layout_lists_folders_that_exist():
    readme = (config.REPO_DIR / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    grader_part = block.split("grader/", 1)[1].split("tests/", 1)[0]
    named = re.findall(r"(\w+)/", grader_part)
    assert {"checking", "submission", "grading"} <= set(named)
    assert [n for n in named if not (config.PACKAGE_DIR / n).is_dir()] == []
