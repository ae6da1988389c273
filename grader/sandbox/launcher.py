"""The judge's side of starting workers: through the zygote, or with a plain Popen.

``launcher()`` returns this process's launcher, started on first use:

- on Linux, a :class:`ZygoteLauncher`: one zygote process per judge process
  (see zygote.py) forks isolated workers in a few milliseconds;
- elsewhere, or with ``GRADER_SANDBOX=popen``, or if the zygote cannot start,
  a :class:`PopenLauncher`: one fresh ``python -I`` per worker, with resource
  limits and its own session, but no namespaces.

Either way a worker is handed three pipe ends (requests, replies, output) and
comes back as a :class:`ProcessHandle` the Worker kills and waits on.
``isolation()`` says, in plain data, what protection the workers really get.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from grader import config
from grader.sandbox import wire

_SOURCES: dict[str, str] = {}
_HERE = Path(__file__).resolve().parent


def _strip_main_guard(src: str) -> str:
    return src.replace('if __name__ == "__main__":\n    main()\n', "")


def worker_source() -> str:
    """wire.py + worker_main.py: the program a Popen worker runs with ``-c``."""
    if "worker" not in _SOURCES:
        wire_src = (_HERE / "wire.py").read_text(encoding="utf-8")
        main_src = _strip_main_guard((_HERE / "worker_main.py").read_text(encoding="utf-8"))
        glue = "\nREQ_FD, REP_FD = int(sys.argv[1]), int(sys.argv[2])\nmain()\n"
        _SOURCES["worker"] = wire_src + "\n\n" + main_src + glue
    return _SOURCES["worker"]


def zygote_source() -> str:
    """wire.py + isolation.py + devices.py + worker_main.py + zygote.py: the zygote's
    program."""
    if "zygote" not in _SOURCES:
        parts = [(_HERE / name).read_text(encoding="utf-8")
                 for name in ("wire.py", "isolation.py", "devices.py", "worker_main.py",
                              "zygote.py")]
        parts[3] = _strip_main_guard(parts[3])
        glue = "\nzygote_main(int(sys.argv[1]), int(sys.argv[2]))\n"
        _SOURCES["zygote"] = "\n\n".join(parts) + glue
    return _SOURCES["zygote"]


def scrubbed_env(workdir: str) -> dict:
    """The whole environment a worker (or the zygote) sees."""
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
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
                "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS"):
        env[var] = "1"
    if os.environ.get("GRADER_SANDBOX_USERNS"):
        env["GRADER_SANDBOX_USERNS"] = os.environ["GRADER_SANDBOX_USERNS"]
    return env


def limits_dict(limits) -> dict:
    return {"cpu_s": int(limits.cpu_s), "memory_mb": int(limits.memory_mb),
            "file_size_mb": int(limits.file_size_mb), "tmp_mb": int(limits.tmp_mb),
            "max_processes": int(limits.max_processes),
            "isolate_network": bool(limits.isolate_network),
            "no_fork": bool(getattr(limits, "no_fork", True)),
            "mount_proc": bool(getattr(limits, "mount_proc", False)),
            "devices": [str(d) for d in getattr(limits, "devices", ()) or ()],
            "cgroup": dict(limits.memory_cgroup) if getattr(limits, "memory_cgroup", None)
            else None}


class ProcessHandle:
    """A started worker: ``kill()`` it (with everything it started), ``wait()`` for its end."""

    pid: int
    needs_config = False          # True: the Worker sends the configuration on the pipe
    oom = False                   # after wait(): its memory cgroup's OOM killer ended it
    start_timeout_s = config.WORKER_START_TIMEOUT_S   # from spawn to "ready"

    def kill(self):
        raise NotImplementedError

    def wait(self, timeout: float) -> int | None:
        """Return code like Popen's (negative: killed by that signal); None if unknown."""
        raise NotImplementedError


