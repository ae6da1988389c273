"""`grader export gradescope`: the archive, and run_autograder on a simulated /autograder tree."""

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from grader import config
from grader.cli import cli
from grader.errors import GraderError
from grader.assignments import get as get_assignment
from grader.exercises import EXERCISES
from grader.export import export
from grader.export.autograder import collect_submission
from grader.notebooks.build import notebook_for
from grader.rubric import load_rubric

# The archive grades the default assignment (1); the course also has assignment 2.
ORDER = get_assignment("1").exercises

# -- Gradescope's results.json format (https://gradescope-autograders.readthedocs.io,
#    "Specifications"), written down here as a checker -----------------------------------
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}
TOP_LEVEL = {"score": (int, float), "execution_time": (int, float), "output": str,
             "output_format": str, "test_output_format": str, "test_name_format": str,
             "visibility": str, "stdout_visibility": str, "extra_data": dict, "tests": list,
             "leaderboard": list}
TEST_FIELDS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
               "name_format": str, "number": str, "output": str, "output_format": str,
               "tags": list, "visibility": str, "extra_data": dict}


def validate_results(doc) -> list[str]:
    """Every way ``doc`` departs from Gradescope's documented results.json."""
    problems = []
    if not isinstance(doc, dict):
        return ["not an object"]
    for key, value in doc.items():
        if key not in TOP_LEVEL:
            problems.append(f"unknown top-level field {key!r}")
        elif not isinstance(value, TOP_LEVEL[key]) or isinstance(value, bool):
            problems.append(f"{key} has type {type(value).__name__}")
    if "score" not in doc and not all("score" in t for t in doc.get("tests", [])):
        problems.append("no score at the top nor on every test")
    for key in ("visibility", "stdout_visibility"):
        if key in doc and doc[key] not in VISIBILITY:
            problems.append(f"{key} = {doc[key]!r}")
    for key in ("output_format", "test_output_format", "test_name_format"):
        if key in doc and doc[key] not in FORMATS:
            problems.append(f"{key} = {doc[key]!r}")
    for i, test in enumerate(doc.get("tests", [])):
        if not isinstance(test, dict):
            problems.append(f"tests[{i}] is not an object")
            continue
        for key, value in test.items():
            if key not in TEST_FIELDS:
                problems.append(f"tests[{i}]: unknown field {key!r}")
            elif not isinstance(value, TEST_FIELDS[key]) or isinstance(value, bool):
                problems.append(f"tests[{i}].{key} has type {type(value).__name__}")
        if test.get("status", "passed") not in ("passed", "failed"):
            problems.append(f"tests[{i}].status = {test['status']!r}")
        if test.get("visibility", "visible") not in VISIBILITY:
            problems.append(f"tests[{i}].visibility = {test['visibility']!r}")
        for key in ("output_format", "name_format"):
            if key in test and test[key] not in FORMATS:
                problems.append(f"tests[{i}].{key} = {test[key]!r}")
        if not all(isinstance(tag, str) for tag in test.get("tags", [])):
            problems.append(f"tests[{i}].tags are not strings")
        if "score" in test and "max_score" in test and not 0 <= test["score"] <= test["max_score"]:
            problems.append(f"tests[{i}].score out of range")
    try:
        json.dumps(doc, allow_nan=False)
    except ValueError:
        problems.append("not strict JSON (NaN or infinity)")
    return problems


def test_the_checker_rejects_what_gradescope_would():
    assert validate_results({"score": 1, "tests": []}) == []
    bad = {"score": "10", "max_score": 3, "tests": [{"status": "error", "visibility": "later",
                                                     "number": 1}]}
    problems = validate_results(bad)
    assert len(problems) == 5, problems


# -- the archive -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return export("gradescope", tmp_path_factory.mktemp("export") / "autograder.zip", seed=11,
                  lang="en")


