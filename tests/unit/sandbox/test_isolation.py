"""What a worker is isolated from, where the system allows it (and that it says what it lacks).

These tests run student-like code in real workers. Where this machine cannot
give a protection (no namespaces, not Linux), the test of that protection is
skipped and the isolation report must say so instead.
"""

import os
import socket
import sys
import time

import numpy as np
import pytest

from grader import config
from grader.sandbox.launcher import isolation_report
from grader.sandbox.runner import SandboxLimits, Worker

pytestmark = pytest.mark.sandbox

SOURCE = b'''
import ctypes, os, socket, sys, time
import numpy as np

def listing(path):
    return sorted(os.listdir(path))

def exists(path):
    return os.path.exists(path)

def whoami():
    return {"uid": os.getuid(), "pid": os.getpid()}

def write(path):
    with open(path, "w") as fh:
        fh.write("x")
    return True

def daemon(name):
    import __main__
    __main__.STATE["armed"] = False
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, name.encode(), 0, 0, 0)
            while True:
                time.sleep(1)
        os._exit(0)
    return True

def connect(port):
    import __main__
    __main__.STATE["armed"] = False
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect(("127.0.0.1", port))
        return "connected"
    except OSError as exc:
        return type(exc).__name__
    finally:
        s.close()

def fork_bomb():
    import __main__
    __main__.STATE["armed"] = False
    children = 0
    try:
        for _ in range(200):
            if os.fork() == 0:
                time.sleep(60)
                os._exit(0)
            children += 1
    except OSError:
        return children
    return children

def segfault():
    return ctypes.string_at(0)

def memfd():
    import __main__
    __main__.STATE["armed"] = False
    fd = os.memfd_create("hoard")
    os.close(fd)
    return True

def shm():
    import __main__
    __main__.STATE["armed"] = False
    return ctypes.CDLL(None).shmget(0, 1 << 20, 0o1600)     # IPC_PRIVATE, IPC_CREAT | 0600

def knows(reversed_needle):
    """Whether a string is anywhere this process can reach without the disk (the judge
    sends it reversed, so that the request itself does not hold it)."""
    import gc
    import __main__
    __main__.STATE["armed"] = False
    needle = reversed_needle[::-1]
    def hit(v):
        return isinstance(v, str) and v is not needle and needle in v
    for o in gc.get_objects():
        items = (o.values() if isinstance(o, dict)
                 else o if isinstance(o, (list, tuple, set)) else ())
        try:
            if any(hit(v) for v in items):
                return True
        except Exception:
            pass
    frame = sys._getframe()
    while frame is not None:
        if any(hit(v) for v in frame.f_locals.values()) or any(
                hit(k) for k in frame.f_locals):
            return True
        frame = frame.f_back
    return any(hit(v) for v in list(sys.argv) + list(os.environ.values()) + list(sys.path))

def spin():
    while True:
        pass

def quick(x):
    return x

def huge():
    return np.zeros(40 * 1024 * 1024 // 8)

def ask_reference():
    import __main__
    return __main__._callback_proxy("helper", "secret")()
'''


def _report():
    return isolation_report()


def _needs(protection):
    if not _report().get(protection):
        pytest.skip(f"no {protection} isolation on this system: {_report().get('notes')}")


@pytest.fixture
def worker():
    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(call_timeout_s=3.0)).start()
    yield w
    w.kill()


def _comm_names():
    names = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/comm") as fh:
                    names.add(fh.read().strip())
            except OSError:
                pass
    return names


def test_the_isolation_report_names_every_protection_as_true_or_false():
    report = _report()
    for key in ("network", "filesystem", "processes", "privileges", "process_limit"):
        assert isinstance(report[key], bool)
    assert report["mode"] in ("zygote", "popen")
    if not all(report[k] for k in ("network", "filesystem", "processes")):
        assert report["notes"] or report["mode"] == "popen" or not sys.platform.startswith("linux")


def test_the_reference_the_checks_and_the_grader_do_not_exist_inside_a_worker(worker):
    _needs("filesystem")
    for path in (config.SOLUTIONS_DIR, config.CHECKS_DIR, config.PACKAGE_DIR,
                 config.REPO_DIR / ".git"):
        assert worker.call("mod", "exists", str(path)).value is False, path
    assert worker.call("mod", "listing", ".").value == ["mod.py"]


def test_a_worker_can_write_only_to_its_private_tmp(worker):
    _needs("filesystem")
    assert worker.call("mod", "write", "scratch.txt").value is True
    for path in ("/usr/forged.txt", "/forged.txt", str(config.REPO_DIR / "forged.txt")):
        assert worker.call("mod", "write", path).status in ("error", "violation")
        assert not os.path.exists(path)


