"""The judge's side of the sandbox: start workers, call student functions, kill.

A :class:`Worker` owns one isolated child process that imports the student's
files from a private directory (see launcher.py for how it is started and
isolation.py for what it is isolated from). :meth:`Worker.call` sends one
request and waits, with a wall-clock deadline, for the plain-data reply;
meanwhile it answers callbacks (substituted functions evaluated with the
trusted reference in THIS process). Whatever goes wrong in the child (an
exception, a hang, a crash, a flood of output, a forbidden operation) comes
back as a :class:`CallOutcome`, never as an exception raised out of student
code.

Time limits, from the innermost:
- ``call_timeout_s``: one call of a student function (the worker is killed
  and replaced when it runs out);
- once a call timed out, every later call of that module gets
  ``repeat_timeout_s`` at most, and the function that hung 20 times its
  longest call that returned, at least REPEAT_FLOOR_S (the floor when it
  never returned); a function that timed out twice and never returned fails at
  once from then on, so an infinite loop costs one timeout, not one per check
  (one that returned before loops on some inputs only: it is still called);
- a call whose worker sits idle (neither on a CPU nor waiting for one: time.sleep, a
  wait on nothing) for ``config.IDLE_WINDOW_S`` while the judge answers it no callback
  is stopped then, as a timeout that says so (``info["idle"]``); not in the Keras profile;
- ``deadline``: an absolute ``time.monotonic()`` by which everything of one
  submission must be done (set by ``grader grade``); past it, calls fail
  at once;
- ``cpu_s``: CPU seconds of one worker process (RLIMIT_CPU).
"""

from __future__ import annotations

import _signal
import functools
import os
import select
import shutil
import signal
import tempfile
import threading
import time
import types
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

import numpy as np

from grader import config
from grader.sandbox import wire
from grader.sandbox.callbacks import (_PAGE, AddressSpaceGauge, bounded_address_space,
                                      check_callback_args, value_size)


# The numeric limits a worker profile raises to its own value but never lowers.
RAISED_ONLY = ("memory_mb", "cpu_s", "call_timeout_s", "repeat_timeout_s", "max_processes",
               "tmp_mb")


@dataclass(frozen=True)
class SandboxLimits:
    """Resource limits of one worker process. Defaults live in grader.config."""

    call_timeout_s: float = config.CALL_TIMEOUT_S
    start_timeout_s: float = config.WORKER_START_TIMEOUT_S
    cpu_s: int = config.CPU_LIMIT_S
    memory_mb: int = config.MEMORY_LIMIT_MB
    file_size_mb: int = config.FILE_SIZE_LIMIT_MB
    output_bytes: int = config.OUTPUT_LIMIT_BYTES
    isolate_network: bool = True
    tmp_mb: int = config.WORKER_TMP_MB
    max_processes: int = config.WORKER_MAX_PROCESSES
    repeat_timeout_s: float = config.REPEAT_CALL_TIMEOUT_S
    # A call of a function that computes one result (not one that trains: see
    # ``long_running``) gets this much at most (0: call_timeout_s). Loading modules during
    # a call is not counted (Worker._await).
    quick_call_timeout_s: float = config.QUICK_CALL_TIMEOUT_S
    # (module, function) pairs whose calls get call_timeout_s; None: every exercise's
    # ``long_running`` functions (exercise.toml).
    long_running: frozenset | None = None
    max_reply_bytes: int = config.MAX_REPLY_BYTES
    # seccomp: no fork / memfd / SysV shm, so that memory_mb bounds the whole worker. A worker
    # profile that needs more memory (TensorFlow) raises memory_mb; threads are allowed anyway.
    no_fork: bool = True
    deadline: float | None = None        # time.monotonic() by which the submission must end
    submission_s: float = config.SUBMISSION_TIMEOUT_S   # the budget that deadline came from
    # Modules the worker imports before any student code (the Keras profile), the
    # environment they read at import, and the start-up time they add.
    preload: tuple = ()
    preload_env: dict = field(default_factory=dict)
    preload_timeout_s: float = 0.0
    cpus: int = 0                        # at most this many CPUs (0: those it was given)
    mount_proc: bool = False             # a read-only /proc of the worker's PID namespace
    watch_idle: bool = True              # stop a call whose worker sits idle (config.IDLE_*)
    # A GPU worker (devices.keras_device_plan): device nodes bound into its /dev, and its
    # memory_mb enforced by a memory cgroup of its own instead of RLIMIT_AS (CUDA reserves
    # tens of GB of address space). ``keras_device`` is the batch's plan, applied by
    # profile("keras") only.
    devices: tuple = ()
    memory_cgroup: dict | None = None
    gpu_memory_mb: int = 0               # TensorFlow's share of the GPU (0: none set)
    keras_device: dict | None = None

    def profile(self, name: str | None) -> "SandboxLimits":
        """These limits under a worker profile: ``None``/``"default"`` or ``"keras"``.

        The Keras profile raises the numeric limits to what Keras needs
        (``config.KERAS_WORKER``) and never lowers one that was asked for: ``--memory
        8192`` gives a Keras worker 8192 MB, ``--memory 512`` gives it 4096 MB (the class
        summary says so: grader.grading.batch.keras_worker_limits)."""
        if name in (None, "default"):
            return self
        if name != "keras":
            raise ValueError(f"unknown sandbox profile {name!r}")
        import dataclasses

        from grader.sandbox.devices import keras_lab_backend

        raised = {key: (max(value, getattr(self, key)) if key in RAISED_ONLY else value)
                  for key, value in config.KERAS_WORKER.items()}
        plan = self.keras_device or {}
        jax = keras_lab_backend() == "jax"
        if jax:                              # an install without TensorFlow
            raised["preload"] = ("jax", "keras")
        if plan.get("device") == "gpu":
            return dataclasses.replace(
                self, **raised, devices=tuple(plan["nodes"]), memory_cgroup=dict(plan["cgroup"]),
                preload_env=dict(config.KERAS_JAX_GPU_ENV if jax else config.KERAS_GPU_ENV),
                gpu_memory_mb=0 if jax else config.KERAS_GPU_MEMORY_MB)
        return dataclasses.replace(self, **raised, preload_env=dict(
            config.KERAS_JAX_WORKER_ENV if jax else config.KERAS_WORKER_ENV))


