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


# -- which assignment a command works on -------------------------------------------------------
from grader import assignments as assignments_module  # noqa: E402
from grader.assignments import (choose, default_name, from_dict, infer, most_common,  # noqa: E402
                                to_dict, units_of)


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course of two assignments made of assignment 1's exercises: 1 = activations,
    perceptron, dropout (30/30/40); 2 = backprop, sgd (50/50)."""
    folder = tmp_path / "assignments"
    folder.mkdir()
    _write(folder, 'exercises = ["activations", "perceptron", "dropout"]\n[points]\n'
                   "activations = 30\nperceptron = 30\ndropout = 40\n", name="1.toml")
    _write(folder, 'exercises = ["backprop", "sgd"]\n[points]\nbackprop = 50\nsgd = 50\n',
           name="2.toml")
    monkeypatch.setattr(assignments_module, "ASSIGNMENTS_DIR", folder)
    assignments.cache_clear()
    yield folder
    assignments.cache_clear()


def test_the_files_present_decide_the_assignment(course):
    assert infer(["backprop.py", "sgd.py", "activations.py"]).assignment.name == "2"
    one = infer(["activations.py", "perceptron.py"])
    assert (one.assignment.name, one.how, one.ties) == ("1", "files", ())
    assert infer(["sgd"]).assignment.name == "2"           # exercise names work too


def test_a_tie_goes_to_the_first_assignment_and_says_which_others_fit(course):
    tie = infer(["perceptron.py", "backprop.py"])
    assert (tie.assignment.name, tie.how, tie.ties) == ("1", "files", ("2",))


def test_a_tie_goes_to_the_assignment_that_accounts_for_more_of_the_files(course):
    # 2's sgd imports activations, backprop and dropout: a student going on in the folder
    # of assignment 1 has 1's files too
    files = ["activations.py", "dropout.py", "backprop.py", "sgd.py"]
    tie = infer(files)
    assert (tie.assignment.name, tie.ties) == ("2", ("1",))


def test_no_exercise_file_gives_the_default_assignment_one(course):
    none = infer(["notes.txt"])
    assert (none.assignment.name, none.how) == ("1", "default")
    assert default_name() == "1"


def test_without_a_one_toml_the_default_is_the_first_assignment(course):
    (course / "1.toml").unlink()
    assignments.cache_clear()
    assert default_name() == "2" and get().name == "2"


def test_exercise_names_select_within_the_assignment_or_pick_the_one_holding_them(course):
    assert choose(None, present=["activations.py"], exercises=["sgd"]).assignment.name == "2"
    assert choose(None, present=["activations.py"], exercises=["sgd"]).how == "exercises"
    with pytest.raises(GraderError) as info:
        choose("1", present=[], exercises=["sgd", "dropout"])
    assert info.value.key == "error.exercise_not_in_assignment"
    assert "sgd" in info.value.message("es") and "activations" in info.value.message("en")
    with pytest.raises(GraderError) as info:
        choose(None, present=[], exercises=["sgd", "dropout"])
    assert info.value.key == "error.exercises_in_no_assignment"


def test_the_class_assignment_is_the_most_common_with_ties_to_the_first(course):
    chosen, count, total = most_common(["2", "2", "1", None, "mine"])
    assert (chosen.name, count, total) == ("2", 2, 5)
    assert most_common(["2", "1"])[0].name == "1"
    assert most_common([None])[:2] == (get("1"), 0)


def test_an_assignment_travels_as_plain_data_with_its_points(tmp_path):
    path = _write(tmp_path, 'exercises = ["activations", "dropout"]\n[points]\n'
                            "activations = 40\ndropout = 60\n")
    mine = get(str(path))
    back = from_dict(to_dict(mine))
    assert back == mine and back.points == mine.points and back.title == mine.title
    assert get(to_dict(mine)) == mine
    from grader.rubric import load_rubric

    assert load_rubric(to_dict(mine)).exercise_points("dropout") == pytest.approx(60)
    assert load_rubric(str(path)).total == pytest.approx(100)


def test_an_edited_instructor_file_is_scored_anew(tmp_path):
    from grader.rubric import load_rubric

    path = _write(tmp_path, 'exercises = ["activations", "dropout"]\n[points]\n'
                            "activations = 40\ndropout = 60\n")
    assert load_rubric(str(path)).exercise_points("activations") == pytest.approx(40)
    _write(tmp_path, 'exercises = ["activations", "dropout"]\n[points]\n'
                     "activations = 70\ndropout = 30\n")
    assert load_rubric(str(path)).exercise_points("activations") == pytest.approx(70)


def test_the_units_of_an_assignment_include_what_its_exercises_depend_on(tmp_path):
    path = _write(tmp_path, 'exercises = ["backprop", "sgd"]\n[points]\nbackprop = 50\n'
                            "sgd = 50\n")
    assert units_of(str(path)) == ("activations", "backprop", "dropout", "sgd")
    assert units_of("1") == get("1").exercises


def test_a_class_is_graded_as_the_assignment_most_hand_ins_record_or_hold(course):
    from grader.assignments import for_class as class_assignment
    from grader.ingest.model import Problem, Submission

    def sub(sid, manifest=None, files=(), rejected=None):
        return Submission(student_id=sid, source="folder", origin=sid, manifest=manifest,
                          files={f: b"x" for f in files}, rejected=rejected)

    subs = [sub("a", {"assignment": "2"}), sub("b", files=["backprop.py", "sgd.py"]),
            sub("c", files=["activations.py"]), sub("d", {"assignment": "mine"}),
            sub("e", {"assignment": "1"}, rejected=Problem("grading.reason.empty_file"))]
    chosen, notes = class_assignment(subs)
    assert chosen.name == "2"
    assert notes[0] == ("assignment.class.inferred", {"name": "2", "count": 2, "total": 4})
    assert notes[1][0] == "assignment.class.others" and notes[1][1]["count"] == 1
    chosen, notes = class_assignment(subs, given=get("1"))
    assert chosen.name == "1" and notes[0][0] == "assignment.class.given"
    assert notes[1][1]["count"] == 2 and notes[1][1]["names"] == "2"
    chosen, notes = class_assignment([sub("z")])
    assert chosen.name == "1" and notes == [("assignment.class.default", {"name": "1"})]


def test_a_broken_course_file_spoils_only_what_reads_it(course):
    (course / "3.toml").write_text('title.es = "x"\ntitle.en = "x"\nexercises = ["nope"]\n')
    assignments.cache_clear()
    assert get("1").name == "1" and get("2").exercises == ("backprop", "sgd")
    with pytest.raises(GraderError) as info:
        infer(["sgd.py"])
    assert info.value.key == "error.bad_assignment" and "nope" in info.value.message("en")
