"""Every notebook, executed in a real Jupyter kernel (nbclient + ipykernel), once per variant.

- solutions filled in (Spanish notebooks): every public check of the notebook passes;
- the stubs as shipped (English notebooks): every check is "not attempted".

No cell may raise in either. The notebooks of one variant share one folder and run
in exercise order, as a student would: backprop's setup takes activations from the
notebook next to it, and so on. One kernel per notebook (kernel start-up is most of
the cost: about 2 s each).
"""

import json

import nbformat
import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.notebooks.build import notebook_for
from grader.rubric import load_rubric

# Notebooks are built for the default assignment (1); the course has more.
ORDER = get_assignment("1").exercises

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

REPORT = ("import json\n"
          "print('@@' + json.dumps([[c.id, c.status] for c in results.checks]))")


def student_checks(exercise, suite=None):
    """The ids of the checks `grader check` runs on ``exercise`` (of one suite, if given)."""
    from grader.checking import CHECK_SUITES

    return {i.id for i in load_rubric().items.values() if i.exercise == exercise
            and i.suite in CHECK_SUITES and suite in (None, i.suite)}


def run_all(folder, lang, source_dir):
    """Write the five notebooks into ``folder``, execute each; ``{exercise: (statuses, nb)}``."""
    for ex in ORDER:
        nbformat.write(notebook_for(ex, lang, source_dir=source_dir), str(folder / f"{ex}.ipynb"))
    done = {}
    for ex in ORDER:
        nb = nbformat.read(str(folder / f"{ex}.ipynb"), as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(REPORT))
        client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                         resources={"metadata": {"path": str(folder)}})
        client.execute()            # raises CellExecutionError on the first failing cell
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, (ex, errors)
        printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
        done[ex] = (dict(json.loads(printed.split("@@", 1)[1])), nb)
    return done


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return run_all(tmp_path_factory.mktemp("solved"), "es", config.SOLUTIONS_DIR)


@pytest.fixture(scope="module")
def stubs(tmp_path_factory):
    return run_all(tmp_path_factory.mktemp("stubs"), "en", config.EXERCISES_DIR)


def _skipped_only_if_keras(statuses):
    """Keras checks do not run where TensorFlow is missing and nothing is cached."""
    return all(s != "not_run" or "/keras.py::" in check for check, s in statuses.items())


@pytest.mark.parametrize("exercise", ORDER)
def test_with_the_solutions_every_check_passes(solved, exercise):
    statuses, _ = solved[exercise]
    assert set(statuses) == student_checks(exercise)
    assert {statuses[c] for c in student_checks(exercise, "public")} == {"passed"}, statuses
    assert set(statuses.values()) <= {"passed", "not_run"} and _skipped_only_if_keras(statuses)


@pytest.mark.parametrize("exercise", ORDER)
def test_with_the_stubs_every_check_is_not_attempted(stubs, exercise):
    statuses, _ = stubs[exercise]
    assert set(statuses) == student_checks(exercise)
    assert {statuses[c] for c in student_checks(exercise, "public")} == {"not_attempted"}
    assert set(statuses.values()) <= {"not_attempted", "not_run"}, statuses
    assert _skipped_only_if_keras(statuses)


def _outputs(nb, tag):
    (cell,) = [c for c in nb.cells if tag in c.metadata.get("tags", [])]
    return cell.outputs


def test_the_check_cell_shows_a_table_in_the_notebooks_language(solved, stubs):
    html = "".join(o["data"].get("text/html", "") for o in _outputs(solved["sgd"][1], "check")
                   if "data" in o)
    assert "<table>" in html and "superada" in html
    text = "".join(o["data"].get("text/plain", "") for o in _outputs(stubs["sgd"][1], "check")
                   if "data" in o)
    assert "not attempted" in text


def test_the_try_cell_of_sgd_draws_the_loss_curve_once_train_works(solved, stubs):
    assert any("image/png" in o.get("data", {}) for o in _outputs(solved["sgd"][1], "try"))
    printed = "".join(o.get("text", "") for o in _outputs(stubs["sgd"][1], "try"))
    assert "sgd.train" in printed


def test_the_compare_cell_never_fails(solved, stubs):
    for nb in (solved["sgd"][1], stubs["sgd"][1]):
        outputs = _outputs(nb, "compare")
        assert outputs and all(o.output_type != "error" for o in outputs)


def test_the_try_cells_print_in_the_notebooks_language(solved):
    printed = "".join(o.get("text", "") for o in _outputs(solved["backprop"][1], "try"))
    assert "pérdida =" in printed and "capa 1:" in printed
    assert "loss =" not in printed and "layer 1:" not in printed
    printed = "".join(o.get("text", "") for o in _outputs(solved["sgd"][1], "try"))
    assert "pérdida:" in printed