@dataclass
class CallOutcome:
    """What one call of a student function produced, as plain data.

    ``status`` is one of: ok, not_implemented, error, import_error, missing,
    timeout, crashed, bad_return, violation, exit, protocol.
    """

    status: str
    value: Any = None
    args_after: list | None = None
    info: dict = field(default_factory=dict)
    output: str = ""
    violations: list = field(default_factory=list)
    seconds: float = 0.0
    # Calls the student code made back into the judge during this call, in order:
    # {"module", "func", "args", "kwargs", "value"} (what the reference returned).
    callbacks: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _OutputDrain(threading.Thread):
    """Reads the child's stdout+stderr, keeping at most ``limit`` bytes."""

    def __init__(self, fd: int, limit: int):
        super().__init__(daemon=True)
        self.fd, self.limit = fd, limit
        self.kept = bytearray()
        self.dropped = 0
        self.closed = False
        self.lock = threading.Lock()
        os.set_blocking(fd, False)      # reads happen only when select says data is there

    def run(self):
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 1.0)
            except (OSError, ValueError):
                break
            if not ready:
                continue
            with self.lock:             # read under the lock: take() sees every byte read
                if not self._read_once():
                    break
        with self.lock:
            self.closed = True
            try:
                os.close(self.fd)
            except OSError:
                pass

    def _read_once(self) -> bool:
        """One read of what is there (the caller holds the lock); False at end of stream."""
        try:
            chunk = os.read(self.fd, 65536)
        except BlockingIOError:
            return True
        except OSError:
            return False
        if not chunk:
            return False
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))
        return True

    def take(self) -> str:
        """What the worker printed so far. The worker flushes its output before it replies,
        so what is still in the pipe when a reply has arrived is read here, not lost to
        the next call."""
        with self.lock:
            for _ in range(0 if self.closed else 64):
                try:
                    ready, _, _ = select.select([self.fd], [], [], 0)
                except (OSError, ValueError):
                    break
                if not ready or not self._read_once():
                    break
            text = self.kept.decode("utf-8", errors="replace")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes of output dropped ...]"
            self.kept = bytearray()
            self.dropped = 0
            self.limit = max(self.limit - len(text), 1024)
        return text


class _ReplyTooLarge(Exception):
    pass


# A call that has not answered after this long starts reading /proc for the time that was
# not the student's (see Worker._await).
PROBE_AFTER_S = 0.05
# A timeout shorter than the idle window still says "sat waiting" when the worker used
# (almost) no CPU for at least this long before it (Worker._sat_idle).
IDLE_SHORT_MIN_S = 0.1
# Routed callbacks kept per student call for the checks (Worker._record_callback).
RECORDED_CALLBACKS = 10_000
RECORDED_BYTES = 16 * 1024 * 1024
# What only this side can tell (a death, a timeout, an isolation step the system refused, a
# memory cgroup's kill): a reply that says so was written by student code, and is not taken.
RUNNER_ONLY_STATUSES = ("crashed", "timeout", "sandbox_error")
RUNNER_ONLY_INFO = ("sandbox", "memory_mb", "idle", "phase", "signal", "returncode", "loading",
                    "memory_grew_mb")

# After a timeout, a function gets REPEAT_FACTOR times its longest call that returned,
# at least REPEAT_FLOOR_S (and at most SandboxLimits.repeat_timeout_s).
REPEAT_FACTOR = 20.0
REPEAT_FLOOR_S = 0.25
# A call that timed out after its worker's resident memory grew by this share of its memory
# limit (since it was ready or last loaded modules) is said to have kept allocating (a list
# growing in a loop), not only to have looped.
MEMORY_GROWTH_FRACTION = 0.25
# Replies answering no request of the judge's, dropped before a call counts as a protocol error.
MAX_STRAY_REPLIES = 64
# The reference's answers a judge keeps for callbacks asked again (AnswerCache): in all for
# each of the two caches (visible and hidden checks), and per answer (request and reply).
ANSWER_CACHE_BYTES = 8 * 1024 * 1024
ANSWER_ENTRY_BYTES = 256 * 1024
ANSWER_OVERHEAD_BYTES = 512     # what an entry costs beyond its bytes (key, tuple, dict slot)


class AnswerCache:
    """The reference's answers to callbacks, by the exact bytes of the request.

    The reference is a pure function of its arguments (a random one takes its generator,
    whose state is part of the request, and its new state is part of the answer), so a
    request the judge has answered before, byte for byte, gets the same answer again
    without being decoded, checked, computed and encoded: a class whose backprop is
    substituted trains ``sgd.train`` through the same ~800 callbacks, student after student.
    What is kept for a request: the function that answered it (a worker whose reference
    resolves to another one, or that may not ask for it, is answered the long way) and the
    framed answer. Only plain answers are kept (no refusal, no error, no routed helper, whose
    calls the checks replay). At most ``max_bytes`` in all (past that it starts empty again)
    and ``max_entry`` per request and answer.

    Whether a request is kept shows in how fast it is answered, so what a cache holds must
    not depend on any student: a judge's caches (``answer_cache``) are filled from the
    reference's own code before its first student (grader.grading.judge.prime_answers) and
    are ``frozen`` while students are graded, who only read them. Kept answers filled by
    the students themselves let code given hidden inputs write them where a visible check,
    of the same student or of the next, read them back by timing (rev8a F1), and let a
    student tell which functions the one before him got wrong (rev8a2). The workers of
    hidden checks and those of visible ones use two caches all the same.
    """

    def __init__(self, max_bytes: int = ANSWER_CACHE_BYTES,
                 max_entry: int = ANSWER_ENTRY_BYTES, frozen: bool = False):
        self.max_bytes, self.max_entry = max_bytes, max_entry
        self.entries: dict[bytes, tuple] = {}
        self.size = 0
        self.frozen = frozen             # True: put keeps nothing

    def clear(self):
        self.entries.clear()
        self.size = 0

    def get(self, request) -> tuple | None:
        """(module, func, function, framed answer) for ``request`` (a message's bytes)."""
        if not self.entries or len(request) > self.max_entry:
            return None
        return self.entries.get(bytes(request))

    def put(self, request, module: str, func: str, fn, framed: bytes):
        cost = len(request) + len(framed) + ANSWER_OVERHEAD_BYTES
        if self.frozen or cost > self.max_entry:
            return
        if self.size + cost > self.max_bytes:
            self.clear()
        self.entries[bytes(request)] = (module, func, fn, framed)
        self.size += cost


# this process's, one for the workers of visible checks and one for those of hidden checks:
# frozen and empty until a judge fills them from the reference (prime_answers)
_ANSWERS = {False: AnswerCache(frozen=True), True: AnswerCache(frozen=True)}