def _kill_group(pid: int):
    for fn in (os.killpg, os.kill):
        try:
            fn(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


class _PopenHandle(ProcessHandle):
    needs_config = True

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.pid = proc, proc.pid

    def kill(self):
        _kill_group(self.pid)

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None


class _ZygoteHandle(ProcessHandle):
    start_timeout_s = config.ZYGOTE_WORKER_START_TIMEOUT_S

    def __init__(self, launcher: "ZygoteLauncher", pid: int):
        self.launcher, self.pid = launcher, pid
        self.returncode: int | None = None

    def kill(self):
        if self.returncode is None:
            _kill_group(self.pid)

    def wait(self, timeout):
        if self.returncode is None:
            status = self.launcher.wait_exit(self.pid, timeout)
            if status is not None:
                self.returncode = os.waitstatus_to_exitcode(status)
                self.oom = self.pid in self.launcher.oom_killed
                self.launcher.oom_killed.discard(self.pid)
        return self.returncode


def _preexec(limits):
    def apply():
        import resource

        def cap(which, value):
            try:
                resource.setrlimit(which, (value, value))
            except (ValueError, OSError):
                pass
        cap(resource.RLIMIT_CORE, 0)
        cap(resource.RLIMIT_CPU, int(limits.cpu_s))
        cap(resource.RLIMIT_AS, int(limits.memory_mb) * 1024 * 1024)
        cap(resource.RLIMIT_FSIZE, int(limits.file_size_mb) * 1024 * 1024)
    return apply


class PopenLauncher:
    """One fresh interpreter per worker: rlimits and a session of its own, no namespaces."""

    kind = "popen"

    def __init__(self, reason: str = ""):
        self.reason = reason

    def spawn(self, worker_config: dict, limits, child_fds, workdir: str) -> ProcessHandle:
        req_r, rep_w, out_w = child_fds
        cmd = [sys.executable, "-I", "-B", "-c", worker_source(), str(req_r), str(rep_w)]
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, pass_fds=(req_r, rep_w),
            cwd=workdir, env=scrubbed_env(workdir), start_new_session=True,
            preexec_fn=_preexec(limits), close_fds=True)
        return _PopenHandle(proc)

    def isolation(self) -> dict:
        notes = ["popen"] + ([self.reason] if self.reason else [])
        return {"mode": "popen", "network": False, "filesystem": False, "processes": False,
                "privileges": False, "process_limit": False, "memory": False,
                "memory_mode": "address_space", "notes": notes}


class ZygoteError(RuntimeError):
    """The zygote could not be started or stopped answering."""