def test_a_worker_runs_without_privileges_as_pid_one_of_its_own(worker):
    _needs("processes")
    info = worker.call("mod", "whoami").value
    assert info["pid"] == 1
    if _report().get("process_limit"):
        assert info["uid"] >= 1_900_000_000


def test_a_worker_that_cannot_fork_cannot_hold_memory_outside_its_limit_either(worker):
    if _report().get("memory_mode") != "nofork":
        pytest.skip("this system gives workers no seccomp filter: " + str(_report()["notes"]))
    for func in ("memfd", "fork_bomb", "daemon"):
        out = worker.call("mod", func, *(["x"] if func == "daemon" else []))
        assert (out.status == "error" and out.info["type"] == "PermissionError") or (
            func == "fork_bomb" and out.value == 0), (func, out)
    assert worker.call("mod", "shm").value == -1           # SysV shared memory: refused


def test_a_worker_is_never_told_where_the_solutions_the_checks_or_the_outputs_are(tmp_path):
    out = tmp_path / "grading-out"
    w = Worker({"mod.py": SOURCE}, forbidden_roots=[str(out)]).start()
    try:
        for path in (config.SOLUTIONS_DIR, config.CHECKS_DIR, out):
            got = w.call("mod", "knows", str(path)[::-1])
            assert got.status == "ok" and got.value is False, (path, got)
    finally:
        w.kill()


def test_a_daemon_that_escapes_with_setsid_dies_with_its_worker(worker):
    if _report().get("memory_mode") == "nofork":
        pytest.skip("workers cannot fork at all here (seccomp): nothing can escape")
    name = f"gr-daemon-{os.getpid() % 10000}"
    assert worker.call("mod", "daemon", name).value is True
    deadline = time.time() + 5
    while name not in _comm_names() and time.time() < deadline:
        time.sleep(0.05)
    assert name in _comm_names()
    worker.kill()
    deadline = time.time() + 5
    while name in _comm_names() and time.time() < deadline:
        time.sleep(0.05)
    assert name not in _comm_names()


def test_the_network_of_the_grading_machine_cannot_be_reached(worker):
    _needs("network")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    try:
        got = worker.call("mod", "connect", server.getsockname()[1]).value
    finally:
        server.close()
    assert got != "connected"


def test_a_fork_bomb_meets_the_per_worker_process_limit(worker):
    _needs("process_limit")
    out = worker.call("mod", "fork_bomb")
    assert out.status == "ok" and out.value < config.WORKER_MAX_PROCESSES
    if _report().get("memory_mode") == "nofork":
        assert out.value == 0


def test_a_segfault_is_reported_with_its_signal_and_the_next_call_gets_a_new_worker(worker):
    out = worker.call("mod", "segfault")
    assert out.status == "crashed" and out.info.get("signal") == "SIGSEGV"
    assert worker.call("mod", "quick", 3).value == 3


def test_a_function_that_timed_out_twice_fails_at_once_afterwards():
    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(call_timeout_s=1.0,
                                                        repeat_timeout_s=0.3)).start()
    try:
        assert w.call("mod", "spin").status == "timeout"
        second = w.call("mod", "spin")
        assert second.status == "timeout"
        # less patience the second time (the worker's own seconds: on a loaded machine the
        # clock may also count the time the worker waited for a CPU)
        assert second.info["seconds"] <= 0.3
        started = time.monotonic()
        third = w.call("mod", "spin")
        assert third.status == "timeout" and third.info.get("repeated")
        assert time.monotonic() - started < 0.1           # no third wait at all
        # and the feedback says it was not run, not that it ran out of time again (rev4i)
        from grader.checks.engine import problem_feedback
        from grader.checks.errors import StudentProblem

        _, feedback = problem_feedback(StudentProblem("mod", "spin", third))
        assert feedback.key == "feedback.timeout_repeated"
        assert "was not run this time" in feedback.render("en")
        assert "no se ejecutó esta vez" in feedback.render("es")
        assert w.call("mod", "quick", 1).value == 1
    finally:
        w.kill()


SOMETIMES = b"""
def loops_on_big(x):
    while x > 5:
        pass
    return x
"""


def test_a_function_that_loops_on_some_inputs_only_is_still_called_on_the_others():
    """A function that answered before and then timed out twice loops on some inputs only
    (rev4i F1: a mask, an rng, a zero): later calls still run, with its short repeat
    time, so the checks whose inputs do not loop keep their points."""
    w = Worker({"mod.py": SOMETIMES}, limits=SandboxLimits(call_timeout_s=1.0,
                                                           repeat_timeout_s=0.3)).start()
    try:
        assert w.call("mod", "loops_on_big", 1).value == 1
        assert w.call("mod", "loops_on_big", 9).status == "timeout"
        assert w.call("mod", "loops_on_big", 9).status == "timeout"
        assert w.call("mod", "loops_on_big", 2).value == 2        # not refused
        again = w.call("mod", "loops_on_big", 9)
        assert again.status == "timeout" and not again.info.get("repeated")
        assert again.info["seconds"] <= 0.3
    finally:
        w.kill()


