"""Every exercise unit (tests/checks/<exercise>/) is complete; an incomplete one is caught.

See grader.devtools.units for what "complete" means: every contract function has a
check with points, every named mistake has an es/en text, rubric lines and check
functions match one to one, and the exercise belongs to an assignment.
"""

import shutil
import sys

import pytest

from grader import config
from grader.assignments import assignments
from grader.devtools import units
from grader.exercises import EXERCISES, SUITES, read_unit


@pytest.mark.parametrize("exercise", list(EXERCISES))
def test_the_unit_is_complete(exercise):
    assert units.problems(exercise) == []


def test_every_unit_is_in_an_assignment_and_every_assignment_totals_100():
    listed = {ex for a in assignments().values() for ex in a.exercises}
    assert set(EXERCISES) <= listed
    for a in assignments().values():
        assert a.total == 100, a.name


def test_a_unit_holds_its_files_and_nothing_of_the_old_layout():
    for ex in EXERCISES.values():
        assert ex.folder == config.CHECKS_DIR / ex.name
        assert (ex.folder / "public.py").is_file() and (ex.folder / "texts.toml").is_file()
    for old in ("public", "hidden", "baseline"):
        assert not list((config.CHECKS_DIR / old).glob("*.py")), old


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """A copy of the activations unit in a scratch checks folder, seen by the registry."""
    from grader import exercises, i18n, rubric

    checks = tmp_path / "checks"
    shutil.copytree(config.CHECKS_DIR / "activations", checks / "activations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "CHECKS_DIR", checks)
    for part in ("mistakes", "mistake_sources"):
        monkeypatch.delitem(sys.modules, f"grader_units.activations.{part}", raising=False)

    def reload(name="activations"):
        rubric.unit_items.cache_clear()
        i18n.catalog.cache_clear()
        monkeypatch.setitem(exercises.EXERCISES, name, read_unit(checks / name))
        return checks / name

    yield reload
    rubric.unit_items.cache_clear()
    i18n.catalog.cache_clear()


def _problems(name="activations"):
    return "\n".join(units.problems(name))


def test_the_scratch_copy_is_complete(scratch):
    scratch()
    assert _problems() == ""


def test_a_contract_function_without_checks_is_caught(scratch):
    unit = scratch()
    toml = unit / "exercise.toml"
    toml.write_text(toml.read_text().replace('"relu_derivative"]', '"relu_derivative", "gelu"]',
                                             1))
    scratch()
    assert "contract function without checks: gelu" in _problems()


def test_a_check_without_points_and_a_line_without_a_check_are_caught(scratch):
    unit = scratch()
    toml = unit / "exercise.toml"
    text = toml.read_text().replace('id = "public::test_relu_matches_definition"',
                                    'id = "public::test_relu_is_gone"')
    toml.write_text(text)
    scratch()
    found = _problems()
    assert "check function without points (no rubric line): " \
           "activations/public.py::test_relu_matches_definition" in found
    assert "rubric line without a check function: activations/public.py::test_relu_is_gone" \
        in found


def test_a_declared_functions_field_replaces_the_inferred_coverage(scratch):
    unit = scratch()
    toml = unit / "exercise.toml"
    # Every relu check declares that it covers sigmoid only: relu is left uncovered.
    text = toml.read_text()
    for name in ("test_relu_matches_definition", "test_activations_accept_lists_and_do_not_"
                 "modify_arguments", "test_tanh_and_relu_derivatives_on_seeded_inputs",
                 "test_activations_match_keras_and_its_autodiff", "test_contract_relu"):
        for suite in SUITES:
            text = text.replace(f'id = "{suite}::{name}"',
                                f'id = "{suite}::{name}"\nfunctions = ["sigmoid"]')
    toml.write_text(text)
    scratch()
    assert "contract function without checks: relu\n" in _problems() + "\n"


def test_a_mistake_without_text_is_caught(scratch):
    unit = scratch()
    texts = unit / "texts.toml"
    texts.write_text(texts.read_text().replace("[mistake.relu_derivative_one_at_zero]",
                                               "[mistake.renamed_away]"))
    scratch()
    assert "mistake relu_derivative_one_at_zero has no text" in _problems()


def test_a_unit_in_no_assignment_is_caught(scratch, monkeypatch):
    unit = scratch()
    shutil.copytree(unit, unit.parent / "extra")
    scratch("extra")
    assert "the exercise is in no assignment" in _problems("extra")


def _imported_from_exercises(path) -> set[str]:
    """``module.name`` of every ``from <exercise> import name`` of a module file."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in EXERCISES:
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("exercise", [n for n, ex in EXERCISES.items() if ex.depends_on])
def test_uses_names_what_the_stub_and_the_solution_import(exercise):
    """``uses`` decides which of a dependency's mistakes replace it whole (speed only: a
    failed function is the reference's anyway); it is what the module imports."""
    ex = EXERCISES[exercise]
    assert ex.uses is not None, f"{exercise}: exercise.toml has no uses"
    for folder in (config.EXERCISES_DIR, config.SOLUTIONS_DIR):
        assert _imported_from_exercises(folder / ex.filename) == set(ex.uses), folder


def test_used_functions_follow_the_dependencies_called():
    from grader.exercises import used_functions

    assert used_functions("backprop", "activations") == {"sigmoid", "sigmoid_derivative"}
    assert used_functions("sgd", "activations") == {"sigmoid", "sigmoid_derivative"}
    assert used_functions("sgd", "dropout") == {"dropout_mask"}
    assert used_functions("early_stopping", "sgd") == {"train"}
    assert used_functions("early_stopping", "dropout") == {"dropout_mask"}
    assert used_functions("activations", "backprop") == frozenset()


def test_uses_must_name_functions_of_the_dependencies(tmp_path):
    from grader.exercises import ExerciseError, discover

    for name in ("activations", "backprop"):
        shutil.copytree(config.CHECKS_DIR / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    toml = tmp_path / "backprop" / "exercise.toml"
    text = toml.read_text()
    assert discover(tmp_path)["backprop"].uses == ("activations.sigmoid",
                                                    "activations.sigmoid_derivative")
    toml.write_text(text.replace('"activations.sigmoid_derivative"', '"dropout.dropout_mask"'))
    with pytest.raises(ExerciseError, match="uses must name functions of depends_on"):
        read_unit(tmp_path / "backprop")
    toml.write_text(text.replace('"activations.sigmoid_derivative"', '"activations.gelu"'))
    with pytest.raises(ExerciseError, match="activations.gelu, not a function of activations"):
        discover(tmp_path)