def answer_cache(hidden: bool) -> AnswerCache:
    """The kept answers the workers of visible (``hidden=False``) or hidden checks read."""
    return _ANSWERS[bool(hidden)]

SYSTEM_ROOTS = ("/usr", "/etc", "/dev", "/lib", "/lib64", "/lib32", "/bin", "/sbin",
                "/proc/self", "/sys/devices/system/cpu")


def allowed_roots(forbidden) -> list[str]:
    """What a worker's files may come from: the Python runtime and system folders, minus any
    folder that holds (or lies in) a forbidden one. The student's folder is added by the worker.

    Worked out once per judge for the same forbidden folders and ``sys.path`` (a worker
    starts for every failing exercise: its ~30 ``realpath`` calls were a third of what a
    start cost the judge).
    """
    import sys

    return list(_allowed_roots(tuple(forbidden), tuple(sys.path),
                               (sys.prefix, sys.base_prefix, sys.exec_prefix)))


@functools.lru_cache(maxsize=8)
def _allowed_roots(forbidden: tuple, path: tuple, prefixes: tuple) -> tuple:
    bad = [os.path.realpath(f) for f in forbidden]
    wanted = set(prefixes) | {p for p in path if p and os.path.isabs(p) and os.path.isdir(p)}
    real = sorted({os.path.realpath(p) for p in wanted} | set(SYSTEM_ROOTS))
    essential = {os.path.realpath(p) for p in prefixes} | set(SYSTEM_ROOTS)
    # a runtime inside a forbidden folder (a venv in the class folder) stays readable
    return tuple(p for p in real
                 if p in essential or not any(p == f or f.startswith(p.rstrip("/") + "/")
                                              for f in bad))


def default_forbidden() -> list[str]:
    """Paths student code must never see: reference, checks, the grader, its history."""
    return [str(config.SOLUTIONS_DIR), str(config.REPO_DIR / "tests"), str(config.PACKAGE_DIR),
            str(config.REPO_DIR / ".git")]


