"""The rubric (the units' [[check]] lines, per assignment): ids, points, totals, scaling."""

import pytest

from grader.checks.engine import check_ids_in_files
from grader.exercises import ORDER
from grader.rubric import (RubricError, all_items, load_rubric, parse_id, rubric_for,
                           unit_items)


def test_the_default_rubric_is_assignment_one_and_totals_one_hundred_points():
    rubric = load_rubric()
    assert rubric.assignment == "1" and rubric.total == 100
    assert sum(i.points for i in rubric.items.values()) == pytest.approx(100.0)


def test_every_check_in_the_files_is_in_the_rubric_and_vice_versa():
    in_files = check_ids_in_files(("public", "hidden", "keras"))
    listed = set(all_items())
    assert in_files - listed == set(), "checks without points"
    assert listed - in_files == set(), "rubric entries without a check"


def test_check_ids_name_the_unit_and_the_suite():
    assert parse_id("sgd/hidden.py::test_x") == ("hidden", "sgd", "test_x")
    assert parse_id("sgd/keras.py::test_x") == ("keras", "sgd", "test_x")
    for bad in ("hidden/test_sgd.py::test_x", "sgd/baseline.py::test_x", "sgd/public.py::x"):
        assert parse_id(bad) is None, bad
    assert all(parse_id(i) for i in all_items())


def test_every_exercise_of_assignment_one_has_public_and_hidden_checks():
    items = load_rubric("1").items.values()
    for ex in load_rubric("1").exercises:
        suites = {i.suite for i in items if i.exercise == ex}
        assert {"public", "hidden"} <= suites, ex


def test_keras_checks_exist_for_every_exercise_but_the_perceptron_and_never_for_it():
    from grader.baseline.suite import KERAS_EXERCISES

    items = load_rubric("1").items.values()
    keras = {i.exercise for i in items if i.suite == "keras"}
    assert keras == set(KERAS_EXERCISES) and "perceptron" not in keras


def test_assignment_one_keeps_its_grades_twenty_points_per_exercise():
    rubric = load_rubric("1")
    assert rubric.exercises == ("activations", "perceptron", "backprop", "dropout", "sgd")
    for ex in rubric.exercises:
        assert rubric.exercise_points(ex) == 20
        assert [i.points for i in rubric.for_exercises([ex], ("public", "hidden", "keras"))] \
            == [i.points for i in unit_items(ex)]
    assert len(rubric.items) == 87   # 69 + one contract check per function (issue 8)


def test_the_rubric_of_some_exercises_is_the_first_assignment_holding_them():
    assert rubric_for(["sgd"]).assignment == "1"
    assert rubric_for(ORDER[:2]).total == 100


def test_an_instructors_assignment_scales_each_exercise_to_its_worth(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('title.es = "Mía"\ntitle.en = "Mine"\nexercises = ["activations", "sgd"]\n'
                    "[points]\nactivations = 40\nsgd = 60\n", encoding="utf-8")
    rubric = load_rubric(str(path))
    assert rubric.assignment == "mine" and rubric.total == 100
    assert rubric.exercise_points("activations") == pytest.approx(40)
    assert rubric.exercise_points("sgd") == pytest.approx(60)
    assert set(rubric.exercises) == {"activations", "sgd"}


def test_a_bad_rubric_line_is_refused(monkeypatch):
    import dataclasses

    import grader.exercises as exercises

    unit_items.cache_clear()
    bad = dataclasses.replace(exercises.EXERCISES["sgd"], checks=(
        {"id": "hidden/test_sgd.py::test_x", "points": 1, "es": "x", "en": "x"},))
    monkeypatch.setitem(exercises.EXERCISES, "sgd", bad)
    try:
        with pytest.raises(RubricError):
            unit_items("sgd")
        for entry in ({"id": "public::test_x", "points": 0, "es": "x", "en": "x"},
                      {"id": "public::test_x", "points": 1, "es": "x"},
                      {"id": "public::test_x", "points": 1, "es": "x", "en": "x",
                       "functions": ["nope"]}):
            unit_items.cache_clear()
            monkeypatch.setitem(exercises.EXERCISES, "sgd",
                                dataclasses.replace(bad, checks=(entry,)))
            with pytest.raises(RubricError):
                unit_items("sgd")
    finally:
        unit_items.cache_clear()
