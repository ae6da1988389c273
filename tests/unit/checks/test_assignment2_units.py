"""Assignment 2's exercise units are complete and consistent (tests/checks/<exercise>/).

Every rubric line names a check that exists and every check has points; each exercise
is worth 20 and the assignment 100; every contract function is called by some check;
every named mistake has a student-style source and es/en text; every feedback key the
checks use has es/en text; golden.json is what golden_spec.py records from the
reference today.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest

from grader import config

CHECKS = config.CHECKS_DIR
ASSIGNMENT = tomllib.loads((Path(config.__file__).parent / "assignments" / "2.toml")
                           .read_text(encoding="utf-8"))
EXERCISES = ASSIGNMENT["exercises"]
SUITES = ("public", "hidden", "keras")
KEY_USE = re.compile(r"""["'](feedback\.[a-z0-9_]+)["']""")


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _flat(table, prefix=""):
    out = {}
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            if any(isinstance(value.get(lang), str) for lang in config.LANGUAGES):
                out[name] = value
            out.update(_flat({k: v for k, v in value.items() if isinstance(v, dict)}, name))
    return out


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_functions(exercise: str) -> dict[str, ast.FunctionDef]:
    found = {}
    for suite in SUITES:
        path = CHECKS / exercise / f"{suite}.py"
        if path.is_file():
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    found[f"{suite}::{node.name}"] = node
    return found


def test_assignment_2_is_the_five_new_exercises_worth_100_points():
    assert EXERCISES == ["more_activations", "losses", "optimizers", "early_stopping", "data"]
    assert ASSIGNMENT["title"]["es"] and ASSIGNMENT["title"]["en"]
    total = sum(c["points"] for ex in EXERCISES
                for c in _toml(CHECKS / ex / "exercise.toml")["check"])
    assert total == 100


@pytest.mark.parametrize("exercise", EXERCISES)
def test_rubric_lines_and_checks_agree_and_the_exercise_is_worth_20(exercise):
    unit = _toml(CHECKS / exercise / "exercise.toml")
    lines = {c["id"]: c for c in unit["check"]}
    assert set(lines) == set(_check_functions(exercise))
    assert all(c["points"] > 0 and c["es"] and c["en"] for c in lines.values())
    assert sum(c["points"] for c in lines.values()) == 20
    assert unit["title"]["es"] and unit["title"]["en"]


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_contract_function_is_called_by_a_public_and_a_hidden_check(exercise):
    unit = _toml(CHECKS / exercise / "exercise.toml")
    for suite in ("public", "hidden"):
        source = (CHECKS / exercise / f"{suite}.py").read_text(encoding="utf-8")
        for func in unit["functions"]:
            assert re.search(rf"\b{func}\b", source), f"{suite}.py never calls {func}"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_named_mistake_has_a_student_style_source_and_es_en_text(exercise):
    from grader.mutants import mistakes_of, sources_of

    mistakes, sources = mistakes_of(exercise), sources_of(exercise)
    texts = _flat(_toml(CHECKS / exercise / "texts.toml"))
    shared = {}
    for path in sorted((Path(config.__file__).parent / "i18n").glob("*.toml")):
        shared.update(_flat(_toml(path)))
    assert set(mistakes.MUTANTS) <= set(sources.WRONG)
    assert sources.RIGHT, "no correct variant written differently"
    for name, mutant in mistakes.MUTANTS.items():
        assert mutant.exercise == exercise and mutant.name == name
    named_in_checks = set()
    for suite in SUITES:
        path = CHECKS / exercise / f"{suite}.py"
        if path.is_file():
            named_in_checks |= set(re.findall(r"""mistake(?:_if_warns)?=["']([a-z0-9_]+)["']""",
                                              path.read_text(encoding="utf-8")))
    for name in set(sources.WRONG) | named_in_checks:
        entry = texts.get(f"mistake.{name}") or shared.get(f"mistake.{name}")
        assert entry and all(entry.get(lang) for lang in config.LANGUAGES), name


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_feedback_key_of_the_checks_has_es_en_text(exercise):
    texts = _flat(_toml(CHECKS / exercise / "texts.toml"))
    shared = {}
    for path in sorted((Path(config.__file__).parent / "i18n").glob("*.toml")):
        shared.update(_flat(_toml(path)))
    for suite in SUITES:
        path = CHECKS / exercise / f"{suite}.py"
        if not path.is_file():
            continue
        for key in KEY_USE.findall(path.read_text(encoding="utf-8")):
            entry = texts.get(key) or shared.get(key)
            assert entry and all(entry.get(lang) for lang in config.LANGUAGES), (suite, key)
    for key in texts:
        assert key.startswith(("feedback.", "mistake.")), key


@pytest.mark.parametrize("exercise", EXERCISES)
def test_golden_values_are_what_the_reference_records_today(exercise):
    from grader.devtools.golden import to_json
    from grader.reference import load_modules

    ref = load_modules(config.SOLUTIONS_DIR, ("activations", "dropout", "perceptron",
                                              "backprop", "sgd", *EXERCISES))
    spec = _load(CHECKS / exercise / "golden_spec.py", f"_a2_{exercise}_golden_spec")
    recorded = json.loads((CHECKS / exercise / "golden.json").read_text(encoding="utf-8"))
    fresh = json.loads(json.dumps(to_json(spec.record(ref)), sort_keys=True))
    assert fresh == recorded, "golden.json is stale: record it again from golden_spec.py"


def test_a_wrong_early_stopping_decision_names_the_pair_once():
    from grader.checks.errors import CheckFailed
    from grader.exercises import load_unit_module

    public = load_unit_module("early_stopping", "public")
    expected = ([], [1.0, 0.5], [1.0, 0.9], 1, 0)
    got = ([], [1.0, 0.5], [1.0, 0.9], 2, 0)
    with pytest.raises(CheckFailed) as info:
        public.check_run(got, expected, call="train_with_early_stopping(...)")
    for lang in ("en", "es"):
        text = info.value.feedback.render(lang)
        assert text.count("(stopped_epoch, best_epoch)") == 1, text