class Worker:
    """One sandboxed child interpreter for one student's files.

    Inputs:
    - files: mapping ``name.py -> source bytes`` of the student's modules.
    - substitute: ``{module: [function, ...]}`` replaced inside the child by
      proxies that call back into this process, answered by ``reference``.
      Only these functions can be called back, nothing else of the reference.
    - reference: ``(module, func) -> callable`` (trusted code), for callbacks.
    - forbidden_roots: paths student code may not open (reference, checks, ...);
      hidden from the worker where the system allows it, refused (and
      reported as a violation) by the worker's audit hook everywhere.
    """

    def __init__(self, files: dict[str, bytes], *, substitute: dict | None = None,
                 reference: Callable[[str, str], Callable] | None = None,
                 limits: SandboxLimits | None = None,
                 forbidden_roots: list[str] | None = None,
                 history: tuple[dict, dict] | None = None,
                 answers: AnswerCache | None = None):
        """``history``: the (timeouts, longest calls) dicts, to share them between the
        workers of one student (what hung once is the student's code, not a process).
        ``answers``: the reference's answers kept for callbacks asked again, shared with the
        workers of the same kind (answer_cache; None: none kept)."""
        self.files = dict(files)
        self.substitute = {m: list(fs) for m, fs in (substitute or {}).items()}
        self.reference = reference
        self.answers = answers
        self.limits = limits or SandboxLimits()
        roots = list(forbidden_roots) if forbidden_roots else []
        self.forbidden_roots = sorted({str(p) for p in roots + default_forbidden()})
        self.handle = None
        self.workdir: str | None = None
        self._ready = False
        self._drain: _OutputDrain | None = None
        self._req_w = self._rep_r = None
        self.startup_output = ""
        self.deaths = 0
        self.timeouts: dict[tuple[str, str], list] = history[0] if history else {}
        self.longest: dict[tuple[str, str], float] = (     # longest call that returned
            history[1] if history else {})
        self._replace: dict = {}          # this call's replaced functions (see call)
        self._callbacks: list = []        # this call's routed callbacks, kept for the checks
        self._recorded_bytes = 0          # their size (see _record_callback)
        self._write_deadline = 0.0        # this call's deadline for writes and callbacks
        self._gauge = AddressSpaceGauge()  # the judge's address space, read now and then
        self._callback_seconds = 0.0     # judge time spent answering callbacks
        self._call_id = 0                # the id of the request whose reply is awaited
        self._rss_base = None            # the worker's resident memory (MB) when it was ready
                                         # or last finished loading modules

    # -- life cycle -----------------------------------------------------------------------------
    def _config(self) -> dict:
        # The worker is told what it MAY open, never where the solutions, the checks or
        # the outputs are (forbidden_roots stay in the judge and the zygote).
        return {
            "student_dir": self.workdir,
            "files": {name: np.frombuffer(bytes(data), dtype=np.uint8)
                      for name, data in self.files.items()},
            "substitute": self.substitute,
            "allowed_roots": allowed_roots(self.forbidden_roots),
            "blocked_modules": list(config.BLOCKED_MODULES),
            "preload": list(self.limits.preload),
            "preload_env": dict(self.limits.preload_env),
            "cpus": int(self.limits.cpus),
            "gpu_memory_mb": int(self.limits.gpu_memory_mb),
        }

    def start(self) -> "Worker":
        """Start the child without waiting for it (start-up overlaps other work)."""
        from grader.sandbox.launcher import ZygoteError, launcher

        if self.handle is not None:
            return self
        self.workdir = tempfile.mkdtemp(prefix="grader-sbx-")
        os.chmod(self.workdir, 0o755)
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        spawner = launcher(self.forbidden_roots)
        # The student's files never go through the zygote (one per judge, kept from one
        # student to the next, whose freed heap every later worker inherits): the worker
        # reads them from its own pipe (worker_main.main, files_on_pipe).
        settings = self._config()
        light = dict(settings, files={}, files_on_pipe=True)
        try:
            try:
                self.handle = spawner.spawn(light, self.limits, (req_r, rep_w, out_w),
                                            self.workdir)
            except ZygoteError:          # one retry with a fresh zygote
                self.handle = launcher(self.forbidden_roots).spawn(
                    light, self.limits, (req_r, rep_w, out_w), self.workdir)
        except BaseException:
            for fd in (req_r, req_w, rep_r, rep_w, out_r, out_w):
                os.close(fd)
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
            raise
        finally:
            if self.handle is not None:
                for fd in (req_r, rep_w, out_w):
                    os.close(fd)
        self._req_w, self._rep_r = req_w, rep_r
        os.set_blocking(self._req_w, False)     # every write has a deadline (see _send)
        self._drain = _OutputDrain(out_r, self.limits.output_bytes)
        self._drain.start()
        try:
            message = settings if self.handle.needs_config else {"files": settings["files"]}
            self._send(message, time.monotonic() + self._start_timeout())
        except (OSError, TimeoutError):
            pass                         # it died already: the first call reports how
        return self

    def _send(self, value, deadline: float):
        """Write one message to the worker by ``deadline`` (TimeoutError otherwise): a worker
        that stops reading must not hold the judge on a full pipe."""
        self._write(wire.framed(value), deadline)

    def _write(self, framed: bytes, deadline: float):
        """_send for a message already framed."""
        view = memoryview(framed)
        while view:
            try:
                view = view[os.write(self._req_w, view[:1 << 20]):]
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError from None
                select.select([], [self._req_w], [], left)

    def _ensure_ready(self) -> CallOutcome | None:
        if self.handle is None:
            self.start()
        if self._ready:
            return None
        outcome = self._await(time.monotonic() + self._start_timeout(), "start")
        if outcome.status == "sandbox_error":      # the system refused an isolation step
            self.kill()
            self.start()
            outcome = self._await(time.monotonic() + self._start_timeout(), "start")
            if outcome.status == "sandbox_error":
                self.kill()
                return CallOutcome("crashed", info={"phase": "start", "sandbox":
                                                    outcome.info.get("message", "")})
        if outcome.status != "ready":
            return outcome
        self._ready = True
        self._rss_base = resident_mb(self.handle.pid)
        self.startup_output = self._drain.take() if self._drain else ""
        return None

    def _start_timeout(self) -> float:
        """A forked worker is ready in milliseconds; a fresh interpreter may need seconds."""
        return (min(self.limits.start_timeout_s, self.handle.start_timeout_s)
                + self.limits.preload_timeout_s)

    def kill(self):
        """Kill the child and everything it started; forget it."""
        if self.handle is not None:
            self.handle.kill()
            self.handle.wait(timeout=5)
            for fd in (self._req_w, self._rep_r):
                try:
                    os.close(fd)
                except (OSError, TypeError):
                    pass
            if self._drain is not None:
                self._drain.join(timeout=1)
        self.handle = None
        self._ready = False
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    close = kill

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()

    @property
    def pid(self) -> int | None:
        return self.handle.pid if self.handle is not None else None

    # -- calls ------------------------------------------------------------------------------------
    def _budget(self, module: str, func: str, timeout: float | None):
        """(seconds allowed, whether the submission deadline cut them, refusal outcome)."""
        seconds = float(timeout or self.limits.call_timeout_s)
        quick = self.limits.quick_call_timeout_s
        if quick and not timeout and (module, func) not in (
                self.limits.long_running if self.limits.long_running is not None
                else registry_long_running()):
            seconds = min(seconds, quick)
        record = self.timeouts.get((module, func))
        # Twice without an end, and never an answer: not waited for again. One that has
        # answered before loops on some inputs only: it keeps its (short) time below.
        if record is not None and record[0] >= 2 and (module, func) not in self.longest:
            info = {"phase": "call", "seconds": record[1], "repeated": True}
            if record[2]:                 # [times, seconds, whether it sat idle, whether
                info["idle"] = True       # its module was still loading]
            if len(record) > 3 and record[3]:
                info["loading"] = True
            return 0.0, False, CallOutcome("timeout", info=info)
        if record is not None:            # this function hung before: what it took when
            known = REPEAT_FACTOR * self.longest.get((module, func), 0.0)   # it returned
            seconds = min(seconds, self.limits.repeat_timeout_s, max(REPEAT_FLOOR_S, known))
        elif any(m == module for m, _ in self.timeouts):   # its module hung: less patience
            seconds = min(seconds, self.limits.repeat_timeout_s)
        if self.limits.deadline is not None:
            left = self.limits.deadline - time.monotonic()
            if left <= 0:
                return 0.0, True, CallOutcome("timeout", info={
                    "phase": "submission", "seconds": self.limits.submission_s})
            if left < seconds:
                return left, True, None
        return seconds, False, None

    def call(self, module: str, func: str, *args, return_args: bool = False,
             timeout: float | None = None, replace: dict | None = None,
             **kwargs) -> CallOutcome:
        """Call ``module.func(*args, **kwargs)`` in the child; never raises for student faults.

        ``replace`` (``{module: [func, ...]}``): for this call only, those functions
        are the reference's, reached through the judge (random ones included: a
        generator argument travels with its state and comes back advanced); the
        calls made to them are in the outcome's ``callbacks`` (a call repeating an earlier
        one of this call exactly, without a generator, is answered in the worker from the
        reference's first answer: it is not listed again).
        """
        started = time.monotonic()
        self._replace = {m: list(fs) for m, fs in (replace or {}).items()}
        self._callbacks, self._recorded_bytes = [], 0
        self._gauge = AddressSpaceGauge()      # one reading of /proc per 64 callbacks
        seconds, by_deadline, refused = self._budget(module, func, timeout)
        if refused is not None:
            return refused
        problem = self._ensure_ready()
        if problem is not None:
            problem.seconds = time.monotonic() - started
            return problem
        hard = None if by_deadline else started + seconds * config.LOADED_WALL_FACTOR
        if self.limits.deadline is not None and hard is not None:
            hard = min(hard, self.limits.deadline)
        self._write_deadline = hard if hard is not None else started + seconds
        try:
            self._call_id += 1
            request = {"op": "call", "module": module, "func": func, "args": list(args),
                       "kwargs": kwargs, "return_args": return_args, "id": self._call_id}
            if self._replace:
                request["replace"] = self._replace
            self._send(request, self._write_deadline)
        except TimeoutError:
            outcome = self._timeout("call", round(seconds, 1))
            outcome.seconds = time.monotonic() - started
            return outcome
        except (BrokenPipeError, OSError):
            return self._died("call", started)
        # Loads during the call: the whole call limit, or no more than the call's own reduced
        # limit once a load of its module has hung (a top-level loop must not cost 3 s at
        # every call). A function that looped in its own code does not shorten the loads of
        # the other functions of its module (rev6v N1: a module with a slow top level lost
        # every function after one endless loop).
        hung = any(m == module and len(record) > 3 and record[3]
                   for (m, _), record in self.timeouts.items())
        loads = seconds if hung or by_deadline else self.limits.call_timeout_s
        outcome = self._await(time.monotonic() + seconds, "call", cpu_budget=seconds,
                              hard_deadline=hard, loads=loads)
        outcome.seconds = time.monotonic() - started
        outcome.callbacks, self._callbacks, self._replace = self._callbacks, [], {}
        if not return_args:               # not asked for: whatever student code padded it with
            outcome.args_after = None
        elif outcome.status == "ok" and not (type(outcome.args_after) is list
                                             and len(outcome.args_after) == len(args)):
            # asked for and not there: a reply forged by student code (rev7h F1: the check
            # then failed on an "internal grader error" the student could raise at will)
            outcome = CallOutcome("protocol", info={
                "message": "the reply does not give the arguments after the call"},
                output=outcome.output, violations=outcome.violations,
                seconds=outcome.seconds, callbacks=outcome.callbacks)
        if outcome.status not in ("timeout", "crashed"):
            key = (module, func)
            self.longest[key] = max(self.longest.get(key, 0.0), outcome.seconds)
        if outcome.status == "timeout":
            if by_deadline:
                outcome.info.update(phase="submission", seconds=self.limits.submission_s)
            else:
                record = self.timeouts.setdefault((module, func), [
                    0, outcome.info.get("seconds"), bool(outcome.info.get("idle")),
                    bool(outcome.info.get("loading"))])
                record[0] += 1
        return outcome

    def _died(self, phase, started=None) -> CallOutcome:
        code = self.handle.wait(timeout=2) if self.handle is not None else None
        oom = getattr(self.handle, "oom", False)    # its memory cgroup's limit, not a bug
        output = self._drain.take() if self._drain else ""
        self.kill()
        self.deaths += 1
        info = {"phase": phase, "returncode": code}
        if oom:
            info["memory_mb"] = int(self.limits.memory_mb)
        if code is not None and code < 0:
            try:
                info["signal"] = signal.Signals(-code).name
            except ValueError:
                info["signal"] = str(-code)
        return CallOutcome("crashed", info=info, output=output,
                           seconds=(time.monotonic() - started) if started else 0.0)

    def _timeout(self, phase, seconds, idle: bool = False, loading: bool = False) -> CallOutcome:
        grew = None
        if not (idle or loading) and self.handle is not None and self._rss_base is not None:
            now = resident_mb(self.handle.pid)   # a loop that keeps allocating: say so
            if now is not None and now - self._rss_base >= MEMORY_GROWTH_FRACTION * float(
                    self.limits.memory_mb):
                grew = int(now - self._rss_base)
        output = self._drain.take() if self._drain else ""
        self.kill()
        self.deaths += 1
        info = {"phase": phase, "seconds": seconds}
        if idle:
            info["idle"] = True
        if loading:
            info["loading"] = True
        if grew is not None:
            info.update(memory_grew_mb=grew, memory_mb=int(self.limits.memory_mb))
        return CallOutcome("timeout", info=info, output=output)

    def _scheduled(self) -> float | None:
        """Seconds the worker (every thread of it and of its children) has been on a CPU or
        waiting for one (None where /proc cannot say)."""
        if self.handle is None:
            return None
        return scheduled_seconds(self.handle.pid)

    def _not_ours(self) -> float | None:
        """Seconds that were not the student's: the worker waiting for a CPU, the judge
        waiting for a CPU, and the judge computing callbacks (None where /proc cannot say)."""
        if self.handle is None:
            return None
        worker = runqueue_wait_seconds(self.handle.pid)
        judge = runqueue_wait_seconds(os.getpid(), children=False)
        if worker is None or judge is None:
            return None
        return worker + judge + self._callback_seconds

    def _sat_idle(self, watch, now: float) -> bool:
        """At a timeout shorter than the idle window (a short repeat limit): whether the
        worker sat waiting since the last reading (``watch``), so that the student is told
        about the wait (time.sleep), not about an infinite loop."""
        if watch is None or watch[1] is None or now - watch[0] < IDLE_SHORT_MIN_S:
            return False
        busy = self._scheduled()
        return (busy is not None and self._callback_seconds == watch[2]
                and busy - watch[1] < config.IDLE_FRACTION * (now - watch[0]))

    def _await(self, deadline: float, phase: str, *, cpu_budget: float | None = None,
               hard_deadline: float | None = None, loads: float = 0.0) -> CallOutcome:
        """The worker's reply by ``deadline``.

        With ``cpu_budget``: a call is timed by the time that was the student's, not only
        by the clock, so that a loaded machine (other graders, other jobs) does not turn
        a correct function into a timeout: the deadline moves by the time the worker and
        this judge spent waiting for a CPU (Linux schedstat) and the time this judge
        spent answering the worker's callbacks, up to ``hard_deadline``. A sleeping or
        blocked worker waits for no CPU: its deadline does not move.
        """
        budget = deadline - time.monotonic()
        base = deadline
        # What was not the student's is counted from the first reading of /proc, taken only
        # once the call has lasted PROBE_AFTER_S (most calls answer in a few milliseconds:
        # they read nothing); the first PROBE_AFTER_S are the student's whatever happened.
        probe = time.monotonic() + PROBE_AFTER_S if cpu_budget is not None else None
        start = None
        # the idle watch: (when, the worker's scheduled seconds, the judge's callback seconds)
        watch = None
        watching = cpu_budget is not None and self.limits.watch_idle
        reader = FrameReader(self._rep_r, self.limits.max_reply_bytes)
        strays = 0
        # Loading modules (the worker says when it starts and ends, see worker_main's
        # _importing) stops the call's clock, for ``loads`` seconds at most per call (moved
        # like the call's on a crowded CPU, within the submission's deadline): a module that
        # loads forever is stopped then. The worker's word can only buy that much.
        loads_left = loads if phase == "call" else 0.0
        loading: _Load | None = None
        while True:
            wake = deadline if probe is None else min(deadline, probe)
            if watch is not None:
                wake = min(wake, watch[0] + config.IDLE_WINDOW_S)
            try:
                message = reader.read(wake)
            except TimeoutError:
                now = time.monotonic()
                if watching and now < deadline:
                    busy = self._scheduled()
                    if watch is not None and busy is not None and watch[1] is not None \
                            and now >= watch[0] + config.IDLE_WINDOW_S:
                        if (busy - watch[1] < config.IDLE_FRACTION * (now - watch[0])
                                and self._callback_seconds == watch[2]):
                            return self._timeout(phase, round(now - (base - budget), 1),
                                                 idle=True)
                    if watch is None or now >= watch[0] + config.IDLE_WINDOW_S:
                        watch = (now, busy, self._callback_seconds)
                if probe is not None and now < deadline:
                    probe, start = None, self._not_ours()
                    continue
                if now < deadline:
                    continue
                if loading is not None:       # a load on a crowded CPU gets what others took
                    if now < loading.latest and loading.not_ours is not None:
                        spent = self._not_ours()
                        if spent is not None:
                            moved = min(loading.latest,
                                        loading.until + (spent - loading.not_ours))
                            if moved > now + 0.01:
                                deadline = moved
                                continue
                    return self._timeout(phase, round(loads, 2), loading=True)
                if start is not None and hard_deadline is not None and now < hard_deadline:
                    spent = self._not_ours()
                    if spent is not None:
                        moved = min(hard_deadline, base + (spent - start))
                        if moved > now + 0.01:
                            deadline = moved
                            continue
                return self._timeout(phase, round(budget, 2),
                                     idle=watching and self._sat_idle(watch, now))
            except _ReplyTooLarge:
                output = self._drain.take() if self._drain else ""
                self.kill()
                return CallOutcome("bad_return", info={"message": "the reply is too large"},
                                   output=output)
            except (EOFError, OSError):
                return self._died(phase)
            known = self.answers.get(message) if self.answers is not None else None
            if known is not None and self._may_reuse(*known[:3]):
                if not self._answer_again(known[3]):         # the worker stopped reading
                    return self._timeout(phase, round(budget, 2))
                continue
            try:
                reply = wire.decode(message)
            except wire.WireError as exc:
                output = self._drain.take() if self._drain else ""
                self.kill()
                return CallOutcome("bad_return", info={"message": str(exc)}, output=output)
            if not isinstance(reply, dict):
                self.kill()
                return CallOutcome("protocol", info={"message": "reply is not a mapping"})
            op, rid = reply.get("op"), reply.get("id")
            if not (op is None or type(op) is str) or not (rid is None or type(rid) is int):
                self.kill()        # compared below: an array there made the judge raise
                return CallOutcome("protocol", info={"message": "malformed op or id"})
            if op == "callback":
                if not self._answer_callback(reply, message):   # the worker stopped reading
                    return self._timeout(phase, round(budget, 2))
                continue
            if op in ("importing", "imported"):
                now = time.monotonic()
                opens = op == "importing" and loading is None and loads_left > 0
                closes = op == "imported" and loading is not None
                if rid != self._call_id or phase != "call" or not (opens or closes):
                    strays += 1           # counted like a reply to no request (below)
                    if strays > MAX_STRAY_REPLIES:
                        self.kill()
                        return CallOutcome("protocol", info={
                            "message": "the worker sent messages about no request"})
                    continue
                if opens:
                    until = now + loads_left
                    latest = now + loads_left * config.LOADED_WALL_FACTOR
                    if self.limits.deadline is not None:     # the submission's still holds
                        until = min(until, self.limits.deadline)
                        latest = min(latest, self.limits.deadline)
                    loading = _Load(now, deadline - now, self._write_deadline - now,
                                    self._not_ours(), start is not None, until, latest)
                    deadline = until
                    self._write_deadline = max(self._write_deadline, latest)
                else:
                    spent = now - loading.began
                    later = self._not_ours()
                    others = (later - loading.not_ours) if later is not None \
                        and loading.not_ours is not None else 0.0
                    loads_left -= max(0.0, spent - others)   # the student's share of it
                    deadline = now + loading.call_left
                    self._write_deadline = now + loading.write_left
                    base += spent
                    if hard_deadline is not None:
                        hard_deadline += spent
                    if start is not None and later is not None:   # what was not the student's
                        start = start + others if loading.had_start else later   # while it loaded
                    loading = None
                    if self.handle is not None:     # what the loads hold is not "growth"
                        self._rss_base = resident_mb(self.handle.pid)   # (rev6v N2)
                continue
            # A reply that answers no request of ours (student code wrote it to the reply
            # channel itself, or a call that timed out answered late) is dropped: the next
            # call must not take it for its own answer.
            if phase == "call" and reply.get("id") != self._call_id:
                strays += 1
                if strays > MAX_STRAY_REPLIES:
                    self.kill()
                    return CallOutcome("protocol", info={
                        "message": "the worker sent replies to no request"})
                continue
            status = str(reply.get("status", "protocol"))[:40]
            if status == "ready":
                return CallOutcome("ready")
            if status == "sandbox_error" and phase == "start":
                return CallOutcome("sandbox_error", info={"message": str(reply.get("message"))})
            output = self._drain.take() if self._drain else ""
            info = bounded_info({k: v for k, v in reply.items()
                                 if k not in ("status", "value", "args_after", "violations")
                                 and k not in RUNNER_ONLY_INFO})
            if status in RUNNER_ONLY_STATUSES:   # written by student code, not by a death
                status, info = "protocol", {
                    "message": f"the worker replied {status!r}, which only the grader says"}
            violations = bounded_violations(reply.get("violations"))
            return CallOutcome(status, value=reply.get("value"),
                               args_after=reply.get("args_after"), info=info,
                               output=output, violations=violations)

    def _record_callback(self, entry: dict, size: int):
        """Keep a routed callback for the checks (sgd.train's draws, replayed by the judge),
        up to RECORDED_CALLBACKS calls and RECORDED_BYTES (``size``: its arguments' and
        value's, as check_callback_args counts them) per student call: what a worker makes
        the judge keep is bounded like everything else it sends."""
        if (len(self._callbacks) >= RECORDED_CALLBACKS
                or self._recorded_bytes + size > RECORDED_BYTES):
            return
        self._recorded_bytes += size
        self._callbacks.append(entry)

    def _answer_callback(self, request: dict, raw=None) -> bool:
        """Answer one callback (``raw``: its message's bytes, to keep the answer by them);
        False when the worker did not take the answer in time."""
        started = time.monotonic()
        try:
            return self._answer_callback_now(request, raw)
        finally:
            self._callback_seconds += time.monotonic() - started

    def _may_reuse(self, module: str, func: str, fn) -> bool:
        """Whether a kept answer of ``fn`` to ``module.func`` may answer this worker: it may
        ask for that function (not a routed one, whose calls are recorded) and its reference
        resolves it to the very function that answered."""
        if (self.reference is None or func not in self.substitute.get(module, ())
                or func in self._replace.get(module, ())):
            return False
        try:
            return self.reference(module, func) is fn
        except Exception:  # noqa: BLE001 - no such function here: the long way says so
            return False

    def _answer_again(self, framed: bytes) -> bool:
        """Send a kept answer; False when the worker did not take it in time."""
        started = time.monotonic()
        try:
            return self._deliver(framed)
        finally:
            self._callback_seconds += time.monotonic() - started

    def _deliver(self, framed: bytes) -> bool:
        """Write an answer to a callback by the call's write deadline; False when the worker
        did not take it in time (one that died is noticed by the read that follows)."""
        try:
            self._write(framed, self._write_deadline)
        except TimeoutError:
            return False
        except OSError:
            pass
        return True

    def _answer_callback_now(self, request: dict, raw=None) -> bool:
        module, func = str(request.get("module")), str(request.get("func"))
        keep = None
        try:
            allowed = (func in self.substitute.get(module, ())
                       or func in self._replace.get(module, ()))
            if not allowed or self.reference is None:
                raise PermissionError(f"{module}.{func} is not available to this exercise")
            args, kwargs = request.get("args", []), request.get("kwargs", {})
            if not isinstance(args, list) or not isinstance(kwargs, dict):
                raise TypeError("malformed callback")
            size = check_callback_args(args, kwargs)   # bounded before the reference runs
            fn = self.reference(module, func)
            # and so is what the reference allocates, and how long it runs
            with bounded_address_space(gauge=self._gauge), _alarm_at(self._write_deadline):
                value = _materialize(fn(*args, **kwargs))
            size += value_size(value)                  # and so is what goes back
            # Generators drawn from go back with their new state (see worker_main).
            rngs = [[where, g.bit_generator.state] for where, g in
                    list(enumerate(args)) + list(kwargs.items())
                    if isinstance(g, np.random.Generator)]
            reply = {"status": "ok", "value": value}
            if rngs:
                reply["rngs"] = rngs
            if func in self._replace.get(module, ()):
                self._record_callback({"module": module, "func": func, "args": args,
                                       "kwargs": kwargs, "value": value}, size)
            elif raw is not None and self.answers is not None:
                keep = fn
        except _CallbackOverran:
            return False                  # the call's time is up: the worker is stopped
        except Exception as exc:  # noqa: BLE001 - bad arguments from student code
            reply = {"status": "error", "message": f"{type(exc).__name__}: {exc}"[:500]}
        try:
            framed = wire.framed(reply)
        except wire.WireError:
            return True                   # cannot cross: not sent, the call runs into its timeout
        if keep is not None:
            self.answers.put(raw, module, func, keep, framed)
        return self._deliver(framed)


