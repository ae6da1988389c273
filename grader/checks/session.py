"""What a run of the checks needs: the student's files, language, seed, workers."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path

from grader import config
from grader.exercises import EXERCISES, closure, used_functions
from grader.sandbox.runner import SandboxLimits, StudentProxy, Worker, answer_cache

_CURRENT: list["CheckSession"] = []
# ``substitute`` value: replace only the dependencies whose own checks failed in this run.
FAILED_ONLY = "failed"
# Shipped into the workers of exercises with the sandbox profile "keras" (read as bytes:
# importing it would import Keras here, in the judge).
KERAS_PROBE = "keras_probe.py"


@dataclass
class CheckSession:
    """The state shared by every check of one run (one student).

    - files: ``{"activations.py": bytes, ...}`` the student's modules.
    - graded: when True, an exercise's dependencies (e.g. activations for
      backprop) are replaced in the worker by callbacks to the reference, so
      a mistake in one exercise costs no points in another.
    - seed: drives the inputs of hidden checks.
    - substitute: when graded, the dependencies that are replaced (None: all
      of them; ``FAILED_ONLY``: what the student got wrong, see :meth:`replacements`).
      ``grader grade`` replaces only that, which spares thousands of callbacks for
      everyone else.
    - passed: a callable giving the exercises whose checks have all passed so far (set
      by the engine, which runs dependencies first): ``FAILED_ONLY`` asks it, and so
      does a shared worker before it serves the next exercise.
    - failed_functions: a callable giving ``{exercise: functions}``, the contract functions
      covered by a check that did not pass (set by the engine; None: every function of an
      exercise that did not pass).
    - failing: a callable giving the exercises with a check that ran and did not pass
      (set by the engine): their visible checks' worker is stopped before their hidden
      checks start.
    """

    files: dict
    lang: str = config.DEFAULT_LANGUAGE
    seed: int = 0
    graded: bool = False
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    reference_dir: Path | None = None
    forbidden_roots: list | None = None
    substitute: frozenset | str | None = None
    passed: object = None
    failed_functions: object = None
    failing: object = None
    workers: dict = field(default_factory=dict)
    substituted: dict = field(default_factory=dict)   # exercise -> dependencies replaced
    proxies: dict = field(default_factory=dict)
    _shared: dict = field(default_factory=dict, repr=False)   # worker configuration -> worker
    _served: dict = field(default_factory=dict, repr=False)   # id(worker) -> exercises served
    # what hung and how long calls took, shared by this student's workers (Worker.history)
    _history: tuple = field(default_factory=lambda: ({}, {}), repr=False)

    def worker(self, exercise: str, hidden: bool = False) -> Worker:
        """The worker of ``exercise``'s checks; ``hidden``: of its hidden checks.

        Hidden checks never share a process with checks whose output or messages the
        student sees: student code could keep the hidden inputs it was given and show
        them (or answers computed from them) in a later visible check."""
        name = worker_slot(exercise, hidden)
        if name not in self.workers:
            substitute, resolve = {}, None
            if self.graded:
                from grader.reference import reference, resolver
                if self.substitute == FAILED_ONLY:
                    substitute = self.replacements(exercise)
                else:
                    deps = [d for d in closure(exercise) if d != exercise]
                    if self.substitute is not None:
                        deps = [d for d in deps if d in self.substitute]
                    # Every function of a dependency, random ones included: a generator
                    # argument travels to the judge with its state and comes back
                    # advanced, so the student's own draws continue exactly where the
                    # reference's ended, and no line of the dependency's file runs.
                    substitute = {d: _every_function(d) for d in deps}
                self.substituted[exercise] = list(substitute)
                resolve = resolver(reference(self.reference_dir))
            else:
                resolve = _reference_if_present(self.reference_dir)
            profile = getattr(EXERCISES.get(exercise), "sandbox", None)   # exercise.toml
            # Exercises that need the same worker share one (a correct student's whole
            # assignment runs in one process: one start-up instead of one per exercise).
            key = (profile, hidden,
                   tuple(sorted((d, tuple(fs)) for d, fs in substitute.items())))
            if key not in self._shared:
                files = {n: b for n, b in self.files.items()}
                if profile == "keras":  # its checks describe Keras objects through this probe
                    files[KERAS_PROBE] = _keras_probe_source()
                self._shared[key] = Worker(files, substitute=substitute, reference=resolve,
                                           limits=self.limits.profile(profile),
                                           forbidden_roots=self.forbidden_roots,
                                           history=self._history, answers=answer_cache(hidden))
            self.workers[name] = self._shared[key]
        return self.workers[name]

    def replacements(self, exercise: str) -> dict[str, list[str]]:
        """``FAILED_ONLY``: ``{dependency: [function, ...]}`` that ``exercise``'s worker gets
        from the reference (through the judge).

        Every function of a dependency that a failed check covers is replaced, whoever
        calls it: a mistake costs its own checks only. A dependency is replaced whole
        (every function) when ``exercise`` calls one of its failed functions, directly or
        through another dependency (exercise.toml ``uses``), or when its own code would
        call one of another dependency's (backprop over a wrong sigmoid): the reference's
        backprop answers a whole step in one callback, the student's would ask the judge
        for every sigmoid. So a wrong ``relu`` or ``dropout_backward`` costs ``sgd.train``
        nothing, and its checks run the student's own code at full speed."""
        ok = self.passed() if self.passed is not None else set()
        wrong = self.failed_functions() if self.failed_functions is not None else {}

        def failing(dep) -> frozenset:
            if dep in ok:
                return frozenset()
            return frozenset(wrong.get(dep) or _every_function(dep))

        @functools.lru_cache(maxsize=None)
        def whole(user, dep) -> bool:      # user's code would call a failed function of dep
            return bool(failing(dep) & used_functions(user, dep)) or any(
                whole(dep, other) for other in closure(dep) if other != dep)

        out = {}
        for dep in closure(exercise):
            if dep == exercise:
                continue
            if whole(exercise, dep):
                out[dep] = _every_function(dep)
            elif failing(dep):
                out[dep] = sorted(failing(dep))
        return out

    def proxy(self, exercise: str, hidden: bool = False) -> StudentProxy:
        """``student.<module>.<func>(...)`` for ``exercise``'s checks (``hidden``: its hidden
        checks, in a worker of their own)."""
        name = worker_slot(exercise, hidden)
        if name not in self.proxies:
            if hidden:
                self._stop_if_failing(exercise)
            worker = self.worker(exercise, hidden)
            self._afresh_if_needed(worker, exercise)
            routes = _helper_routes(exercise) if self.graded else {}
            self.proxies[name] = (_RoutingProxy(worker, routes) if routes
                                  else StudentProxy(worker))
        return self.proxies[name]

    def _stop_if_failing(self, exercise: str):
        """Before ``exercise``'s hidden checks: stop the worker of its visible checks if one of
        them failed. A shared worker would start afresh before its next exercise anyway
        (:meth:`_afresh_if_needed`); stopping it now frees at once what that student code
        left behind, which otherwise held its memory while the hidden worker ran (a
        module holding 768 MB made the hidden worker's own allocations three times
        slower on a 2-core machine: 0.6 s, then 2.1 s)."""
        worker = self.workers.get(worker_slot(exercise, False))
        if worker is None or worker.handle is None or self.failing is None \
                or exercise not in self.failing():
            return
        # What it served stays recorded: a later visible check of the same exercise (its
        # Keras checks) starts the process again, which the next exercise must not inherit
        # (hostile corpus: huge_reply_fields, whose activations.py patches the worker).
        worker.kill()

    def _afresh_if_needed(self, worker: Worker, exercise: str):
        """A shared worker that served an exercise whose checks did not all pass starts a
        new process for the next one: whatever that student code left behind (a module
        holding a gigabyte, a patched numpy) stays with the exercise it belongs to."""
        served = self._served.setdefault(id(worker), [])
        if served and (self.passed is None or not set(served) <= self.passed()):
            worker.kill()
            served.clear()
        served.append(exercise)

    def prestart(self, exercises):
        """Spawn the workers now so that their start-up runs in parallel (not those whose
        dependencies are checked in the same run with ``FAILED_ONLY``: what they get is
        decided when their turn comes)."""
        for ex in exercises:
            if self.substitute == FAILED_ONLY and self.graded and any(
                    d in exercises for d in closure(ex) if d != ex):
                continue
            self.worker(ex).start()

    def reference_worker(self, exercise: str) -> Worker | None:
        """A worker holding ``exercise``'s REFERENCE module (and, for the Keras profile, the
        probe) and no file of the student's: what the reference computes where only a worker
        can (Keras), for checks that must not take the student's process at its word.
        None where the reference is not at hand (a student's own ``grader check``)."""
        module = Path(self.reference_dir or config.SOLUTIONS_DIR) / EXERCISES[exercise].filename
        if not module.is_file():
            return None
        key = ("reference", exercise)
        if key not in self._shared:
            profile = getattr(EXERCISES.get(exercise), "sandbox", None)
            files = {module.name: module.read_bytes()}
            if profile == "keras":
                files[KERAS_PROBE] = _keras_probe_source()
            # the reference's time is not the student's: no submission deadline (the
            # judge's own task timeout still bounds it), the profile's call limit
            limits = dataclasses.replace(self.limits.profile(profile), deadline=None)
            self._shared[key] = Worker(files, limits=limits, forbidden_roots=self.forbidden_roots)
        return self._shared[key]

    def close(self):
        for w in self._shared.values():
            w.kill()
        self._shared.clear()
        self._served.clear()
        self.workers.clear()
        self.proxies.clear()

    # The session the check fixtures use (set by the engine, else a default).
    def __enter__(self):
        _CURRENT.append(self)
        return self

    def __exit__(self, *exc):
        _CURRENT.remove(self)
        self.close()


