"""Is every exercise unit complete? ``python -m grader.devtools.units [EXERCISE...]``.

A unit (tests/checks/<exercise>/) is complete when:
- every contract function (``functions`` of exercise.toml) is covered by at least one
  check with points. A check covers the functions it declares in its rubric line
  (``functions = [...]``) and, without that, the contract functions its test
  function names: ``student.sgd.train(...)``, ``student.call("sgd", "train")``, a
  string or an attribute ``train`` in its body, its decorators, or in the module-level
  helpers and constants it uses (followed transitively);
- every named mistake (mistakes.py MUTANTS, mistake_sources.py WRONG, and every
  ``mistake="..."`` in the unit's files) has a ``mistake.<name>`` text in es and en;
- every rubric line has a check function, and every check function a rubric line;
- the exercise belongs to at least one assignment (grader/assignments/*.toml);
- its contract functions are defined in solutions/<exercise>.py (when present), and
  a golden_spec.py comes with its golden.json.
tests/unit/checks/test_units.py runs ``problems`` on every unit.
"""

from __future__ import annotations

import ast
import re
import sys

from grader import config
from grader.exercises import (EXERCISES, GOLDEN_FILE, GOLDEN_SPEC, SUITES, Exercise, unit_dir)
from grader.rubric import check_functions, covered  # noqa: F401 - part of this tool's API

_MISTAKE_USE = re.compile(r"""mistake\s*=\s*["']([a-z0-9_]+)["']""")


def _unit_sources(exercise: Exercise) -> str:
    folder = unit_dir(exercise.name)
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py")))


def mistake_names(exercise: Exercise) -> set[str]:
    from grader.mutants import mutants, sources_of

    names = set(mutants(exercise.name))
    try:
        names |= set(sources_of(exercise.name).WRONG)
    except ModuleNotFoundError:
        pass
    return names | set(_MISTAKE_USE.findall(_unit_sources(exercise)))


def problems(name: str) -> list[str]:
    """What is missing from the unit ``name`` (empty: complete)."""
    from grader.assignments import of_exercise
    from grader.checks.engine import check_ids_in_files
    from grader.i18n import catalog
    from grader.rubric import RubricError, unit_items

    ex = EXERCISES[name]
    out = []
    try:
        lines = {i.id for i in unit_items(name)}
    except RubricError as exc:
        return [f"{name}: {exc}"]
    in_files = check_ids_in_files(SUITES, [name])
    out += [f"{name}: rubric line without a check function: {i}" for i in sorted(lines - in_files)]
    out += [f"{name}: check function without points (no rubric line): {i}"
            for i in sorted(in_files - lines)]
    by_check = covered(ex)
    done = set().union(*by_check.values()) if by_check else set()
    out += [f"{name}: contract function without checks: {f}"
            for f in ex.functions if f not in done]
    texts = catalog()
    for mistake in sorted(mistake_names(ex)):
        entry = texts.get(f"mistake.{mistake}", {})
        missing = [lang for lang in config.LANGUAGES if not entry.get(lang, "").strip()]
        if missing:
            out.append(f"{name}: mistake {mistake} has no text in {missing}")
    if not of_exercise(name):
        out.append(f"{name}: the exercise is in no assignment (grader/assignments/*.toml)")
    solution = config.SOLUTIONS_DIR / ex.filename
    if solution.is_file():
        defined = {n.name for n in ast.parse(solution.read_text(encoding="utf-8")).body
                   if isinstance(n, ast.FunctionDef)}
        out += [f"{name}: {f} is not defined in {solution.name}"
                for f in ex.functions + ex.given if f not in defined]
    folder = unit_dir(name)
    if (folder / f"{GOLDEN_SPEC}.py").is_file() and not (folder / GOLDEN_FILE).is_file():
        out.append(f"{name}: {GOLDEN_SPEC}.py without {GOLDEN_FILE} "
                   "(run python -m grader.devtools.golden)")
    return out


def main(argv=None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(EXERCISES)
    found = [p for n in names for p in problems(n)]
    print("\n".join(found) if found else f"complete: {', '.join(names)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
