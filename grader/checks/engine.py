"""Run the pytest check suites in THIS (the judge's) process, collect CheckResults.

Student functions are reached only through the sandbox (see session.py); the
values they return are compared here. pytest is imported only when checks run.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import re
import sys
from pathlib import Path


from grader import config
from grader.checks import direct
from grader.checks.errors import CheckFailed, StudentProblem
from grader.checks.feedback import Feedback, violation_in_words
from grader.checks.results import (CRASHED, DID_NOT_RUN, ERROR, FAILED, FORBIDDEN,
                                   NOT_ATTEMPTED, NOT_RUN, PASSED, TIMEOUT, CheckResult,
                                   Results)
from grader.checks.session import (FAILED_ONLY, CheckSession, is_hidden_suite,
                                   worker_slot)
from grader.exercises import EXERCISES, SUITES, closure, exercise_of_path, unit_dir
from grader.i18n import catalog
from grader.rubric import (check_id as make_check_id, covered_functions, load_rubric, parse_id,
                           rubric_for)

INI_FILE = "pytest-checks.ini"
# A judge (grader/grading/judge.py) keeps the imported check modules from one student to
# the next: pytest then finds them in sys.modules instead of importing and rewriting them
# again. Off elsewhere: a notebook kernel must not keep a ``checks`` package around.
KEEP_CHECK_MODULES = False
# pytest plugins the checks never use: turned off, a session starts in half the time
# (the unraisable-exception plugin alone runs gc.collect() twice per session).
_UNUSED_PLUGINS = [arg for name in (
    "unraisableexception", "threadexception", "faulthandler", "doctest", "junitxml",
    "pastebin", "legacypath", "logging", "stepwise", "tmpdir", "monkeypatch", "recwarn",
    "setuponly", "setupplan", "debugging", "nose") for arg in ("-p", f"no:{name}")]


def problem_feedback(problem: StudentProblem) -> tuple[str, Feedback]:
    """Status and feedback for a call into student code that did not return normally."""
    o, call = problem.outcome, f"{problem.module}.{problem.func}"
    info = o.info
    if o.status == "not_implemented":
        where = info.get("where", problem.func)
        if where != problem.func:
            return NOT_ATTEMPTED, Feedback("feedback.not_implemented_inside", {
                "call": call, "where": where, "file": info.get("where_file", "?")})
        return NOT_ATTEMPTED, Feedback("feedback.not_implemented", {"call": call})
    if o.status == "import_error":
        if info.get("kind") == "syntax":
            return ERROR, Feedback("feedback.syntax_error", {
                "file": f"{info.get('module')}.py", "line": info.get("lineno"),
                "text": info.get("text", ""), "message": info.get("message", "")})
        if info.get("kind") == "forbidden_import":
            return FORBIDDEN, Feedback("feedback.forbidden_import", {
                "file": f"{info.get('module')}.py", "message": info.get("message", "")})
        return ERROR, Feedback("feedback.import_failed", {
            "file": f"{info.get('module')}.py", "message": info.get("message", "")},
            details=info.get("traceback"))
    if o.status == "missing":
        return ERROR, Feedback("feedback.missing_function", {
            "func": info.get("func", problem.func), "file": f"{info.get('module')}.py"})
    if o.status == "error":
        return ERROR, Feedback("feedback.exception", {
            "call": call, "type": info.get("type", "Exception"),
            "message": info.get("message", "")}, details=info.get("traceback"))
    if o.status == "timeout":
        key = ("feedback.timeout_loading" if info.get("loading")     # its module's top level
               else "feedback.timeout_idle" if info.get("idle") else "feedback.timeout")
        params = {"call": call, "seconds": info.get("seconds")}
        if info.get("repeated"):          # not run: it did not finish in two earlier calls
            key += "_repeated"
        elif key == "feedback.timeout" and info.get("memory_grew_mb"):   # kept allocating
            key = "feedback.timeout_memory"
            params.update(mb=info["memory_grew_mb"], limit=info.get("memory_mb"))
        return TIMEOUT, Feedback(key, params)
    if o.status == "crashed":
        if info.get("sandbox"):         # the system refused an isolation step: not the code's
            return ERROR, Feedback("feedback.sandbox_failed", {
                "call": call, "message": str(info["sandbox"])[:300]})
        if info.get("memory_mb"):       # its memory cgroup's limit (a GPU worker)
            return CRASHED, Feedback("feedback.crashed_memory", {
                "call": call, "mb": info["memory_mb"]})
        how = info.get("signal") or f"exit code {info.get('returncode')}"
        return CRASHED, Feedback("feedback.crashed", {"call": call, "how": how})
    if o.status == "exit":
        return ERROR, Feedback("feedback.exited", {"call": call, "message": info.get("message", "")})
    if o.status == "violation":
        message = str(info.get("message", ""))
        event = re.search(r"\(([\w.]{1,60})\)\s*$", message)     # e.g. subprocess.Popen
        return FORBIDDEN, violation_feedback(call, message, event.group(1) if event else None)
    if o.status == "bad_return":
        return FAILED, Feedback("feedback.bad_return", {"call": call,
                                                        "message": info.get("message", "")})
    return CRASHED, Feedback("feedback.protocol", {"call": call, "message": str(info)[:300]})


def violation_feedback(call: str, message: str, details: str | None) -> Feedback:
    """A sandbox violation in words in the reader's language (the worker's English text or
    the kinds it recorded pick the words; records.py says stored ones the same way)."""
    key, params = violation_in_words({"call": call, "message": message})
    return Feedback(key, params, details=details)


def skip_feedback(reason: str) -> Feedback:
    """Feedback of a skipped check: ``pytest.skip("feedback.some_key")`` names a catalog
    message (shown in the student's language); any other reason is shown as it is."""
    if reason in catalog():
        return Feedback(reason)
    return Feedback("feedback.skipped", {"reason": reason})


class _Collector:
    """pytest plugin object: records each check's outcome as it happens."""

    def __init__(self, session: CheckSession, order=None):
        self.session = session
        self.outcomes: dict[str, dict] = {}
        self.order = order            # exercise -> rank: checks of lower ranks run first

    def pytest_collection_modifyitems(self, session, config, items):
        if self.order:
            items.sort(key=lambda item: self.order.get(exercise_of_path(item.path), (0, 0)))

    def _record(self, check_id, status, feedback=None, output="", seconds=0.0):
        prev = self.outcomes.get(check_id)
        rank = [PASSED, NOT_RUN, NOT_ATTEMPTED, FAILED, ERROR, TIMEOUT, CRASHED, FORBIDDEN]
        if prev is None or rank.index(status) > rank.index(prev["status"]):
            self.outcomes[check_id] = {"status": status, "feedback": feedback,
                                       "output": (prev or {}).get("output", "") + output,
                                       "seconds": seconds + (prev or {}).get("seconds", 0.0)}
        else:
            prev["output"] += output
            prev["seconds"] += seconds

    @staticmethod
    def check_id(item) -> str:
        """``<exercise>/<suite>.py::<test function>`` (parameters dropped) of a pytest item."""
        return _check_id(str(item.path), item.name.split("[", 1)[0])

    def _proxy_for(self, item):
        return self.session.proxies.get(worker_slot(exercise_of_path(item.path),
                                                    is_hidden_suite(item.path)))

    def pytest_runtest_setup(self, item):
        proxy = self._proxy_for(item)
        if proxy is not None:
            proxy.calls.clear()

    def pytest_runtest_makereport(self, item, call):
        if call.when not in ("setup", "call"):
            return
        check_id = self.check_id(item)
        proxy = self._proxy_for(item)
        output = ""
        if proxy is not None and call.when == "call":
            output = "".join(o.output for _, _, o in proxy.calls)
            if any(v.get("kind") in ("read_reference", "forbidden_import")
                   for _, _, o in proxy.calls for v in o.violations):
                kinds = sorted({v["kind"] for _, _, o in proxy.calls for v in o.violations})
                details = "; ".join(v.get("detail", "") for _, _, o in proxy.calls
                                    for v in o.violations)
                self._record(check_id, FORBIDDEN, violation_feedback(
                    f"{exercise_of_path(item.path)}.py", ", ".join(kinds), details[:500]),
                    output)
                return
        excinfo = call.excinfo
        if excinfo is None:
            if call.when == "call":
                self._record(check_id, PASSED, output=output, seconds=call.duration)
            return
        exc = excinfo.value
        if isinstance(exc, StudentProblem):
            status, fb = problem_feedback(exc)
            self._record(check_id, status, fb, output, call.duration)
        elif isinstance(exc, CheckFailed):
            self._record(check_id, FAILED, exc.feedback, output, call.duration)
        elif excinfo.typename in ("Skipped", "XFailed"):
            self._record(check_id, NOT_RUN, skip_feedback(str(getattr(exc, "msg", exc))))
        elif isinstance(exc, AssertionError):
            self._record(check_id, FAILED, Feedback("feedback.assertion", {
                "message": str(exc).split("\n")[0][:300]}), output, call.duration)
        else:
            # A bug in a check (judge side): never blame the student for it.
            self._record(check_id, ERROR, Feedback("feedback.internal_error", {
                "message": f"{type(exc).__name__}: {exc}"[:300]}), output, call.duration)


def _check_paths(exercises, suites) -> list[str]:
    """The check files ``tests/checks/<exercise>/<suite>.py`` that exist, suite by suite,
    the hidden suite last: the worker of an exercise's visible checks is stopped before its
    hidden checks when one failed (session.CheckSession._stop_if_failing), so a visible
    suite after them (keras) would start it again, one process more per failing exercise."""
    paths = []
    for suite in sorted(suites, key=lambda s: s == "hidden"):
        for ex in exercises:
            path = unit_dir(ex) / f"{suite}.py"
            if path.is_file():
                paths.append(str(path))
    return paths


def _dependency_order(exercises) -> dict[str, tuple]:
    """Rank of each exercise: dependencies first (how many of the others it depends on),
    then the exercises' order; an exercise's checks run together (all its suites)."""
    return {ex: (sum(1 for d in closure(ex) if d != ex and d in exercises), i)
            for i, ex in enumerate(exercises)}


def run_pytest(session: CheckSession, exercises, suites, rubric=None) -> dict[str, dict]:
    """Run the check files of ``exercises`` x ``suites``; outcomes by check id.

    An exercise's checks run together, after those of the exercises it depends on;
    ``session.passed`` says which exercises have passed all their checks so far (with
    ``session.substitute == FAILED_ONLY`` an exercise's worker gets the reference for
    each dependency that has not; a worker shared by several exercises starts afresh
    after serving one that has not).
    """
    collector = _Collector(session, _dependency_order(exercises))
    if rubric is not None:
        items = {}
        for item in rubric.for_exercises(exercises, suites):
            items.setdefault(item.exercise, []).append(item.id)

        def not_passed(ids) -> list:
            return [i for i in ids
                    if collector.outcomes.get(i, {}).get("status") not in (PASSED, *DID_NOT_RUN)]

        def passed() -> set:
            return {ex for ex, ids in items.items() if not not_passed(ids)}

        def failed_functions() -> dict:
            out = {}
            for ex, ids in items.items():
                coverage, every = covered_functions(ex), EXERCISES[ex].contract
                funcs = {f for i in not_passed(ids) for f in coverage.get(i, every)}
                if funcs:
                    out[ex] = frozenset(funcs)
            return out

        def failing() -> set:
            return {ex for ex, ids in items.items()
                    if any(collector.outcomes.get(i, {}).get("status")
                           not in (None, PASSED, *DID_NOT_RUN) for i in ids)}

        session.passed, session.failed_functions = passed, failed_functions
        session.failing = failing
    paths = _check_paths(exercises, suites)
    if not paths:
        return {}
    modules_before = set(sys.modules)
    try:
        checks = _collect(paths) if _direct_runner() else None
        if checks is not None:
            text = direct.run_direct(session, collector, checks, exercises,
                                     order=collector.order)
        else:
            text = _pytest_main(session, collector, exercises, paths)
    finally:
        if not KEEP_CHECK_MODULES:
            _forget_folder_modules(modules_before)
    collector.outcomes["__pytest_output__"] = {"text": text}
    return collector.outcomes


_COLLECTED: dict = {}


def _collect(paths):
    """direct.collect(paths); in a judge (KEEP_CHECK_MODULES: the check modules stay as they
    were imported) collected once per set of check files, not once per student."""
    if not KEEP_CHECK_MODULES:
        return direct.collect(paths)
    key = tuple(str(p) for p in paths)
    if key not in _COLLECTED:
        _COLLECTED[key] = direct.collect(paths)
    return _COLLECTED[key]


def _direct_runner() -> bool:
    """Whether checks run without a pytest session (grader/checks/direct.py): yes, unless
    ``GRADER_CHECK_RUNNER=pytest`` asks for pytest itself."""
    return os.environ.get("GRADER_CHECK_RUNNER", "direct") != "pytest"


def _pytest_main(session: CheckSession, collector: _Collector, exercises, paths) -> str:
    """One pytest session over ``paths``; what it printed."""
    import pytest

    # The root is the folder ABOVE the units, so that pytest names a check module
    # ``checks.sgd.public``: a module named after an exercise (``sgd``) would take the
    # place of the student's own module in a notebook kernel's sys.modules.
    args = ["-c", str(config.CHECKS_DIR / INI_FILE), "--rootdir", str(config.CHECKS_DIR.parent),
            "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--capture=sys",
            "--disable-warnings", "--tb=no", *_UNUSED_PLUGINS, *paths]
    old = os.environ.get("PYTEST_DISABLE_PLUGIN_AUTOLOAD")
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    sink = io.StringIO()
    try:
        with session, contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            session.prestart(exercises)
            pytest.main(args, plugins=[collector])
    finally:
        if old is None:
            os.environ.pop("PYTEST_DISABLE_PLUGIN_AUTOLOAD", None)
        else:
            os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = old
    return sink.getvalue()


def _forget_folder_modules(before):
    """Drop the empty top-level modules pytest's importlib mode made for the check folders.

    It imports checks/sgd/public.py as ``checks.sgd.public`` below a namespace module
    ``checks`` standing for the folder; left in sys.modules, such modules would
    shadow any real package of the same name that this process imports later
    (a notebook kernel lives on after ``check(...)``). Only modules new since
    ``before`` (names in sys.modules before the run) are dropped.
    """
    root = config.CHECKS_DIR.resolve()

    def under_root(module) -> bool:
        try:
            paths = [Path(p).resolve() for p in getattr(module, "__path__", None) or ()]
            if getattr(module, "__file__", None):
                paths.append(Path(module.__file__).resolve())
        except (TypeError, OSError, KeyError):
            return False
        return bool(paths) and all(f == root or root in f.parents for f in paths)

    for name in set(sys.modules) - before:
        module = sys.modules.get(name)
        # The check modules too (checks.sgd.public, checks.conftest): left behind, a later
        # run finds a half-present package and pytest binds ``checks`` to a submodule.
        if name.split(".")[0] == "checks" or ("." not in name and under_root(module)):
            if under_root(module):
                del sys.modules[name]


def run_checks(files: dict, *, exercises=None, suites=("public",), lang: str = "es",
               seed: int = 0, graded: bool = False, limits=None, reference_dir=None,
               forbidden_roots=None, substitute=None, assignment=None,
               substituted=None) -> Results:
    """Run the checks on one student's files and score them with the rubric.

    Inputs:
    - files: ``{"sgd.py": bytes, ...}`` (missing modules are reported per check).
    - exercises: names to check (default: the assignment's exercises).
    - assignment: whose rubric scores them (a name, a TOML path or an Assignment);
      default: the first assignment that holds every exercise checked ("1" when
      no exercise is given).
    - suites: ("public", "keras") for students; ("public", "hidden", "keras")
      when grading. Keras checks skip themselves when TensorFlow/Keras is not
      installed and their baseline is not cached (see grader.baseline.suite).
    - substitute: with graded, the dependency exercises to replace by the
      reference (default: all of them); ``"failed"`` (session.FAILED_ONLY): those
      whose own checks fail in this run, or that are not checked in it (each
      exercise's checks then run after its dependencies').
    - substituted: a dict filled with ``{exercise: [dependencies replaced]}``.
    Returns: a Results object (statuses, feedback, points).
    """
    from grader.sandbox.runner import SandboxLimits

    if assignment is not None or not exercises:
        rubric = load_rubric(assignment)
        exercises = tuple(exercises or rubric.exercises)
    else:
        exercises = tuple(exercises)
        rubric = rubric_for(exercises)
    session = CheckSession(files=files, lang=lang, seed=seed, graded=graded,
                           limits=limits or SandboxLimits(), reference_dir=reference_dir,
                           forbidden_roots=forbidden_roots,
                           substitute=(substitute if substitute in (None, FAILED_ONLY)
                                       else frozenset(substitute)))
    present = [ex for ex in exercises if EXERCISES[ex].filename in files]
    outcomes = run_pytest(session, present, suites, rubric) if present else {}
    if substituted is not None:
        substituted.update(session.substituted)
    pytest_output = outcomes.pop("__pytest_output__", {}).get("text", "")

    checks = []
    for item in rubric.for_exercises(exercises, suites):
        ex = item.exercise
        if EXERCISES[ex].filename not in files:
            checks.append(CheckResult(item.id, ex, item.suite, item.title, NOT_ATTEMPTED, 0.0,
                                      item.points, Feedback("feedback.missing_file",
                                                            {"file": EXERCISES[ex].filename})))
            continue
        got = outcomes.get(item.id)
        if got is None:
            fb = Feedback("feedback.check_not_run", {"id": item.id,
                                                     "log": pytest_output.strip()[-300:]})
            checks.append(CheckResult(item.id, ex, item.suite, item.title, ERROR, 0.0,
                                      item.points, fb))
            continue
        status = got["status"]
        checks.append(CheckResult(item.id, ex, item.suite, item.title, status,
                                  item.points if status == PASSED else 0.0, item.points,
                                  got["feedback"], output=got["output"],
                                  seconds=got["seconds"]))
    _zero_forbidden(checks)
    _note_failing_dependencies(checks, graded)
    return Results(checks=checks, lang=lang, total_points=rubric.total, seed=seed,
                   mode="grade" if graded else "check")


def _zero_forbidden(checks):
    """A forbidden action anywhere in an exercise costs the whole exercise."""
    bad = {c.exercise for c in checks if c.status == FORBIDDEN}
    for c in checks:
        if c.exercise in bad and c.status != FORBIDDEN:
            c.points = 0.0
            c.notes.append(Feedback("feedback.exercise_forbidden", {"exercise": c.exercise}))


def _note_failing_dependencies(checks, graded):
    """Where a failure may come from another exercise, say which one."""
    if graded:
        return
    failing = {c.exercise for c in checks if c.status not in (PASSED, *DID_NOT_RUN)}
    for c in checks:
        if c.status in (PASSED, NOT_ATTEMPTED, *DID_NOT_RUN):
            continue
        deps = [d for d in EXERCISES[c.exercise].depends_on if d in failing]
        if deps:
            c.notes.append(Feedback("feedback.dependency_failing", {"deps": ", ".join(deps)}))


@functools.lru_cache(maxsize=1024)
def _check_id(path: str, name: str) -> str:
    file = Path(path)
    return make_check_id(file.parent.name, file.stem, name)


def check_ids_in_files(suites=SUITES, exercises=None) -> set[str]:
    """Every check id defined in the units' check files (for the rubric consistency test)."""
    import ast

    ids = set()
    for ex in exercises or EXERCISES:
        for suite in suites:
            path = unit_dir(ex) / f"{suite}.py"
            if not path.is_file():
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                    check_id = make_check_id(ex, suite, node.name)
                    if parse_id(check_id):
                        ids.add(check_id)
    return ids


