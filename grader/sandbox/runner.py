"""The judge's side of the sandbox: start workers, call student functions, kill.

A :class:`Worker` owns one child interpreter that imports the student's files
from a private temporary directory. :meth:`Worker.call` sends one request and
waits, with a wall-clock deadline, for the plain-data reply; meanwhile it
answers callbacks (substituted functions evaluated with the trusted reference
in THIS process). Whatever goes wrong in the child (an exception, a hang, a
crash, a flood of output, a forbidden operation) comes back as a
:class:`CallOutcome`, never as an exception raised out of student code.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from grader import config
from grader.sandbox import isolation, wire

_SOURCE_CACHE: dict[str, str] = {}


def worker_source() -> str:
    """wire.py + worker_main.py, the program the child runs with ``-c``."""
    if "src" not in _SOURCE_CACHE:
        here = Path(__file__).resolve().parent
        wire_src = (here / "wire.py").read_text(encoding="utf-8")
        main_src = (here / "worker_main.py").read_text(encoding="utf-8")
        glue = "\nREQ_FD, REP_FD = int(sys.argv[1]), int(sys.argv[2])\nmain()\n"
        main_src = main_src.replace('if __name__ == "__main__":\n    main()\n', "")
        _SOURCE_CACHE["src"] = wire_src + "\n\n" + main_src + glue
    return _SOURCE_CACHE["src"]


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
        self.lock = threading.Lock()

    def run(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            with self.lock:
                room = self.limit - len(self.kept)
                if room > 0:
                    self.kept += chunk[:room]
                self.dropped += max(0, len(chunk) - max(room, 0))
        try:
            os.close(self.fd)
        except OSError:
            pass

    def take(self) -> str:
        with self.lock:
            text = self.kept.decode("utf-8", errors="replace")
            if self.dropped:
                text += f"\n[... {self.dropped} more bytes of output dropped ...]"
            self.kept = bytearray()
            self.dropped = 0
            self.limit = max(self.limit - len(text), 1024)
        return text


def _preexec(limits: SandboxLimits):
    import resource

    def apply():
        def cap(which, value):
            try:
                resource.setrlimit(which, (value, value))
            except (ValueError, OSError):
                pass
        cap(resource.RLIMIT_CORE, 0)
        cap(resource.RLIMIT_CPU, int(limits.cpu_s))
        cap(resource.RLIMIT_AS, int(limits.memory_mb) * 1024 * 1024)
        cap(resource.RLIMIT_FSIZE, int(limits.file_size_mb) * 1024 * 1024)
        if limits.isolate_network:
            isolation.enter_private_network()
    return apply


def _scrubbed_env(workdir: str) -> dict:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg",
    }
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


class Worker:
    """One sandboxed child interpreter for one student's files.

    Inputs:
    - files: mapping ``name.py -> source bytes`` of the student's modules.
    - substitute: ``{module: [function, ...]}`` replaced inside the child by
      proxies that call back into this process, answered by ``reference``.
    - reference: ``(module, func) -> callable`` (trusted code), for callbacks.
    - forbidden_roots: paths student code may not open (reference, checks, ...).
    """

    def __init__(self, files: dict[str, bytes], *, substitute: dict | None = None,
                 reference: Callable[[str, str], Callable] | None = None,
                 limits: SandboxLimits | None = None,
                 forbidden_roots: list[str] | None = None):
        self.files = dict(files)
        self.substitute = substitute or {}
        self.reference = reference
        self.limits = limits or SandboxLimits()
        self.forbidden_roots = [str(p) for p in (forbidden_roots or _default_forbidden())]
        self.proc: subprocess.Popen | None = None
        self.workdir: str | None = None
        self._ready = False
        self._drain: _OutputDrain | None = None
        self.startup_output = ""
        self.deaths = 0

    # -- life cycle -----------------------------------------------------------------
    def start(self) -> "Worker":
        """Spawn the child without waiting for it (start-up overlaps other work)."""
        if self.proc is not None:
            return self
        self.workdir = tempfile.mkdtemp(prefix="grader-sbx-")
        for name, data in self.files.items():
            target = Path(self.workdir) / Path(name).name
            target.write_bytes(data)
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        cmd = [sys.executable, "-I", "-B", "-c", worker_source(), str(req_r), str(rep_w)]
        try:
            self.proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w,
                pass_fds=(req_r, rep_w), cwd=self.workdir, env=_scrubbed_env(self.workdir),
                start_new_session=True, preexec_fn=_preexec(self.limits), close_fds=True)
        finally:
            for fd in (req_r, rep_w, out_w):
                os.close(fd)
        self._req_w, self._rep_r = req_w, rep_r
        self._drain = _OutputDrain(out_r, self.limits.output_bytes)
        self._drain.start()
        wire.write_message(self._req_w, {
            "student_dir": self.workdir,
            "substitute": self.substitute,
            "forbidden_roots": self.forbidden_roots,
            "blocked_modules": list(config.BLOCKED_MODULES),
        })
        return self

    def _ensure_ready(self) -> CallOutcome | None:
        if self.proc is None:
            self.start()
        if self._ready:
            return None
        outcome = self._await(time.monotonic() + self.limits.start_timeout_s, "start")
        if outcome.status != "ready":
            return outcome
        self._ready = True
        self.startup_output = self._drain.take() if self._drain else ""
        return None

    def kill(self):
        """Kill the child and everything in its process group; forget it."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            for fd in (self._req_w, self._rep_r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if self._drain is not None:
                self._drain.join(timeout=1)
        self.proc = None
        self._ready = False
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    close = kill

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()

    # -- calls ----------------------------------------------------------------------
    def call(self, module: str, func: str, *args, return_args: bool = False,
             timeout: float | None = None, **kwargs) -> CallOutcome:
        """Call ``module.func(*args, **kwargs)`` in the child; never raises for student faults."""
        started = time.monotonic()
        problem = self._ensure_ready()
        if problem is not None:
            problem.seconds = time.monotonic() - started
            return problem
        try:
            wire.write_message(self._req_w, {"op": "call", "module": module, "func": func,
                                             "args": list(args), "kwargs": kwargs,
                                             "return_args": return_args})
        except BrokenPipeError:
            return self._died("call", started)
        deadline = time.monotonic() + (timeout or self.limits.call_timeout_s)
        outcome = self._await(deadline, "call")
        outcome.seconds = time.monotonic() - started
        return outcome

    def _died(self, phase, started=None) -> CallOutcome:
        code = None
        if self.proc is not None:
            try:
                code = self.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        output = self._drain.take() if self._drain else ""
        self.kill()
        self.deaths += 1
        info = {"phase": phase, "returncode": code}
        if code is not None and code < 0:
            try:
                info["signal"] = signal.Signals(-code).name
            except ValueError:
                info["signal"] = str(-code)
        return CallOutcome("crashed", info=info, output=output,
                           seconds=(time.monotonic() - started) if started else 0.0)

    def _timeout(self, phase, seconds) -> CallOutcome:
        output = self._drain.take() if self._drain else ""
        self.kill()
        self.deaths += 1
        return CallOutcome("timeout", info={"phase": phase, "seconds": seconds}, output=output)

    def _await(self, deadline: float, phase: str) -> CallOutcome:
        budget = deadline - time.monotonic()
        while True:
            try:
                message = _read_framed(self._rep_r, deadline)
            except TimeoutError:
                return self._timeout(phase, round(budget, 1))
            except (EOFError, OSError):
                return self._died(phase)
            try:
                reply = wire.decode(message)
            except wire.WireError as exc:
                output = self._drain.take() if self._drain else ""
                self.kill()
                return CallOutcome("bad_return", info={"message": str(exc)}, output=output)
            if not isinstance(reply, dict):
                self.kill()
                return CallOutcome("protocol", info={"message": "reply is not a mapping"})
            if reply.get("op") == "callback":
                self._answer_callback(reply)
                continue
            status = str(reply.get("status", "protocol"))
            if status == "ready":
                return CallOutcome("ready")
            output = self._drain.take() if self._drain else ""
            info = {k: v for k, v in reply.items()
                    if k not in ("status", "value", "args_after", "violations")}
            violations = reply.get("violations") or []
            if not isinstance(violations, list):
                violations = []
            return CallOutcome(status, value=reply.get("value"),
                               args_after=reply.get("args_after"), info=info,
                               output=output, violations=violations)

    def _answer_callback(self, request: dict):
        try:
            fn = self.reference(str(request["module"]), str(request["func"]))
            value = fn(*request.get("args", []), **request.get("kwargs", {}))
            reply = {"status": "ok", "value": value}
        except Exception as exc:  # noqa: BLE001 - bad arguments from student code
            reply = {"status": "error", "message": f"{type(exc).__name__}: {exc}"}
        try:
            wire.write_message(self._req_w, reply)
        except (BrokenPipeError, wire.WireError):
            pass


def _read_framed(fd: int, deadline: float) -> bytes:
    header = _read_exact_until(fd, 8, deadline)
    size = int.from_bytes(header, "big")
    if size > wire.MAX_MESSAGE_BYTES:
        raise EOFError("message too large")
    return _read_exact_until(fd, size, deadline)


def _read_exact_until(fd: int, size: int, deadline: float) -> bytes:
    chunks, remaining = [], size
    while remaining:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _default_forbidden() -> list[str]:
    return [str(config.SOLUTIONS_DIR), str(config.CHECKS_DIR), str(config.PACKAGE_DIR),
            str(config.REPO_DIR / ".git")]


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

    def call(self, module: str, func: str, *args, return_args: bool = False, **kwargs) -> CallOutcome:
        """Like invoke, but returns the full outcome (value and args after the call)."""
        from grader.checks.errors import StudentProblem

        outcome = self.worker.call(module, func, *args, return_args=return_args, **kwargs)
        self.calls.append((module, func, outcome))
        if not outcome.ok:
            raise StudentProblem(module, func, outcome)
        return outcome
