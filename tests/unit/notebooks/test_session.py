"""The assignment notebook's helpers (begin / check / submit), with a given cell history."""

import sys
import zipfile

import pytest

from grader import config
from grader.notebooks import session
from grader.notebooks.build import assignment_notebook, install_source
from grader.notebooks.kernel import Message
from grader.notebooks.session import NotebookCheck, SubmitReport, begin, check, submit


def history_of(nb, skip=()) -> list:
    """A kernel's input history after running every code cell but those starting with ``skip``."""
    return [""] + [c.source for c in nb.cells if c.cell_type == "code"
                   and not any(c.source.startswith(f"#| exercise: {s}") for s in skip)]


@pytest.fixture(autouse=True)
def _clean_state(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.setattr(session, "_STATE", session._State())
    yield
    for name in ("activations", "perceptron", "backprop", "dropout", "sgd"):
        module = sys.modules.get(name)
        if module is not None and isinstance(getattr(module, "__loader__", None),
                                             session.NotebookModules):
            del sys.modules[name]


@pytest.fixture(scope="module")
def solved_nb():
    return assignment_notebook("1", "en", source_dir=config.SOLUTIONS_DIR)


@pytest.mark.sandbox
def test_check_runs_the_public_checks_on_this_notebooks_cells(solved_nb):
    begin("1", lang="en", history=history_of(solved_nb))
    report = check("backprop")
    assert isinstance(report, NotebookCheck)
    assert report.checks and {c.status for c in report.checks} <= {"passed", "skipped", "not_run"}
    assert {c.exercise for c in report.checks} == {"backprop"}
    assert "Checked with this notebook's cells: backprop" in repr(report)


def test_a_dependency_whose_cells_were_not_run_is_named_with_its_functions(solved_nb):
    begin("1", lang="es", history=history_of(solved_nb, skip=("activations",)))
    report = check("backprop")
    assert isinstance(report, Message) and report.kind == "warning"
    text = str(report)
    assert "backprop necesita sigmoid, sigmoid_derivative de activations" in text


def test_a_function_the_dependency_does_not_define_is_named(solved_nb):
    history = history_of(solved_nb, skip=("activations/sigmoid_derivative",))
    begin("1", lang="en", history=history)
    text = str(check("backprop"))
    assert "needs sigmoid_derivative from activations" in text and "do not define it" in text


def test_check_without_any_exercise_cell_run_says_what_to_run():
    begin("1", lang="en", history=["", "print(1)"])
    report = check()
    assert isinstance(report, Message) and "No exercise cell has been run" in str(report)


def test_a_mistyped_exercise_is_a_message_not_a_traceback(solved_nb):
    begin("1", lang="en", history=history_of(solved_nb))
    report = check("perceptorn")
    assert isinstance(report, Message) and "perceptron" in str(report)


def test_the_import_hook_serves_modules_made_of_the_notebook_cells(solved_nb):
    history = history_of(solved_nb)
    begin("1", lang="en", history=history)
    import activations

    assert activations.relu(-2.0) == 0.0
    assert isinstance(activations.__loader__, session.NotebookModules)
    session._STATE.history = history + [
        "#| exercise: activations/relu\ndef relu(z):\n    return 42\n"]
    hook = next(f for f in sys.meta_path if isinstance(f, session.NotebookModules))
    hook.refresh()                           # what IPython's pre_run_cell event calls
    import activations as again

    assert again.relu(-2.0) == 42


def test_importing_a_module_whose_cells_were_not_run_says_which_cells(solved_nb):
    begin("1", lang="en", history=history_of(solved_nb, skip=("dropout",)))
    with pytest.raises(ImportError, match="run this notebook's dropout cells"):
        import dropout  # noqa: F401


def test_submit_asks_for_the_student_id_first(tmp_path, solved_nb):
    begin("1", lang="es", history=history_of(solved_nb))
    report = submit(folder=tmp_path)
    assert isinstance(report, Message) and "TU_ID" in str(report)
    assert list(tmp_path.iterdir()) == []


def test_submit_names_the_exercises_whose_cells_were_not_run(tmp_path, solved_nb):
    begin("1", lang="en", history=history_of(solved_nb, skip=("sgd",)))
    report = submit("ana", folder=tmp_path)
    assert "cannot be written yet" in str(report) and "sgd: none of its cells" in str(report)
    assert not (tmp_path / "submission-ana.zip").exists()


@pytest.mark.sandbox
def test_submit_writes_the_archive_and_gives_a_link_outside_colab(tmp_path, solved_nb,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    begin("1", lang="en", history=history_of(solved_nb))
    report = submit("ana.garcia")
    assert isinstance(report, SubmitReport) and not report.downloaded
    archive = tmp_path / "submission-ana.garcia.zip"
    assert report.path == archive
    with zipfile.ZipFile(archive) as zf:
        assert {"activations.py", "sgd.py", "manifest.json"} <= set(zf.namelist())
    assert report.manifest["results"]["score"] == report.manifest["results"]["max_score"] > 0
    assert 'href="submission-ana.garcia.zip" download=' in report._repr_html_()


@pytest.mark.sandbox
def test_submit_downloads_through_google_colab_files_when_it_exists(tmp_path, solved_nb,
                                                                    monkeypatch):
    import types

    downloads = []
    google, colab, files = (types.ModuleType(n) for n in
                            ("google", "google.colab", "google.colab.files"))
    files.download = downloads.append
    google.colab, colab.files = colab, files
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab.files", files)
    begin("1", lang="es", history=history_of(solved_nb))
    report = submit("ana.garcia", folder=tmp_path)
    assert report.downloaded and downloads == [str(tmp_path / "submission-ana.garcia.zip")]
    assert "Tu navegador descarga" in str(report) and "href" not in report._repr_html_()


@pytest.mark.parametrize("given, expected", [
    ("https://example.org/dl_grader-0.1.0-py3-none-any.whl",
     '%pip install -q "https://example.org/dl_grader-0.1.0-py3-none-any.whl"'),
    ("dl_grader-0.1.0-py3-none-any.whl", '%pip install -q "dl_grader-0.1.0-py3-none-any.whl"'),
    ("https://course.example.org/wheels/", '--find-links "https://course.example.org/wheels/"'),
    ("https://drive.google.com/file/d/1AbC-d_9/view?usp=sharing",
     "https://drive.google.com/uc?export=download&id=1AbC-d_9"),
])
def test_the_install_cell_installs_from_what_the_instructor_gave(given, expected):
    assert expected in install_source(given)


@pytest.mark.parametrize("lang, ask", [("es", "Pide a tu profesor"),
                                       ("en", "Ask your instructor for")])
def test_without_install_from_the_first_cell_says_what_to_ask_for(lang, ask):
    from grader.release.wheel import wheel_name

    nb = assignment_notebook("1", lang)
    install = nb.cells[2]
    assert "install" in install.metadata["tags"]
    assert ask in install.source and wheel_name() in install.source
    assert 'WHEEL = ""' in install.source


def test_the_assignment_notebook_holds_every_exercise_in_order_each_followed_by_its_check():
    from grader.notebooks.assignment import assignment_exercises

    nb = assignment_notebook("1", "es")
    order, checks = [], []
    for cell in nb.cells:
        if cell.source.startswith("#| exercise:"):
            module = cell.source.split()[2].split("/")[0]
            if not order or order[-1] != module:
                order.append(module)
        if "check" in cell.metadata.get("tags", []):
            checks.append(cell.source.splitlines()[-1])
    exercises = assignment_exercises("1")
    assert tuple(order) == exercises
    assert checks == [f"check({ex!r})" for ex in exercises]
    assert "submit(student_id='TU_ID')" in nb.cells[-1].source


def test_an_exercise_without_notebook_texts_still_gets_its_cells(monkeypatch, tmp_path):
    """Exercises added later may have no i18n/notebooks/<lang>/<ex>.md yet: the stub's
    docstring explains them, and the release does not break."""
    from grader.notebooks import build

    monkeypatch.setattr(build, "notebook_text_path",
                        lambda exercise, lang: tmp_path / f"{exercise}.{lang}.md")
    nb = build.notebook_for("backprop", "es")
    assert "Retropropagación" in nb.cells[0].source and "```text" in nb.cells[0].source
    assert "Red: capas densas" in nb.cells[0].source                # the Spanish part only
    assert "Network: Keras-style dense layers" not in nb.cells[0].source
    assert any(c.source.startswith("#| exercise: backprop/backward") for c in nb.cells)
    whole = build.assignment_notebook("1", "en")
    assert sum("check" in c.metadata.get("tags", []) for c in whole.cells) == 5


def test_a_module_of_an_earlier_assignment_is_asked_for_by_its_marker(tmp_path, solved_nb):
    mine = tmp_path / "only_backprop.toml"
    mine.write_text('title.es = "Solo backprop"\ntitle.en = "Only backprop"\n'
                    'exercises = ["backprop"]\n[points]\nbackprop = 100\n')
    history = [c for c in history_of(solved_nb) if not c.startswith("#| exercise: activations")]
    begin(str(mine), lang="en", history=history)
    text = str(check("backprop"))
    assert "needs sigmoid, sigmoid_derivative from activations, of an earlier assignment" in text
    assert '"#| exercise: activations"' in text
    with pytest.raises(ImportError, match="belongs to an earlier assignment"):
        import activations  # noqa: F401