def test_the_archive_holds_the_scripts_the_hidden_checks_and_the_reference(archive):
    with zipfile.ZipFile(archive.path) as zf:
        names = set(zf.namelist())
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
        settings = json.loads(zf.read("autograder.json"))
    assert {"setup.sh", "run_autograder", "autograder.json"} <= names
    for script in ("setup.sh", "run_autograder"):
        assert modes[script] & stat.S_IXUSR, script
    for ex in ORDER:
        assert f"dl-grader/solutions/{ex}.py" in names
        for name in ("exercise.toml", "public.py", "hidden.py", "golden.json", "mistakes.py"):
            assert f"dl-grader/tests/checks/{ex}/{name}" in names
    suites = {i.suite for i in load_rubric().items.values()}
    assert set(settings["suites"]) == suites
    for item in load_rubric().items.values():
        assert f"dl-grader/tests/checks/{item.id.split('::')[0]}" in names, item.id
    assert "dl-grader/grader/mutants/__init__.py" in names
    assert "dl-grader/pyproject.toml" in names
    assert not any("__pycache__" in n for n in names)
    assert settings["seed"] == archive.seed == 11 and settings["lang"] == "en"
    assert settings["hidden_visibility"] == "after_published" and settings["assignment"] == "1"
    assert archive.checks == len(load_rubric().items)


def test_the_setup_script_installs_python_3_11_and_the_package():
    from grader.export.gradescope import RUN_AUTOGRADER, SETUP_SH

    assert "python3.11" in SETUP_SH and "pip install -e" in SETUP_SH
    assert "AUTOGRADER_ROOT" in RUN_AUTOGRADER and "results" in RUN_AUTOGRADER.lower()
    for script in (SETUP_SH, RUN_AUTOGRADER):
        checked = subprocess.run(["bash", "-n"], input=script, text=True, capture_output=True)
        assert checked.returncode == 0, checked.stderr


def test_export_errors_are_clear(tmp_path):
    with pytest.raises(GraderError) as info:
        export("gradescope", tmp_path / "autograder.tar")
    assert info.value.key == "error.export_not_zip"
    result = CliRunner().invoke(cli, ["export", "gradescope", str(tmp_path / "x.txt"),
                                      "--lang", "en"])
    assert result.exit_code == 1 and "Error: " in result.output and ".zip" in result.output
    result = CliRunner().invoke(cli, ["export", "moodle", str(tmp_path / "x.zip")])
    assert result.exit_code == 2


def test_the_export_command_says_what_it_wrote(tmp_path):
    result = CliRunner().invoke(cli, ["export", "gradescope", str(tmp_path / "ag.zip"),
                                      "--seed", "5", "--hidden-visibility", "hidden",
                                      "--lang", "es"])
    assert result.exit_code == 0, result.output
    assert "semilla 5" in result.output
    settings = json.loads(zipfile.ZipFile(tmp_path / "ag.zip").read("autograder.json"))
    assert settings["hidden_visibility"] == "hidden" and settings["lang"] == "es"


# -- collecting a submission -----------------------------------------------------------------
def test_py_files_win_over_notebooks_and_clutter_is_ignored(tmp_path):
    sub = tmp_path / "submission"
    (sub / "deep" / "__MACOSX").mkdir(parents=True)
    (sub / "deep" / "__MACOSX" / "sgd.py").write_text("# resource fork")
    (sub / "deep" / "sgd.py").write_text("# deep")
    (sub / "sgd.py").write_text("# top")
    nbformat.write(notebook_for("sgd", "en"), str(sub / "sgd.ipynb"))
    nbformat.write(notebook_for("dropout", "en"), str(sub / "dropout.ipynb"))
    (sub / "broken.ipynb").write_text("{")
    got = collect_submission(sub)
    assert got.files["sgd.py"] == b"# top"
    assert got.origins["dropout.py"] == "dropout.ipynb"
    assert [n[1]["file"] for n in got.notes] == ["broken.ipynb"]


