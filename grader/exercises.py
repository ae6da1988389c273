"""The exercise registry, built from the exercise units: ``tests/checks/<exercise>/``.

The engine knows no exercise by name. Every folder of ``config.CHECKS_DIR`` that
holds an ``exercise.toml`` is one exercise (the folder's name is the exercise's
name and its module's name, ``<name>.py``)::

    title.es = "Funciones de activación"      # shown in notebooks, reports
    title.en = "Activation functions"
    functions = ["sigmoid", ...]      # the contract functions the student writes
    given = []                        # scaffold the stub provides (not graded by itself)
    depends_on = []                   # exercise modules it imports (``from activations import``)
    uses = []                         # what it calls of them, e.g. ["activations.sigmoid"]
                                      # (absent: every function of each dependency)
    random = []                       # functions drawing random numbers: never substituted
                                      # by the reference (a callback cannot advance the
                                      # student's generator)
    long_running = []                 # functions that train (a loop over epochs or over a
                                      # sequence): their calls get the whole time per call,
                                      # the others config.QUICK_CALL_TIMEOUT_S
    [[check]]                         # the rubric lines (see grader.rubric)
    id = "public::test_sigmoid_matches_course_values"
    points = 2
    es = "..."
    en = "..."

The order of ``ORDER`` is the order of the assignments (grader/assignments/*.toml,
by name, each listing its exercises); a unit in no assignment comes last, by name.
The other files of a unit are found with ``unit_file``/``load_unit_module``.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from grader import config

UNIT_FILE = "exercise.toml"
# Worker profiles an exercise may ask for with ``sandbox = "..."`` (SandboxLimits.profile).
SANDBOX_PROFILES = ("default", "keras")
# The check suites of a unit, in the order they run: ``<unit>/<suite>.py``.
SUITES = ("public", "hidden", "keras")
# The optional files of a unit (the suites above, and these).
GOLDEN_FILE = "golden.json"
GOLDEN_SPEC = "golden_spec"       # golden_spec.py: record(ref) -> golden.json
MISTAKES = "mistakes"             # mistakes.py: MUTANTS (named wrong variants)
MISTAKE_SOURCES = "mistake_sources"  # mistake_sources.py: WRONG / RIGHT student-style sources
TEXTS_FILE = "texts.toml"         # the exercise's messages ([feedback.*], [mistake.*]), es and en
NOTEBOOK_TEXT = "notebook.{lang}.md"   # the notebook's explanations and formulas, per language
ASSIGNMENTS_DIR = config.PACKAGE_DIR / "assignments"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ExerciseError(ValueError):
    """An exercise unit is malformed (its exercise.toml)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise = one module students fill in (``<name>.py``) = one unit folder."""

    name: str
    functions: tuple[str, ...]          # what the student implements
    given: tuple[str, ...] = ()         # scaffold provided in the stub
    depends_on: tuple[str, ...] = ()    # other exercise modules it imports
    # What it calls of them ("module.function"), the stub's ``from backprop import ...``;
    # None: every function of every dependency.
    uses: tuple[str, ...] | None = None
    random: tuple[str, ...] = ()        # functions that draw random numbers
    long_running: tuple[str, ...] = ()  # functions that train: their calls get the whole
                                        # call limit, the others config.QUICK_CALL_TIMEOUT_S
    title: dict = field(default_factory=dict, compare=False)   # {"es": ..., "en": ...}
    checks: tuple = field(default=(), compare=False)           # raw [[check]] tables
    folder: Path | None = field(default=None, compare=False)   # tests/checks/<name>
    sandbox: str = "default"            # the worker profile: "default" or "keras"

    @property
    def filename(self) -> str:
        return f"{self.name}.py"

    @property
    def contract(self) -> tuple[str, ...]:
        """Every function of the module's contract: those graded and those given."""
        return self.functions + self.given


def unit_dir(name: str, checks_dir: Path | None = None) -> Path:
    return Path(checks_dir or config.CHECKS_DIR) / name


def _strings(raw, key, where) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExerciseError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def read_unit(folder: Path) -> Exercise:
    """The Exercise of one unit folder (validated)."""
    path = folder / UNIT_FILE
    where = str(path)
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ExerciseError(f"{where}: {exc}") from None
    name = folder.name
    if not _NAME.match(name):
        raise ExerciseError(f"{where}: the folder name {name!r} is not a module name")
    functions = _strings(raw, "functions", where)
    if not functions:
        raise ExerciseError(f"{where}: functions is empty")
    given = _strings(raw, "given", where)
    random = _strings(raw, "random", where)
    long_running = _strings(raw, "long_running", where)
    for key, names in (("random", random), ("long_running", long_running)):
        unknown = set(names) - set(functions) - set(given)
        if unknown:
            raise ExerciseError(f"{where}: {key} names unknown functions {sorted(unknown)}")
    title = raw.get("title", {})
    if not isinstance(title, dict) or set(title) != set(config.LANGUAGES):
        raise ExerciseError(f"{where}: title needs exactly {config.LANGUAGES}")
    checks = raw.get("check", [])
    if not isinstance(checks, list):
        raise ExerciseError(f"{where}: [[check]] must be an array of tables")
    sandbox = raw.get("sandbox", "default")
    if sandbox not in SANDBOX_PROFILES:
        raise ExerciseError(f"{where}: sandbox must be one of {SANDBOX_PROFILES}, not {sandbox!r}")
    depends_on = _strings(raw, "depends_on", where)
    uses = _strings(raw, "uses", where) if "uses" in raw else None
    if uses is not None and any(u.partition(".")[0] not in depends_on or not u.partition(".")[2]
                                for u in uses):
        raise ExerciseError(f"{where}: uses must name functions of depends_on "
                            f"(\"module.function\")")
    return Exercise(name=name, functions=functions, given=given, depends_on=depends_on,
                    uses=uses, random=random, long_running=long_running,
                    title=dict(title), checks=tuple(checks), folder=folder, sandbox=sandbox)


