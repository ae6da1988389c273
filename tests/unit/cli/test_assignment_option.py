"""`--assignment` on list/check/submit/grade/release/export: the chosen assignment (a course
assignment, or an instructor's TOML made of two of assignment 1's exercises worth 40 + 60)
decides the exercises checked, the points, the manifest, the gradebook's columns, the
bundle and the autograder archive; without it, the files decide."""

import csv
import io
import json
import shutil
import zipfile

import pytest
from click.testing import CliRunner

from grader import assignments as assignments_module
from grader import config
from grader.assignments import assignments
from grader.cli import cli

pytestmark = pytest.mark.sandbox

MINE = ('title.es = "Mi tarea: activaciones y dropout"\n'
        'title.en = "My assignment: activations and dropout"\n'
        'exercises = ["activations", "dropout"]\n[points]\nactivations = 40\ndropout = 60\n')


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def mine(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(MINE, encoding="utf-8")
    return path


@pytest.fixture
def two(tmp_path):
    """A student folder with only the two exercises of the instructor's assignment, solved."""
    folder = tmp_path / "two"
    folder.mkdir()
    for name in ("activations.py", "dropout.py"):
        shutil.copy(config.SOLUTIONS_DIR / name, folder / name)
    return folder


@pytest.fixture
def course(tmp_path, monkeypatch):
    """The course as two assignments of assignment 1's exercises: 1 = activations,
    perceptron, dropout; 2 = backprop, sgd (each module needs its dependencies)."""
    folder = tmp_path / "assignments"
    folder.mkdir()
    (folder / "1.toml").write_text(
        'title.es = "Tarea 1"\ntitle.en = "Assignment 1"\n'
        'exercises = ["activations", "perceptron", "dropout"]\n[points]\n'
        "activations = 30\nperceptron = 30\ndropout = 40\n", encoding="utf-8")
    (folder / "2.toml").write_text(
        'title.es = "Tarea 2: retropropagación y SGD"\n'
        'title.en = "Assignment 2: backpropagation and SGD"\n'
        'exercises = ["backprop", "sgd"]\n[points]\nbackprop = 50\nsgd = 50\n', encoding="utf-8")
    monkeypatch.setattr(assignments_module, "ASSIGNMENTS_DIR", folder)
    assignments.cache_clear()
    yield folder
    assignments.cache_clear()


def test_check_of_an_instructor_assignment_checks_its_exercises_for_100_points(
        runner, mine, two):
    result = runner.invoke(cli, ["check", "--path", str(two), "--assignment", str(mine),
                                 "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert {t["name"].split(":")[0] for t in doc["tests"]} == {"activations", "dropout"}
    public = sum(t["max_score"] for t in doc["tests"])
    assert doc["score"] == doc["max_score"] == pytest.approx(public)
    text = runner.invoke(cli, ["check", "--path", str(two), "--assignment", str(mine),
                               "--lang", "en"])
    assert text.exit_code == 0, text.output
    assert "My assignment: activations and dropout (--assignment mine)" in text.output
    from grader.rubric import load_rubric

    hidden = sum(i.points for i in load_rubric(str(mine)).items.values() if i.hidden)
    assert "(100 points in all)" in text.output and f"({hidden:g} points)" in text.output
    assert public + hidden == pytest.approx(100)


def test_an_exercise_outside_the_assignment_is_a_bilingual_error(runner, mine, two):
    for lang, words in (("es", "no es un ejercicio de la tarea mine"),
                        ("en", "is not an exercise of assignment mine")):
        result = runner.invoke(cli, ["check", "perceptron", "--path", str(two),
                                     "--assignment", str(mine), "--lang", lang])
        assert result.exit_code == 1 and result.output.startswith("Error: ")
        assert words in result.output and "activations, dropout" in result.output
        assert "Traceback" not in result.output


def test_an_unknown_or_broken_assignment_is_a_clear_error(runner, two, tmp_path):
    result = runner.invoke(cli, ["list", "--path", str(two), "--assignment", "9", "--lang", "en"])
    assert result.exit_code == 1 and "Unknown assignment: 9" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(MINE.replace("dropout = 60", "dropout = 10"), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--path", str(two), "--assignment", str(bad),
                                 "--lang", "es"])
    assert result.exit_code == 1 and "no es válida" in result.output and "50" in result.output
    assert "Traceback" not in result.output


def test_list_shows_the_assignment_and_only_its_exercises_with_their_worth(runner, mine, two):
    result = runner.invoke(cli, ["list", "--path", str(two), "--assignment", str(mine),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()          # (stderr: the "Checking ..." progress line)
    assert lines[0].startswith("My assignment")
    rows = {line.split()[0]: line.split() for line in lines[2:] if line.strip()}
    assert set(rows) == {"activations", "dropout"}
    assert float(rows["activations"][1]) == 40 and float(rows["dropout"][1]) == 60


def test_without_the_option_the_files_present_decide(runner, course, tmp_path):
    folder = tmp_path / "second"
    folder.mkdir()
    for name in ("activations.py", "dropout.py", "backprop.py", "sgd.py"):
        shutil.copy(config.SOLUTIONS_DIR / name, folder / name)
    # files: activations, dropout (of 1) and backprop, sgd (of 2): two each, but 2's sgd
    # imports the other two (a student going on in 1's folder): 2, and it says so
    result = runner.invoke(cli, ["list", "--path", str(folder), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Assignment 2: backpropagation and SGD (from the exercises present" in result.output
    assert "fit assignment 1 just as well; using 2" in result.output
    (folder / "perceptron.py").write_bytes((config.SOLUTIONS_DIR / "perceptron.py").read_bytes())
    result = runner.invoke(cli, ["list", "--path", str(folder), "--lang", "en"])
    assert "Assignment 1 (from the exercises present" in result.output     # 3 of 1's
    (folder / "perceptron.py").unlink()
    (folder / "dropout.py").unlink()                               # now 2 of 2, 1 of 1
    result = runner.invoke(cli, ["check", "--path", str(folder), "--lang", "en", "--json"])
    doc = json.loads(result.output)
    assert {t["name"].split(":")[0] for t in doc["tests"]} == {"backprop", "sgd"}
    result = runner.invoke(cli, ["check", "sgd", "--path", str(folder), "--lang", "es"])
    assert "Tarea 2: retropropagación y SGD (según los ejercicios presentes" in result.output


def test_submit_records_the_assignment_and_needs_only_its_files(runner, mine, two, tmp_path):
    out = tmp_path / "hand-in.zip"
    result = runner.invoke(cli, ["submit", "--student-id", "ana", "--path", str(two),
                                 "--out", str(out), "--assignment", str(mine), "--lang", "en"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["assignment"] == "mine"
    assert manifest["assignment_title"]["en"].startswith("My assignment")
    assert set(manifest["files"]) == {"activations.py", "dropout.py"}
    assert manifest["results"]["score"] == manifest["results"]["max_score"] > 0
    # without --assignment the folder is assignment 1's, whose other files are missing
    result = runner.invoke(cli, ["submit", "--student-id", "ana", "--path", str(two),
                                 "--out", str(out), "--lang", "en"])
    assert result.exit_code == 1 and "perceptron.py" in result.output


def _hand_in(runner, tmp_path, sid, folder, assignment=None):
    out = tmp_path / "class" / f"submission-{sid}.zip"
    out.parent.mkdir(exist_ok=True)
    args = ["submit", "--student-id", sid, "--path", str(folder), "--out", str(out)]
    result = runner.invoke(cli, args + (["--assignment", assignment] if assignment else []))
    assert result.exit_code == 0, result.output
    return out


def test_grade_infers_the_class_assignment_and_its_columns_and_says_so(
        runner, course, tmp_path):
    folder = tmp_path / "b"
    folder.mkdir()
    for name in ("activations.py", "backprop.py", "dropout.py", "sgd.py"):
        shutil.copy(config.SOLUTIONS_DIR / name, folder / name)
    _hand_in(runner, tmp_path, "ana", folder, "2")
    _hand_in(runner, tmp_path, "luis", folder, "2")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["grade", str(tmp_path / "class"), "--out", str(out),
                                 "--jobs", "1", "--seed", "7", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ("Assignment 2: backpropagation and SGD: the assignment of 2 of 2 hand-ins"
            in result.output)
    table = list(csv.reader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8"))))
    header = table[0]
    assert header[5:8] == ["backprop", "sgd", "total"]
    rows = [dict(zip(header, line)) for line in table[1:]]
    assert [r["total"] for r in rows] == ["100", "100"]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["assignment"]["name"] == "2"
    assert [e["exercise"] for e in summary["exercises"]] == ["backprop", "sgd"]
    doc = json.loads((out / "students" / "ana" / "results.json").read_text(encoding="utf-8"))
    assert doc["extra_data"]["assignment"] == "2"
    assert {t["name"].split(":")[0] for t in doc["tests"]} == {"backprop", "sgd"}
    # the same class graded as assignment 1 is graded anew (the assignment is in the key)
    result = runner.invoke(cli, ["grade", str(tmp_path / "class"), "--out", str(out),
                                 "--jobs", "1", "--assignment", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Assignment 1 (--assignment 1)." in result.output
    assert "2 hand-ins look like another assignment (2)" in result.output
    header = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[5:9] == ["activations", "perceptron", "dropout", "total"]
    assert "2 graded now, 0 unchanged" in result.output


def test_export_records_the_assignment_and_ships_its_units_only(runner, tmp_path):
    mine = tmp_path / "late.toml"
    mine.write_text('title.es = "Tarde"\ntitle.en = "Late"\nexercises = ["backprop", "sgd"]\n'
                    "[points]\nbackprop = 45\nsgd = 55\n", encoding="utf-8")
    out = tmp_path / "ag.zip"
    result = runner.invoke(cli, ["export", "gradescope", str(out), "--assignment", str(mine),
                                 "--seed", "3", "--lang", "en"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        settings = json.loads(zf.read("autograder.json"))
    assert settings["assignment"] == "late" and settings["exercises"] == ["backprop", "sgd"]
    assert [n for n in names if n.startswith("dl-grader/grader/assignments/")
            and n.endswith(".toml")] == ["dl-grader/grader/assignments/late.toml"]
    units = {n.split("/")[3] for n in names if n.startswith("dl-grader/tests/checks/")
             and n.count("/") > 3}
    assert units == {"activations", "backprop", "dropout", "sgd"}   # sgd's dependencies too
    assert "dl-grader/solutions/perceptron.py" not in names


def test_release_of_an_instructor_assignment_holds_its_stubs_units_and_numbering(
        runner, mine, tmp_path):
    out = tmp_path / "bundle"
    result = runner.invoke(cli, ["release", str(out), "--assignment", str(mine), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "exercises").glob("*.py")) == [
        "activations.py", "dropout.py"]
    assert sorted(p.name for p in (out / "grader" / "assignments").glob("*.toml")) == [
        "mine.toml"]
    assert sorted(p.name for p in (out / "grader" / "suites").iterdir() if p.is_dir()) == [
        "activations", "dropout"]
    assert json.loads((out / ".dl-grader-bundle").read_text())["assignment"] == "mine"
    nb = json.loads((out / "notebooks" / "en" / "dropout.ipynb").read_text(encoding="utf-8"))
    assert "2 of 2" in "".join(nb["cells"][0]["source"])
