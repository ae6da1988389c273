"""`grader grade` with helper modules of the student's own (F4 of the independent review)."""

import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.grading import grade
from grader.reports.student import feedback_html, feedback_markdown

pytestmark = pytest.mark.sandbox

EXERCISE_FILES = tuple(f"{ex}.py" for ex in get_assignment("1").exercises)
ACTIVATIONS = b'''import numpy as np

from numutils import as_f64, stable_sigmoid


def sigmoid(z):
    return stable_sigmoid(as_f64(z))


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh_derivative(z):
    return 1.0 - np.tanh(as_f64(z)) ** 2


def relu(z):
    return np.maximum(as_f64(z), 0.0)


def relu_derivative(z):
    return (as_f64(z) > 0).astype(np.float64)
'''
NUMUTILS = b'''import numpy as np


def as_f64(a):
    return np.asarray(a, dtype=np.float64)


def stable_sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
'''


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    root = tmp_path_factory.mktemp("helpers")
    for student, helper in (("with_helper", True), ("without_helper", False)):
        folder = root / "class" / student
        folder.mkdir(parents=True)
        for name in EXERCISE_FILES:
            (folder / name).write_bytes((config.SOLUTIONS_DIR / name).read_bytes())
        (folder / "activations.py").write_bytes(ACTIVATIONS)
        if helper:
            (folder / "numutils.py").write_bytes(NUMUTILS)
    report = grade([root / "class"], out=root / "out", jobs=1, seed=11, timeout_s=5.0,
                   lang="en")
    return {r.student_id: r for r in report.rows}


def test_a_helper_module_beside_the_exercises_is_graded_with_them(rows):
    row = rows["with_helper"]
    assert row.status == "graded" and row.total == pytest.approx(100), row.reasons


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_module_that_cannot_be_imported_is_said_once_in_words(rows, lang):
    row = rows["without_helper"]
    assert row.status == "partial" and row.scores["activations"] == 0
    reasons = [p.render(lang) for p in row.reasons]
    assert len(reasons) == 1 and "activations.py" in reasons[0] and "numutils" in reasons[0]
    for text in (feedback_markdown(row, lang), feedback_html(row, lang)):
        assert text.count("ModuleNotFoundError") <= 3    # the reason + one check's traceback
        assert text.count('File "activations.py"') <= 1


@pytest.mark.parametrize("helper", [True, False], ids=["with_helper", "without_helper"])
def test_grader_check_grades_the_helper_and_says_a_failed_import_once(tmp_path, helper):
    from click.testing import CliRunner

    from grader.cli import cli

    folder = tmp_path / "ana"
    folder.mkdir()
    for name in EXERCISE_FILES:
        (folder / name).write_bytes((config.SOLUTIONS_DIR / name).read_bytes())
    (folder / "activations.py").write_bytes(ACTIVATIONS)
    if helper:
        (folder / "numutils.py").write_bytes(NUMUTILS)
    result = CliRunner().invoke(cli, ["check", "activations", "--path", str(folder),
                                      "--lang", "en"])
    assert (result.exit_code == 0) == helper, result.output
    assert result.output.count('File "activations.py"') == (0 if helper else 1), result.output
    if not helper:
        assert "activations.py could not be imported (the reason is above" in result.output
