"""A loaded machine does not turn a correct function into a timeout; a sleeping one still ends."""

import os
import subprocess
import sys
import time

import pytest

from grader.sandbox.runner import SandboxLimits, Worker, _proc_children, runqueue_wait_seconds

pytestmark = pytest.mark.sandbox

SOURCE = b'''
import time

def work(cpu_seconds):
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass
    return "done"

def nap(seconds):
    time.sleep(seconds)
    return "woke"

def load_slow():
    import slowload                 # its top level needs 0.6 s of CPU
    return slowload.VALUE
'''

SLOWLOAD = b'''
import time
_end = time.process_time() + 0.6
while time.process_time() < _end:
    pass
VALUE = 7
'''

HOG = "import os, sys\nos.sched_setaffinity(0, {int(sys.argv[1])})\nwhile True: pass\n"


def _worker_pids(worker):
    pids, todo = [], [worker.pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_proc_children(pid))
    return pids


@pytest.fixture
def crowded_worker():
    if not hasattr(os, "sched_setaffinity") or runqueue_wait_seconds(os.getpid()) is None:
        pytest.skip("no CPU affinity or schedstat on this system")
    w = Worker({"mod.py": SOURCE, "slowload.py": SLOWLOAD},
               limits=SandboxLimits(call_timeout_s=1.0, quick_call_timeout_s=0)).start()
    assert w.call("mod", "nap", 0).value == "woke"
    cpu = min(os.sched_getaffinity(0))
    for pid in _worker_pids(w):
        os.sched_setaffinity(pid, {cpu})
    hogs = [subprocess.Popen([sys.executable, "-c", HOG, str(cpu)]) for _ in range(3)]
    try:
        yield w
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        w.kill()


def test_a_function_that_needs_its_time_gets_it_on_a_crowded_cpu(crowded_worker):
    started = time.monotonic()
    out = crowded_worker.call("mod", "work", 0.6)     # 0.6 s of CPU, sharing it with 3 hogs
    assert out.status == "ok" and out.value == "done", out
    assert time.monotonic() - started > 1.0           # the clock alone would have said timeout


def test_loading_a_module_on_a_crowded_cpu_gets_what_others_took(crowded_worker):
    """rev6i F1: a load's own limit (the call limit, 1 s here) moved by nothing, so a
    module whose top level needs 0.6 s of CPU failed on a busy machine."""
    started = time.monotonic()
    out = crowded_worker.call("mod", "load_slow")
    assert out.status == "ok" and out.value == 7, (out.status, out.info)
    assert time.monotonic() - started > 1.0


def test_a_sleeping_function_still_times_out_on_time(crowded_worker):
    started = time.monotonic()
    out = crowded_worker.call("mod", "nap", 30)
    assert out.status == "timeout"
    assert time.monotonic() - started < 3.0


def test_a_reply_cut_by_a_deadline_is_resumed_not_garbled():
    from grader.sandbox import wire
    from grader.sandbox.runner import FrameReader

    r, w = os.pipe()
    try:
        body = wire.encode({"value": list(range(1000))})
        frame = len(body).to_bytes(8, "big") + body
        os.write(w, frame[:20])                       # the header and a little of the body
        reader = FrameReader(r)
        with pytest.raises(TimeoutError):
            reader.read(time.monotonic() + 0.05)
        os.write(w, frame[20:])
        assert wire.decode(reader.read(time.monotonic() + 1)) == {"value": list(range(1000))}
    finally:
        os.close(r)
        os.close(w)
