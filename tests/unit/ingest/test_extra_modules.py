"""A student's own helper modules beside the exercise files travel with them.

The contract leaves private helpers free: ``numutils.py`` next to ``activations.py``
(imported by it) is graded with it, the same in `grader check`, `grader submit` and
`grader grade`; bounded like the exercise files, and never under a name that would
shadow a standard module, numpy, the grader or an exercise.
"""

import json
import zipfile

import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.ingest import discover

EXERCISE_FILES = tuple(f"{ex}.py" for ex in get_assignment("1").exercises)
HELPER = b"import numpy as np\n\ndef as_f64(a):\n    return np.asarray(a, dtype=np.float64)\n"


def solutions(**changes):
    files = {name: (config.SOLUTIONS_DIR / name).read_bytes() for name in EXERCISE_FILES}
    files.update(changes)
    return files


def activations_using(*modules) -> bytes:
    imports = "".join(f"import {m}\n" for m in modules)
    return imports.encode() + (config.SOLUTIONS_DIR / "activations.py").read_bytes()


def write(folder, files):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def only(subs):
    assert len(subs) == 1, subs
    return subs[0]


def notes(sub):
    return {n.key: n for n in sub.notes}


def test_a_helper_module_the_exercises_import_is_handed_in_with_them(tmp_path):
    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using("numutils"), "numutils.py": HELPER,
        "scratch.py": b"print('mine')\n"}))
    sub = only(discover([ana]))
    assert sub.files["numutils.py"] == HELPER
    assert "scratch.py" not in sub.files          # nobody imports it: it stays behind
    assert not sub.notes


def test_helpers_imported_by_helpers_come_too_and_so_does_a_zip_of_the_folder(tmp_path):
    files = solutions(**{"sgd.py": b"from helpers import step\n"
                         + (config.SOLUTIONS_DIR / "sgd.py").read_bytes(),
                         "helpers.py": b"from numutils import as_f64\nstep = 1\n",
                         "numutils.py": HELPER})
    archive = tmp_path / "eva.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in files.items():
            zf.writestr(f"eva/{name}", data)
    sub = only(discover([archive]))
    assert {"helpers.py", "numutils.py"} <= set(sub.files)


@pytest.mark.parametrize("name, why", [("random", "stdlib"), ("numpy", "library"),
                                       ("grader", "grader"), ("Activations", "exercise")])
def test_a_helper_that_would_shadow_another_module_is_refused_in_words(tmp_path, name, why):
    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using(name), f"{name}.py": b"x = 1\n"}))
    sub = only(discover([ana]))
    assert f"{name}.py" not in sub.files
    note = notes(sub)[f"batch.note.extra_module_refused.{why}"]
    for lang in ("es", "en"):
        assert f"{name}.py" in note.render(lang)


@pytest.mark.parametrize("name", ["packaging", "iniconfig"])
def test_a_helper_named_like_any_module_installed_beside_the_grader_is_refused(tmp_path, name):
    # Not in any hand-written list: installed with pytest, as six or termcolor are with
    # TensorFlow, which the Keras worker imports before the audit hook is armed.
    import importlib.util

    assert importlib.util.find_spec(name) is not None
    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using(name), f"{name}.py": b"x = 1\n"}))
    sub = only(discover([ana]))
    assert f"{name}.py" not in sub.files
    note = notes(sub)["batch.note.extra_module_refused.library"]
    for lang in ("es", "en"):
        assert f"{name}.py" in note.render(lang)


def test_the_current_folder_is_not_the_environment(tmp_path, monkeypatch):
    # `python -m grader check` run in the student's folder puts it on sys.path: their own
    # helpers there are not "installed modules".
    from grader.ingest.extras import refused_reason

    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using("numutils_here"), "numutils_here.py": HELPER}))
    monkeypatch.chdir(ana)
    monkeypatch.syspath_prepend("")
    assert refused_reason("numutils_here.py") is None
    sub = only(discover([ana]))
    assert sub.files["numutils_here.py"] == HELPER and not sub.notes


def test_helpers_are_bounded_in_number_and_size_like_exercise_files(tmp_path):
    names = [f"h{i}" for i in range(config.MAX_EXTRA_MODULES + 2)]
    files = solutions(**{"activations.py": activations_using(*names, "big")})
    files.update({f"{n}.py": b"x = 1\n" for n in names})
    files["big.py"] = b"#" * (config.MAX_SOURCE_FILE_BYTES + 1)
    sub = only(discover([write(tmp_path / "ana", files)]))
    shipped = [n for n in sub.files if n not in EXERCISE_FILES]
    assert len(shipped) == config.MAX_EXTRA_MODULES and "big.py" not in sub.files
    found = notes(sub)
    assert "batch.note.extra_modules_too_many" in found
    assert "h6.py" in found["batch.note.extra_modules_too_many"].render("en")


def test_a_helper_beside_a_notebook_follows_the_same_rules(tmp_path):
    cell = {"cell_type": "code", "metadata": {"tags": ["exercise:activations"]},
            "outputs": [], "execution_count": None,
            "source": activations_using("numutils", "random").decode()}
    folder = write(tmp_path / "ana", {"numutils.py": HELPER, "random.py": b"x = 1\n"})
    (folder / "activations.ipynb").write_text(json.dumps(
        {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    sub = only(discover([folder]))
    assert "activations.py" in sub.files and sub.files["numutils.py"] == HELPER
    assert "random.py" not in sub.files
    assert "batch.note.extra_module_refused.stdlib" in notes(sub)


def test_grader_check_and_grader_submit_take_the_same_helpers(tmp_path):
    from grader.checking import load_sources
    from grader.submission import submit

    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using("numutils", "random"), "numutils.py": HELPER,
        "random.py": b"x = 1\n", "scratch.py": b"x = 2\n"}))
    notices: list = []
    files, _ = load_sources(ana, notices)
    assert files["numutils.py"] == HELPER and "random.py" not in files
    assert "scratch.py" not in files
    assert [n.key for n in notices] == ["batch.note.extra_module_refused.stdlib"]
    assert "random.py" in notices[0].message("es")
    graded = only(discover([ana]))
    assert set(graded.files) == set(files)
    notices = []
    result = submit("ana", ana, tmp_path / "ana.zip", lang="en", notices=notices)
    with zipfile.ZipFile(result.path) as zf:
        assert zf.read("numutils.py") == HELPER and "random.py" not in zf.namelist()
    assert "numutils.py" in result.manifest["files"]
    assert [n.key for n in notices] == ["batch.note.extra_module_refused.stdlib"]
    assert only(discover([result.path])).files["numutils.py"] == HELPER


def test_a_helper_named_like_another_assignments_exercise_goes_into_the_archive(tmp_path):
    from grader.checking import load_sources
    from grader.submission import submit

    helper = b"def load():\n    return 1\n"
    ana = write(tmp_path / "ana", solutions(**{
        "activations.py": activations_using("data"), "data.py": helper}))
    files, _ = load_sources(ana)
    assert files["data.py"] == helper and only(discover([ana])).files["data.py"] == helper
    result = submit("ana", ana, tmp_path / "ana.zip", lang="en")
    assert result.choice.assignment.name == "1"
    with zipfile.ZipFile(result.path) as zf:
        assert zf.read("data.py") == helper
