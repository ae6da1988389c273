"""Run the check files without a pytest session, with pytest's meaning.

The check suites are plain pytest files (``tests/checks/<exercise>/<suite>.py``)
whose checks take only the four fixtures of grader/checks/fixtures.py
(``student``, ``reference``, ``seed``/``rng``, ``golden``) and use no
parametrization, skip marks or classes. For such files a pytest session adds
only its own cost: configuration, plugins, collection nodes and hooks, about
0.1 s per student on a course-sized assignment, the largest single share of
a correct student's grading after the calls themselves. ``run_direct`` imports
the same files, calls each ``test_*`` function in file order with the same
fixture values, and reports each outcome through the engine's collector, so
that statuses and feedback are those a pytest run gives (the equivalence is
tested in tests/unit/checks/test_direct.py). Any check outside that subset
makes ``run_direct`` return None, and the engine runs pytest instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import io
import sys
import time
from pathlib import Path
from types import SimpleNamespace

FIXTURES = frozenset({"student", "reference", "seed", "rng", "golden"})
MARKS = frozenset({"keras"})          # marks that change nothing when a check runs


def _module(path: Path):
    """The check module of ``path``, named as pytest's importlib mode names it."""
    name = f"{path.parent.parent.name}.{path.parent.name}.{path.stem}"
    module = sys.modules.get(name)
    if module is not None and Path(getattr(module, "__file__", "") or "").resolve() == path:
        return module
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _marks(obj) -> set:
    marks = getattr(obj, "pytestmark", [])
    return {m.name for m in (marks if isinstance(marks, list) else [marks])}


def collect(paths) -> list | None:
    """``[(path, test name, function, fixture names)]`` in pytest's order, or None when a
    check needs more than this runner gives (then pytest runs them all)."""
    checks = []
    for raw in paths:
        path = Path(raw).resolve()
        module = _module(path)
        if _marks(module) - MARKS:
            return None
        for name, obj in list(vars(module).items()):
            if name.startswith("Test") and inspect.isclass(obj):
                return None                     # pytest would collect its methods
            if not name.startswith("test") or not inspect.isfunction(obj):
                continue
            params = list(inspect.signature(obj).parameters.values())
            if (set(p.name for p in params) - FIXTURES or _marks(obj) - MARKS
                    or any(p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                           for p in params)):
                return None
            checks.append((path, name, obj, [p.name for p in params]))
    return checks


class _Fixtures:
    """The fixture values of grader/checks/fixtures.py, for one run of the checks."""

    def __init__(self, session):
        self.session = session
        self._reference = None

    def value(self, name: str, path: Path, test: str):
        from grader.checks import fixtures

        if name == "student":
            return fixtures.student_for(self.session, path)
        if name == "seed":
            return self.session.seed
        if name == "rng":
            return fixtures.rng_for(self.session.seed, test)
        if name == "golden":
            return fixtures.load_golden(path.parent.name)
        if name == "reference":                 # session-scoped, as in pytest
            if self._reference is None:
                self._reference = fixtures.reference_for(self.session)
            return self._reference
        raise LookupError(name)


def _report(collector, item, when: str, exc: BaseException | None, seconds: float):
    excinfo = None if exc is None else SimpleNamespace(value=exc, typename=type(exc).__name__)
    collector.pytest_runtest_makereport(item, SimpleNamespace(when=when, excinfo=excinfo,
                                                              duration=seconds))


def run_direct(session, collector, checks, exercises, *, order=None) -> str:
    """Run ``checks`` (from ``collect``) for ``session``, outcomes into ``collector``.

    ``order``: exercise -> rank (dependencies first), as in the engine. Returns what
    the checks printed.
    """
    from grader.exercises import exercise_of_path

    if order:
        checks = sorted(checks, key=lambda c: order.get(exercise_of_path(c[0]), (0, 0)))
    fixtures = _Fixtures(session)
    sink = io.StringIO()
    with session, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        session.prestart(exercises)
        for path, name, function, params in checks:
            item = SimpleNamespace(path=path, name=name)
            collector.pytest_runtest_setup(item)
            started = time.perf_counter()
            try:
                kwargs = {p: fixtures.value(p, path, name) for p in params}
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001 - a skip or an error of setup
                _report(collector, item, "setup", exc, time.perf_counter() - started)
                continue
            _report(collector, item, "setup", None, 0.0)
            started = time.perf_counter()
            try:
                function(**kwargs)
            except (KeyboardInterrupt, SystemExit):
                raise
            except BaseException as exc:  # noqa: BLE001 - every outcome is the collector's
                _report(collector, item, "call", exc, time.perf_counter() - started)
            else:
                _report(collector, item, "call", None, time.perf_counter() - started)
    return sink.getvalue()


__all__ = ["FIXTURES", "collect", "run_direct"]
