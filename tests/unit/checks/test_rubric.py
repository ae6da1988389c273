"""The rubric and the check files agree; the total is 100; every exercise is covered."""

import pytest

from grader.checks.engine import check_ids_in_files
from grader.exercises import ORDER
from grader.rubric import RubricError, load_rubric


def test_rubric_totals_one_hundred_points():
    rubric = load_rubric()
    assert sum(i.points for i in rubric.items.values()) == pytest.approx(100.0)


def test_every_check_in_the_files_is_in_the_rubric_and_vice_versa():
    in_files = check_ids_in_files(("public", "hidden", "baseline"))
    listed = set(load_rubric().items)
    assert in_files - listed == set(), "checks without points"
    assert listed - in_files == set(), "rubric entries without a check"


def test_every_exercise_has_public_and_hidden_checks():
    items = load_rubric().items.values()
    for ex in ORDER:
        suites = {i.suite for i in items if i.exercise == ex}
        assert {"public", "hidden"} <= suites, ex


def test_keras_checks_exist_for_every_exercise_but_the_perceptron_and_never_for_it():
    from grader.baseline.suite import KERAS_EXERCISES

    items = load_rubric().items.values()
    keras = {i.exercise for i in items if i.suite == "baseline"}
    assert keras == set(KERAS_EXERCISES) and "perceptron" not in keras


def test_a_rubric_with_a_wrong_total_is_refused(tmp_path):
    bad = tmp_path / "rubric.toml"
    bad.write_text('total = 100\n[[check]]\nid = "public/test_sgd.py::test_x"\npoints = 5\n'
                   'es = "x"\nen = "x"\n', encoding="utf-8")
    with pytest.raises(RubricError):
        load_rubric(bad)