def test_an_untouched_stub_loses_to_the_notebook_the_student_worked_in(tmp_path):
    from grader.export.autograder import reference_stubs

    sub = tmp_path / "submission" / "my-repo"
    (sub / "exercises").mkdir(parents=True)
    (sub / "notebooks").mkdir()
    shutil.copy(config.EXERCISES_DIR / "dropout.py", sub / "exercises")
    shutil.copy(config.EXERCISES_DIR / "sgd.py", sub / "exercises")
    nbformat.write(notebook_for("dropout", "en", source_dir=config.SOLUTIONS_DIR),
                   str(sub / "notebooks" / "dropout.ipynb"))
    got = collect_submission(tmp_path / "submission", stubs=reference_stubs())
    assert got.origins == {"dropout.py": "my-repo/notebooks/dropout.ipynb",
                           "sgd.py": "my-repo/exercises/sgd.py"}


def test_zips_are_read_with_care(tmp_path):
    sub = tmp_path / "submission"
    sub.mkdir()
    with zipfile.ZipFile(sub / "evil.zip", "w") as zf:
        zf.writestr("../../source/sgd.py", "# escape")
    with zipfile.ZipFile(sub / "good.zip", "w") as zf:
        zf.writestr("hw/backprop.py", "# backprop")
        zf.writestr("__MACOSX/hw/._backprop.py", "junk")
    (sub / "not-a.zip").write_bytes(b"PK nope")
    got = collect_submission(sub)
    assert got.files == {"backprop.py": b"# backprop"}
    reasons = sorted(n[1]["reason"] for n in got.notes)
    assert reasons == ["autograder.bad_zip", "autograder.unsafe_member"]


# -- run_autograder on a simulated /autograder -----------------------------------------------
def autograder_tree(archive, root: Path, *, call_timeout_s=None) -> Path:
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(archive.path) as zf:
        zf.extractall(root / "source")
    for script in ("setup.sh", "run_autograder"):
        path = root / "source" / script
        path.chmod(path.stat().st_mode | stat.S_IXUSR)
    if call_timeout_s:
        settings_path = root / "source" / "autograder.json"
        settings = json.loads(settings_path.read_text())
        settings["call_timeout_s"] = call_timeout_s
        settings_path.write_text(json.dumps(settings))
    return root


