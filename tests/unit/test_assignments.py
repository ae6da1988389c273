"""Assignments: the course's TOML files and an instructor's own, validated to total 100."""

import pytest

from grader.assignments import (Assignment, AssignmentError, assignments, containing, get,
                                load_assignment, lookup, of_exercise)
from grader.errors import GraderError


def test_assignment_one_is_the_five_exercises_of_twenty_points():
    one = get("1")
    assert isinstance(one, Assignment) and one.name == "1"
    assert one.exercises == ("activations", "perceptron", "backprop", "dropout", "sgd")
    assert one.points == {ex: 20.0 for ex in one.exercises} and one.total == 100
    assert set(one.title) == {"es", "en"} and get() == one and get(one) is one
    assert "1" in assignments() and containing(["sgd", "backprop"]) == one
    assert "1" in of_exercise("dropout")


def test_an_unknown_assignment_is_a_key_error():
    with pytest.raises(KeyError):
        get("99")


def _write(tmp_path, body, name="mine.toml"):
    path = tmp_path / name
    path.write_text('title.es = "Mía"\ntitle.en = "Mine"\n' + body, encoding="utf-8")
    return path


def test_an_instructor_defines_an_assignment_from_existing_exercises(tmp_path):
    path = _write(tmp_path, 'exercises = ["backprop", "sgd"]\n[points]\nbackprop = 30\n'
                            "sgd = 70\n")
    mine = get(str(path))
    assert mine.name == "mine" and mine.exercises == ("backprop", "sgd")
    assert mine.points == {"backprop": 30.0, "sgd": 70.0}
    assert mine.scale("sgd") == pytest.approx(70 / 20)


@pytest.mark.parametrize("body, words", [
    ('exercises = ["backprop", "sgd"]\n', "add up to 40"),
    ('exercises = ["backprop", "nope"]\n', "unknown exercises"),
    ('exercises = []\n', "non-empty"),
    ('exercises = ["sgd", "sgd"]\n[points]\nsgd = 100\n', "twice"),
    ('exercises = ["sgd"]\n[points]\nsgd = 100\nbackprop = 1\n', "only name"),
    ('exercises = ["sgd"]\n[points]\nsgd = -100\n', "positive"),
])
def test_a_malformed_assignment_is_refused(tmp_path, body, words):
    with pytest.raises(AssignmentError, match=words):
        load_assignment(_write(tmp_path, body))


def test_an_assignment_needs_a_title_in_both_languages(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('title.es = "x"\nexercises = ["sgd"]\n[points]\nsgd = 100\n')
    with pytest.raises(AssignmentError, match="title"):
        load_assignment(path)


def test_a_name_a_person_typed_is_looked_up_with_errors_in_words(tmp_path):
    assert lookup("1") == get("1")
    with pytest.raises(GraderError) as info:
        lookup("99")
    assert info.value.key == "error.unknown_assignment" and "1" in info.value.message("en")
    bad = _write(tmp_path, 'exercises = ["sgd"]\n')
    with pytest.raises(GraderError) as info:
        lookup(str(bad))
    assert info.value.key == "error.bad_assignment"
    assert "add up to 20" in info.value.message("es")