class ZygoteLauncher:
    """Talks to this process's zygote (started lazily, restarted when it dies)."""

    kind = "zygote"

    def __init__(self, forbidden: list[str]):
        self.forbidden = [str(p) for p in forbidden]
        self.lock = threading.RLock()
        self.proc: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.hello: dict = {}
        self.exits: dict[int, int] = {}
        self.oom_killed: set[int] = set()   # workers a memory cgroup's OOM killer ended
        self.next_id = 0
        self.tmpdir = tempfile.gettempdir()

    # -- life cycle ---------------------------------------------------------------------------
    def start(self):
        with self.lock:
            if self.alive():
                return self
            self.close()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            env = scrubbed_env(self.tmpdir)
            try:
                self.proc = subprocess.Popen(
                    [sys.executable, "-I", "-B", "-c", zygote_source(), str(theirs.fileno()),
                     str(os.getpid())],
                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    pass_fds=(theirs.fileno(),), env=env, close_fds=True, cwd="/")
            finally:
                theirs.close()
            self.sock = ours
            self.exits.clear()
            self._send({"op": "init", "forbidden": self.forbidden, "tmpdir": self.tmpdir,
                        "isolate": os.environ.get("GRADER_SANDBOX") != "noisolate"})
            deadline = time.monotonic() + config.WORKER_START_TIMEOUT_S + 10
            hello = self._read(deadline)
            if hello is None or hello.get("op") != "hello":
                self.close()
                raise ZygoteError("the zygote did not start")
            self.hello = hello
            return self

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None and self.sock is not None

    def close(self):
        with self.lock:
            if self.sock is not None:
                try:
                    self.sock.close()
                except OSError:
                    pass
                self.sock = None
            if self.proc is not None:
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=2)
                self.proc = None

    # -- messages -----------------------------------------------------------------------------
    def _send(self, message: dict, fds=()):
        socket.send_fds(self.sock, [b"F"], list(fds))
        wire.write_message(self.sock.fileno(), message)

    def _read(self, deadline: float) -> dict | None:
        from grader.sandbox.runner import read_framed

        try:
            data = read_framed(self.sock.fileno(), deadline, wire.MAX_MESSAGE_BYTES)
            message = wire.decode(data)
        except (TimeoutError, EOFError, OSError, wire.WireError):
            return None
        return message if isinstance(message, dict) else None

    def _pump(self, deadline: float, want) -> dict | None:
        """Read messages until ``want(message)``; exit notices are kept on the way."""
        while True:
            message = self._read(deadline)
            if message is None:
                return None
            if message.get("op") == "exited":
                self.exits[int(message["pid"])] = int(message["status"])
                if message.get("oom"):
                    self.oom_killed.add(int(message["pid"]))
            if want(message):
                return message

    # -- the launcher interface ---------------------------------------------------------------
    def spawn(self, worker_config: dict, limits, child_fds, workdir: str) -> ProcessHandle:
        with self.lock:
            if not self.alive():
                self.start()
            self.next_id += 1
            ident = self.next_id
            request = {"op": "spawn", "id": ident, "config": worker_config,
                       "limits": limits_dict(limits), "workdir": workdir}
            try:
                self._send(request, child_fds)
            except OSError:
                self.close()
                raise ZygoteError("the zygote is gone") from None
            deadline = time.monotonic() + config.WORKER_START_TIMEOUT_S
            reply = self._pump(deadline, lambda m: m.get("id") == ident)
            if reply is None or reply.get("op") != "spawned" or not reply.get("pid"):
                self.close()
                raise ZygoteError("the zygote did not start a worker")
            pid = int(reply["pid"])
            # An exit notice kept for this pid belongs to an earlier worker that had it (read
            # after its judge stopped waiting): never this one's.
            self.exits.pop(pid, None)
            self.oom_killed.discard(pid)
            return _ZygoteHandle(self, pid)

    def wait_exit(self, pid: int, timeout: float) -> int | None:
        with self.lock:
            if pid not in self.exits and self.alive():
                self._pump(time.monotonic() + timeout, lambda m: pid in self.exits)
            return self.exits.pop(pid, None)

    def isolation(self) -> dict:
        plan = self.hello.get("plan") or {}
        probe = self.hello.get("probe") or {}
        test = probe.get("test") or {}
        notes = []
        if not plan:
            notes.append(str(probe.get("error", "no isolation available"))[:200])
        # one address-space limit bounds the whole worker only when it cannot fork
        # and cannot hold memory outside its address space (memfd, SysV shm)
        no_fork = bool(plan.get("seccomp") and test.get("fork_blocked")
                       and test.get("memfd_blocked"))
        return {
            "mode": "zygote",
            "network": bool(plan.get("net")) and not test.get("network_reachable", True),
            "filesystem": bool(plan.get("mount")) and not test.get("visible_forbidden"),
            "processes": bool(plan.get("pid")),
            "privileges": bool(plan.get("setuid") or (plan.get("userns") and plan.get("caps"))),
            "process_limit": bool(plan.get("setuid")) or no_fork,
            "memory": no_fork,
            "memory_mode": "nofork" if no_fork else "address_space",
            "notes": notes,
        }


_LAUNCHER: dict = {"pid": None, "obj": None}
_LOCK = threading.Lock()


def launcher(forbidden: list[str] | None = None):
    """This process's launcher (a fresh one after a fork)."""
    with _LOCK:
        if _LAUNCHER["pid"] == os.getpid() and _LAUNCHER["obj"] is not None:
            return _LAUNCHER["obj"]
        from grader.sandbox.runner import default_forbidden

        choice = os.environ.get("GRADER_SANDBOX", "")
        obj = None
        if choice != "popen" and sys.platform.startswith("linux"):
            try:
                obj = ZygoteLauncher(forbidden or default_forbidden()).start()
            except (ZygoteError, OSError) as exc:
                obj = PopenLauncher(reason=f"zygote unavailable: {exc}")
        if obj is None:
            obj = PopenLauncher(reason="" if choice == "popen" else f"{sys.platform}: no zygote")
        _LAUNCHER.update(pid=os.getpid(), obj=obj)
        return obj


def isolation_report() -> dict:
    """What protection this process's workers get (starts the launcher if needed)."""
    return launcher().isolation()


def shutdown():
    """Stop this process's zygote (workers it started die with it)."""
    with _LOCK:
        obj = _LAUNCHER.get("obj")
        if obj is not None and _LAUNCHER.get("pid") == os.getpid() and hasattr(obj, "close"):
            obj.close()
        _LAUNCHER.update(pid=None, obj=None)