class _CallbackOverran(BaseException):
    """The reference answering a callback ran past the student call's deadline (a
    BaseException: no ``except Exception`` in the reference may swallow it)."""


class _Load(NamedTuple):
    """A module load in progress during a call (Worker._await)."""

    began: float                 # time.monotonic() when the worker said it started
    call_left: float             # the call's time left then (its clock stops meanwhile)
    write_left: float            # the write deadline's time left then
    not_ours: float | None       # Worker._not_ours() then
    had_start: bool              # whether the call's not_ours reading was taken before it
    until: float                 # the load's own deadline
    latest: float                # how far a crowded CPU may move it


@functools.lru_cache(maxsize=1)
def registry_long_running() -> frozenset:
    """(module, function) of every exercise's ``long_running`` functions (exercise.toml):
    the calls that get the whole call_timeout_s, not quick_call_timeout_s."""
    from grader.exercises import EXERCISES

    return frozenset((ex.name, func) for ex in EXERCISES.values() for func in ex.long_running)


class _alarm_at:
    """``with _alarm_at(deadline):`` interrupts the block at ``deadline`` (SIGALRM; only in
    the main thread, where a judge answers callbacks; elsewhere the block runs unbounded):
    arguments within every size bound can still ask the reference for 10**9 epochs.
    (A class, not a generator context manager, and ``_signal``, the module under ``signal``
    without its enum conversions: a training run's callbacks come by the hundred.)"""

    __slots__ = ("deadline", "armed", "previous")

    def __init__(self, deadline: float):
        self.deadline, self.armed, self.previous = deadline, False, None

    def __enter__(self):
        if threading.current_thread() is threading.main_thread() and hasattr(_signal,
                                                                            "setitimer"):
            self.previous = _signal.signal(_signal.SIGALRM, _overran)
            self.armed = True
            _signal.setitimer(_signal.ITIMER_REAL, max(self.deadline - time.monotonic(), 0.001))
        return self

    def __exit__(self, *exc) -> bool:
        if self.armed:
            self.armed = False
            _signal.setitimer(_signal.ITIMER_REAL, 0)
            _signal.signal(_signal.SIGALRM, self.previous)
        return False