def run_autograder(root: Path) -> dict:
    from grader.baseline.cache import default_cache_dir

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    # The Keras baseline of the machine's cache (setup.sh fills ROOT/cache on Gradescope).
    env.update(AUTOGRADER_ROOT=str(root), GRADER_PYTHON=sys.executable,
               DL_GRADER_CACHE=str(Path(default_cache_dir()).parent))
    done = subprocess.run([str(root / "source" / "run_autograder")], cwd=str(root), env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    problems = validate_results(doc)
    assert not problems, problems
    assert len(doc["tests"]) == len(load_rubric().items)
    assert doc["extra_data"]["grader_package"].startswith(str(root / "source")), \
        "graded with the archive's grader, not the repository's"
    return doc


def points_of(exercises) -> float:
    return sum(i.points for i in load_rubric().items.values() if i.exercise in exercises)


@pytest.mark.sandbox
def test_a_correct_submission_zip_gets_full_marks(archive, tmp_path):
    from grader.submission import submit

    root = autograder_tree(archive, tmp_path / "autograder")
    submit("ana", config.SOLUTIONS_DIR, root / "submission" / "submission-ana.zip", lang="en",
           assignment="1")
    doc = run_autograder(root)
    assert doc["score"] == load_rubric().total
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in doc["tests"])
    hidden = [t for t in doc["tests"] if "hidden" in t["tags"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_published"}
    assert {t["visibility"] for t in doc["tests"] if "public" in t["tags"]} == {"visible"}
    assert "submission-ana.zip/sgd.py" in doc["output"]


@pytest.mark.sandbox
def test_a_partial_submission_of_notebooks_gets_exactly_the_points_of_what_is_done(archive,
                                                                                   tmp_path):
    root = autograder_tree(archive, tmp_path / "autograder")
    done = ("activations", "dropout")
    for ex in ORDER:
        source = config.SOLUTIONS_DIR if ex in done else config.EXERCISES_DIR
        nbformat.write(notebook_for(ex, "es", source_dir=source),
                       str(root / "submission" / f"{ex}.ipynb"))
    doc = run_autograder(root)
    assert doc["score"] == points_of(done)
    for test in doc["tests"]:
        exercise = test["tags"][0]
        assert (test["status"] == "passed") == (exercise in done), test
    assert any("not implemented yet" in t["output"] for t in doc["tests"])


HOSTILE = {
    "activations.py": """\
import numpy as np

try:
    STOLEN = open({solution!r}).read()
except Exception as exc:
    STOLEN = ""
try:
    with open({results!r}, "w") as fh:
        fh.write('{{"score": 1000, "tests": []}}')
except Exception:
    pass

def sigmoid(z):
    namespace = {{}}
    exec(STOLEN, namespace)
    return namespace["sigmoid"](z)

def sigmoid_derivative(z):
    while True:
        pass

def tanh_derivative(z):
    import os
    os.system("touch {witness}")
    return 1 - np.tanh(z) ** 2

def relu(z):
    print("x" * 5_000_000)
    return np.maximum(z, 0.0)

def relu_derivative(z):
    raise SystemExit(0)
""",
    "perceptron.py": "import grader\n\ndef predict(X, w, b):\n    return 0\n",
}


@pytest.mark.sandbox
def test_a_hostile_submission_cannot_cheat_nor_break_the_results(archive, tmp_path):
    root = autograder_tree(archive, tmp_path / "autograder", call_timeout_s=1.5)
    witness = tmp_path / "pwned"
    for name, template in HOSTILE.items():
        (root / "submission" / name).write_text(template.format(
            solution=str(root / "source" / "dl-grader" / "solutions" / "activations.py"),
            results=str(root / "results" / "results.json"), witness=witness))
    for ex in ("backprop", "dropout", "sgd"):
        shutil.copy(config.SOLUTIONS_DIR / f"{ex}.py", root / "submission")
    doc = run_autograder(root)
    assert doc["score"] < load_rubric().total
    scores = {ex: sum(t["score"] for t in doc["tests"] if t["tags"][0] == ex) for ex in ORDER}
    assert scores["activations"] == 0 and scores["perceptron"] == 0
    assert scores["dropout"] == points_of(["dropout"])
    statuses = {t["tags"][2] for t in doc["tests"] if t["tags"][0] in ("activations",
                                                                       "perceptron")}
    assert "forbidden" in statuses and "timeout" in statuses
    assert not witness.exists()
    assert len((root / "results" / "results.json").read_text()) < 2_000_000


@pytest.mark.sandbox
def test_an_empty_submission_is_graded_zero_with_an_explanation(archive, tmp_path):
    root = autograder_tree(archive, tmp_path / "autograder")
    (root / "submission" / "notes.txt").write_text("I forgot the files")
    doc = run_autograder(root)
    assert doc["score"] == 0
    assert "No exercise file was found" in doc["output"]
    assert all(EXERCISES[t["tags"][0]].filename in t["output"] for t in doc["tests"])


def test_a_helper_module_the_exercises_import_is_collected_like_grader_grade_does(tmp_path):
    sub = tmp_path / "submission" / "hw"
    sub.mkdir(parents=True)
    (sub / "activations.py").write_text("import numutils\nimport random\n")
    (sub / "numutils.py").write_text("x = 1\n")
    (sub / "random.py").write_text("x = 2\n")
    (sub / "scratch.py").write_text("x = 3\n")
    got = collect_submission(tmp_path / "submission")
    assert set(got.files) == {"activations.py", "numutils.py"}
    assert got.origins["numutils.py"] == "hw/numutils.py"
    assert [n[0] for n in got.notes] == ["batch.note.extra_module_refused.stdlib"]