def _assignment_order(directory: Path = ASSIGNMENTS_DIR) -> list[str]:
    """Exercise names in the order the assignment files list them (first listing wins)."""
    order: list[str] = []
    for path in sorted(directory.glob("*.toml"), key=lambda p: (len(p.stem), p.stem)):
        try:
            with path.open("rb") as fh:
                names = tomllib.load(fh).get("exercises", [])
        except (OSError, tomllib.TOMLDecodeError):
            continue  # reported by grader.assignments
        order += [n for n in names if isinstance(n, str) and n not in order]
    return order


def discover(checks_dir: Path | None = None) -> dict[str, Exercise]:
    """Every unit of ``checks_dir`` (default config.CHECKS_DIR), in assignment order."""
    root = Path(checks_dir or config.CHECKS_DIR)
    found = {p.parent.name: read_unit(p.parent) for p in sorted(root.glob(f"*/{UNIT_FILE}"))}
    for ex in found.values():
        missing = [d for d in ex.depends_on if d not in found]
        if missing:
            raise ExerciseError(f"{ex.name}: depends_on names unknown exercises {missing}")
        for use in ex.uses or ():
            module, _, func = use.partition(".")
            if func not in found[module].contract:
                raise ExerciseError(f"{ex.name}: uses names {use}, not a function of {module}")
    order = [n for n in _assignment_order() if n in found]
    order += sorted(n for n in found if n not in order)
    return {n: found[n] for n in order}


EXERCISES: dict[str, Exercise] = discover()
ORDER = tuple(EXERCISES)


def closure(name: str) -> tuple[str, ...]:
    """The exercise and every exercise it depends on, dependencies first."""
    seen: list[str] = []

    def visit(n):
        for dep in EXERCISES[n].depends_on:
            visit(dep)
        if n not in seen:
            seen.append(n)

    visit(name)
    return tuple(seen)


@functools.lru_cache(maxsize=256)
def used_functions(name: str, dependency: str) -> frozenset[str]:
    """The functions of ``dependency`` that exercise ``name`` calls: those its ``uses``
    names, and those of ``dependency`` used by the other dependencies it calls (sgd calls
    backprop's forward, which calls activations' sigmoid). Without ``uses``, every
    function of every dependency. Empty when ``dependency`` is not one of them."""
    ex = EXERCISES[name]
    if dependency == name or dependency not in closure(name):
        return frozenset()
    if ex.uses is None:
        direct = {d: set(EXERCISES[d].contract) for d in ex.depends_on}
    else:
        direct = {}
        for use in ex.uses:
            module, _, func = use.partition(".")
            direct.setdefault(module, set()).add(func)
    used = set(direct.get(dependency, ()))
    for other in direct:
        if other != dependency:
            used |= used_functions(other, dependency)
    return frozenset(used)


def resolve(names) -> tuple[str, ...]:
    """Validate exercise names given by a user; all exercises when empty."""
    if not names:
        return ORDER
    unknown = [n for n in names if n not in EXERCISES]
    if unknown:
        raise KeyError(", ".join(unknown))
    return tuple(n for n in ORDER if n in names)


def exercise_of_path(path) -> str | None:
    """The exercise whose unit holds ``path`` (a check file), or None."""
    return _exercise_of_path(str(path))


@functools.lru_cache(maxsize=256)
def _exercise_of_path(path: str) -> str | None:
    folder = Path(path).resolve().parent
    return folder.name if folder.name in EXERCISES else None


def unit_file(exercise: str, name: str) -> Path:
    """``tests/checks/<exercise>/<name>`` (which may not exist)."""
    return unit_dir(exercise) / name


def notebook_text_path(exercise: str, lang: str) -> Path:
    """The notebook text of an exercise in ``lang``: ``<unit>/notebook.<lang>.md``, else
    (an exercise written before units had them) ``grader/i18n/notebooks/<lang>/<exercise>.md``."""
    path = unit_file(exercise, NOTEBOOK_TEXT.format(lang=lang))
    if path.is_file():
        return path
    return config.PACKAGE_DIR / "i18n" / "notebooks" / lang / f"{exercise}.md"


def load_unit_module(exercise: str, part: str):
    """Import ``tests/checks/<exercise>/<part>.py`` (e.g. mistakes, golden_spec) once.

    The module is registered as ``grader_units.<exercise>.<part>`` so that it is
    imported once per process and never clashes with the exercise module (``sgd``).
    Raises ModuleNotFoundError when the unit has no such file.
    """
    name = f"grader_units.{exercise}.{part}"
    if name in sys.modules:
        return sys.modules[name]
    path = unit_file(exercise, f"{part}.py")
    if not path.is_file():
        raise ModuleNotFoundError(f"no {part}.py in the unit {exercise}", name=name)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module