def _overran(signum, frame):
    raise _CallbackOverran()


# what _materialize leaves as it is without looking further
_MATERIAL = frozenset((np.ndarray, float, int, bool, str, type(None)))


def _materialize(value):
    """Lists for iterators a reference returns (the reference ``minibatches`` may be lazy)."""
    kind = type(value)
    if kind in _MATERIAL:
        return value
    if kind is tuple or kind is list:        # forward's cache, (A_prev, Z, None): as it is
        for v in value:
            if type(v) not in _MATERIAL:
                return kind([_materialize(v) for v in value])
        return value
    if isinstance(value, (types.GeneratorType, map, filter, zip)):
        return [_materialize(v) for v in value]
    if isinstance(value, list):
        return [_materialize(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_materialize(v) for v in value)
    return value


# What a worker says about a call (messages, tracebacks, warnings) ends up in every report
# and in the stored record: the real worker cuts it to a few thousand characters, but student
# code can answer for it, so the judge cuts it again (a forged 3.5 MB message per call made
# 150 MB of reports for one student).
INFO_TEXT_CHARS = 4000
INFO_KEYS = 32
MAX_WARNINGS = 5
MAX_VIOLATIONS = 20


def valid_text(value, limit: int) -> str:
    """Worker text cut to ``limit`` and made valid Unicode: JSON lets a worker send lone
    surrogates (``"\\ud800"``), which no UTF-8 writer of the reports would take."""
    text = str(value)[:limit]
    return text.encode("utf-8", "replace").decode("utf-8")


def bounded_info(info: dict) -> dict:
    """The worker's details of a call: plain scalars only, strings cut, warnings reshaped."""
    out = {}
    for key, value in list(info.items())[:INFO_KEYS]:
        key = valid_text(key, 40)
        if key == "warnings":
            value = value if isinstance(value, list) else []
            out[key] = [{"category": valid_text(w.get("category", "Warning"), 100),
                         "message": valid_text(w.get("message", ""), 200)}
                        for w in value[:MAX_WARNINGS] if isinstance(w, dict)]
        elif isinstance(value, str):
            out[key] = valid_text(value, INFO_TEXT_CHARS)
        elif value is None or isinstance(value, (bool, int, float)):
            out[key] = value if not isinstance(value, int) or abs(value) < 2 ** 63 else None
    return out


def bounded_violations(violations) -> list:
    """The worker's forbidden-action reports: at most 20, each a few short strings."""
    if not isinstance(violations, list):
        return []
    return [{k: valid_text(v.get(k) or "", 300) if k != "module" or v.get(k) is not None
             else None for k in ("kind", "detail", "module")}
            for v in violations[:MAX_VIOLATIONS] if isinstance(v, dict)]


def _proc_children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except (OSError, ValueError):
        return []


def runqueue_wait_seconds(pid: int, children: bool = True) -> float | None:
    """Seconds ``pid`` and its descendants spent runnable but waiting for a CPU
    (``/proc/<pid>/schedstat``, Linux), else None.

    A zygote worker is a waiter outside its PID namespace and the worker inside it:
    the descendant does the work.
    """
    total = _over_tree(pid, _waiting_ns, children)
    return None if total is None else total / 1e9


def resident_mb(pid: int) -> float | None:
    """The resident memory of ``pid`` and its descendants in MB (a worker's handle is the
    init of its PID namespace, the interpreter its child), None if ``pid`` cannot be read.
    Resident, not address space: a thread reserves ~70 MB of address space it never
    touches (rev6v N2)."""
    total = _over_tree(pid, _resident_pages)
    return None if total is None else total * _PAGE / (1024 * 1024)


def _resident_pages(pid: int) -> int | None:
    """/proc/<pid>/statm's second field, as callbacks._vm_size reads the first (a tenth of
    the cost of /proc/<pid>/status)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None


def scheduled_seconds(pid: int) -> float | None:
    """Seconds every thread of ``pid`` and of its descendants has spent on a CPU or runnable
    waiting for one (``/proc/<pid>/task/*/schedstat``, Linux), else None: what grows unless
    the process sleeps."""
    total = _over_tree(pid, _scheduled_ns)
    return None if total is None else total / 1e9


def _over_tree(pid: int, read, children: bool = True) -> int | None:
    """The sum of ``read(p)`` over ``pid`` and its descendants (at most 64 processes; one that
    cannot be read is left out with its own descendants), or None when ``pid`` cannot."""
    total, seen, todo = 0, 0, [pid]
    while todo and seen < 64:
        current = todo.pop()
        seen += 1
        value = read(current)
        if value is None:
            if current == pid:
                return None
            continue
        total += value
        if children:
            todo.extend(_proc_children(current))
    return total


def _waiting_ns(pid: int) -> int | None:
    """Nanoseconds the process's main thread waited runnable for a CPU."""
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            return int(fh.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _scheduled_ns(pid: int) -> int | None:
    """Nanoseconds every thread of the process has been on a CPU or waiting for one (its
    threads that cannot be read count 0)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return None
    total = 0
    for task in tasks[:256]:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as fh:
                on_cpu, waiting = fh.read().split()[:2]
            total += int(on_cpu) + int(waiting)
        except (OSError, ValueError):
            continue
    return total


class FrameReader:
    """Reads framed messages from ``fd``; a TimeoutError keeps what was read so far, so a
    reader whose deadline moves (a loaded machine) resumes in the middle of a message."""

    def __init__(self, fd: int, limit: int = wire.MAX_MESSAGE_BYTES):
        self.fd, self.limit = fd, limit
        self._reset()

    def _reset(self):
        self.buffer = bytearray(8)
        self.got = 0
        self.in_body = False

    def read(self, deadline: float) -> bytes:
        while True:
            view = memoryview(self.buffer)
            while self.got < len(self.buffer):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    raise TimeoutError
                n = os.readv(self.fd, [view[self.got:self.got + (1 << 20)]])
                if not n:
                    raise EOFError
                self.got += n
            if self.in_body:
                data = self.buffer
                self._reset()
                return data
            size = int.from_bytes(self.buffer, "big")
            if size > self.limit:
                raise _ReplyTooLarge()
            self.buffer, self.got, self.in_body = bytearray(size), 0, True


def read_framed(fd: int, deadline: float, limit: int = wire.MAX_MESSAGE_BYTES) -> bytes:
    """One framed message from ``fd``; TimeoutError past ``deadline``, EOFError when closed."""
    return FrameReader(fd, limit).read(deadline)


class _ModuleProxy:
    def __init__(self, proxy: "StudentProxy", module: str):
        self._proxy, self._module = proxy, module

    def __getattr__(self, func: str):
        if func.startswith("_"):
            raise AttributeError(func)
        return lambda *a, **k: self._proxy.invoke(self._module, func, *a, **k)


class StudentProxy:
    """``student.backprop.backward(params, cache, Y)`` runs in the worker.

    A successful call returns the plain value; any other outcome raises
    :class:`grader.checks.errors.StudentProblem` carrying the CallOutcome,
    which the check engine turns into a status and feedback.
    """

    def __init__(self, worker: Worker):
        self.worker = worker
        self.calls: list[tuple[str, str, CallOutcome]] = []

    def __getattr__(self, module: str) -> _ModuleProxy:
        if module.startswith("_"):
            raise AttributeError(module)
        return _ModuleProxy(self, module)

    def invoke(self, module: str, func: str, *args, **kwargs):
        outcome = self.call(module, func, *args, **kwargs)
        return outcome.value

    def call(self, module: str, func: str, *args, return_args: bool = False,
             replace: dict | None = None, **kwargs) -> CallOutcome:
        """Like invoke, but returns the full outcome (value and args after the call;
        with ``replace``, the calls the student code made to those reference functions)."""
        from grader.checks.errors import StudentProblem

        outcome = self.worker.call(module, func, *args, return_args=return_args,
                                   replace=replace, **kwargs)
        # What the engine reads of a check's calls (output, violations), not their values:
        # a check of many calls must not hold every call's value, arguments and callbacks.
        self.calls.append((module, func, CallOutcome(outcome.status, output=outcome.output,
                                                     violations=outcome.violations)))
        if not outcome.ok:
            raise StudentProblem(module, func, outcome)
        return outcome