def _every_function(exercise: str) -> list[str]:
    """The functions of ``exercise`` a dependent's worker may get from the reference."""
    return list(EXERCISES[exercise].contract)


def _keras_probe_source() -> bytes:
    """grader/sandbox/keras_probe.py as bytes (importing it would import Keras here)."""
    return (config.PACKAGE_DIR / "sandbox" / KERAS_PROBE).read_bytes()


def is_hidden_suite(path) -> bool:
    """Whether the check file ``path`` is a unit's hidden suite (``.../hidden.py``)."""
    return suite_of(path)[1]


def suite_of(path) -> tuple[str, bool]:
    """(the unit folder's name, whether it is the hidden suite) of the check file ``path``.

    Asked for every check of every student: remembered per path (check files do not move
    while the judge runs)."""
    return _suite_of(str(path))


@functools.lru_cache(maxsize=512)
def _suite_of(path: str) -> tuple[str, bool]:
    file = Path(path)
    return file.resolve().parent.name, file.stem == "hidden"


def worker_slot(exercise: str, hidden: bool) -> str:
    """Key of ``workers`` / ``proxies``: the exercise, or ``"<exercise>#hidden"``."""
    return f"{exercise}#hidden" if hidden else exercise


def _helper_routes(exercise: str) -> dict:
    """When grading, a random function of an exercise that calls another random function
    of the same exercise (sgd.train calls sgd.minibatches) gets that helper from the
    reference: a wrong helper costs its own checks only, never those of its caller.

    Helpers come first in exercise.toml's ``random`` list (``["minibatches", "train"]``):
    a function gets only those listed before it. The other way round the reference of the
    function being graded (train) would answer the student's helper (minibatches), an
    oracle for the hidden inputs of train's checks."""
    ex = EXERCISES[exercise]
    return {f: {exercise: list(ex.random[:i])} for i, f in enumerate(ex.random) if i > 0}


class _RoutingProxy(StudentProxy):
    def __init__(self, worker, routes: dict):
        super().__init__(worker)
        self.routes = routes

    def call(self, module, func, *args, return_args=False, replace=None, **kwargs):
        if replace is None and module in self.routes.get(func, {}):
            replace = self.routes[func]
        return super().call(module, func, *args, return_args=return_args, replace=replace,
                            **kwargs)


def _reference_if_present(directory):
    """The reference resolver where the solutions exist (hidden checks replay student
    draws through it); None in a student's copy of the grader."""
    from grader.reference import ReferenceUnavailable, reference, resolver
    try:
        return resolver(reference(directory))
    except ReferenceUnavailable:
        return None


def current() -> CheckSession | None:
    return _CURRENT[-1] if _CURRENT else None


def read_student_files(directory: Path) -> dict:
    """The bytes of every exercise module present in ``directory``."""
    files = {}
    for ex in EXERCISES.values():
        path = Path(directory) / ex.filename
        if path.is_file():
            files[ex.filename] = path.read_bytes()
    return files