def test_after_a_timeout_patience_follows_how_long_the_function_took_when_it_returned():
    """The function that hung: 20 times its longest call that returned, at least the floor,
    at most repeat_timeout_s; the rest of its module: repeat_timeout_s; other modules: all."""
    from grader.sandbox.runner import REPEAT_FACTOR, REPEAT_FLOOR_S

    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(call_timeout_s=3.0, repeat_timeout_s=1.0,
                                                        quick_call_timeout_s=0))
    assert w._budget("mod", "quick", None)[0] == 3.0          # nothing hung yet
    w.timeouts[("mod", "spin")] = [1, 3.0, False]
    assert w._budget("mod", "spin", None)[0] == REPEAT_FLOOR_S   # never returned
    assert w._budget("mod", "quick", None)[0] == 1.0     # same module, never hung: 1 s
    assert w._budget("other", "f", None)[0] == 3.0       # another module: full patience
    w.longest[("mod", "spin")] = 0.001
    assert w._budget("mod", "spin", None)[0] == REPEAT_FLOOR_S
    w.longest[("mod", "spin")] = 0.02
    assert w._budget("mod", "spin", None)[0] == pytest.approx(REPEAT_FACTOR * 0.02)
    w.longest[("mod", "spin")] = 0.5
    assert w._budget("mod", "spin", None)[0] == 1.0            # capped


def test_past_the_submission_deadline_calls_fail_at_once():
    limits = SandboxLimits(deadline=time.monotonic() - 1, submission_s=7)
    w = Worker({"mod.py": SOURCE}, limits=limits)
    try:
        out = w.call("mod", "quick", 1)
        assert out.status == "timeout" and out.info == {"phase": "submission", "seconds": 7}
    finally:
        w.kill()


def test_a_reply_larger_than_the_limit_is_a_bad_return_not_a_memory_hog():
    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(max_reply_bytes=1024 * 1024)).start()
    try:
        assert w.call("mod", "huge").status == "bad_return"
    finally:
        w.kill()


def test_only_the_substituted_functions_can_be_called_back():
    asked = []

    def reference(module, func):
        asked.append((module, func))
        return lambda *a: "the secret"

    w = Worker({"mod.py": SOURCE}, substitute={"other": ["allowed"]},
               reference=reference).start()
    try:
        out = w.call("mod", "ask_reference")
        assert out.status == "error" and "not available" in out.info["message"]
        assert asked == []
    finally:
        w.kill()


def test_workers_forked_by_the_zygote_start_in_well_under_a_second():
    if _report()["mode"] != "zygote":
        pytest.skip("no zygote on this system")
    started = time.monotonic()
    for _ in range(5):
        w = Worker({"mod.py": SOURCE}).start()
        assert w.call("mod", "quick", np.arange(3)).status == "ok"
        w.kill()
    assert (time.monotonic() - started) / 5 < 0.5


def test_the_unprivileged_user_namespace_path_isolates_too(tmp_path):
    """The path a normal user (a student's laptop) takes, tried here with GRADER_SANDBOX_USERNS."""
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    import subprocess

    source = f"import os\ndef f():\n    return os.path.exists({str(config.SOLUTIONS_DIR)!r})\n"
    script = (
        "from grader.sandbox.runner import Worker\n"
        "from grader.sandbox.launcher import isolation_report\n"
        f"w = Worker({{'m.py': {source.encode()!r}}}).start()\n"
        "print(w.call('m', 'f').value, isolation_report()['filesystem'])\n"
        "w.kill()\n")
    env = dict(os.environ, GRADER_SANDBOX_USERNS="1",
               PYTHONPATH=str(config.REPO_DIR) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    visible, hidden = done.stdout.split()
    if hidden == "True":
        assert visible == "False"


def test_the_popen_fallback_still_runs_student_code_with_limits(monkeypatch):
    from grader.sandbox import launcher

    monkeypatch.setitem(launcher._LAUNCHER, "pid", os.getpid())
    monkeypatch.setitem(launcher._LAUNCHER, "obj", launcher.PopenLauncher(reason="test"))
    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(call_timeout_s=1.0)).start()
    try:
        assert w.call("mod", "quick", 5).value == 5
        assert w.call("mod", "spin").status == "timeout"
        assert w.call("mod", "segfault").status == "crashed"
        assert launcher.isolation_report()["mode"] == "popen"
    finally:
        w.kill()
