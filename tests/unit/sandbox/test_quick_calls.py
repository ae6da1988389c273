"""A function that computes one result gets config.QUICK_CALL_TIMEOUT_S per call, one that
trains (an exercise's ``long_running``) the whole call limit; loading modules during a call
is not counted against either, up to the call limit, whatever the worker says."""

import time

import pytest

from grader import config
from grader.sandbox.runner import SandboxLimits, Worker, registry_long_running

pytestmark = pytest.mark.sandbox

SOURCE = b'''
import time

def _busy(seconds):
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass

def spin(x):
    while True:
        pass

def busy(seconds):
    _busy(seconds)
    return seconds

def imports_slow_helper(x):
    import slow_helper             # its top level computes for LOAD_S
    return slow_helper.VALUE + x

def keeps_allocating(x):
    import numpy as np
    kept = [np.ones(1_000_000) for _ in range(48)]     # 384 MB, 8 MB at a time
    while True:                    # and more, slowly
        kept.append(np.ones(1_000))

def forges_array(field):
    import __main__
    import numpy as np
    message = {"op": "importing", "id": __main__.STATE["call_id"]}
    message[field] = np.arange(3)  # compared by the judge: an array raised ValueError there
    __main__.write_message(__main__.REP_FD, message)
    return 1

def forges_loads(pairs):
    import __main__
    call = __main__.STATE["call_id"]
    if pairs:
        for _ in range(1000):      # claims a load of 0.1 s, again and again
            __main__.write_message(__main__.REP_FD, {"op": "importing", "id": call})
            _busy(0.1)
            __main__.write_message(__main__.REP_FD, {"op": "imported", "id": call})
    else:                          # claims a load that never ends
        __main__.write_message(__main__.REP_FD, {"op": "importing", "id": call})
    while True:
        pass
'''

QUICK = config.QUICK_CALL_TIMEOUT_S
LOAD_S = 1.5 * QUICK                # a load longer than a quick call's limit

SLOW_HELPER = b'''
import time
_end = time.perf_counter() + %.2f
while time.perf_counter() < _end:
    pass
VALUE = 41
''' % LOAD_S

SLOW_TOP = SOURCE + b'''
_busy(%.2f)                          # the module's own top level
''' % LOAD_S

BIG_TOP = b'''
import numpy as np
TABLE = np.ones(40_000_000)         # 320 MB held from the top level (data, not a leak)

def spin(x):
    while True:
        pass
'''

ENDLESS_TOP = b'''
while True:
    pass

def f(x):
    return x
'''

# The most a quick call may last on a crowded CPU (the deadline moves by the time others
# took the CPU, up to LOADED_WALL_FACTOR times the limit), plus slack for start-up.
CROWDED = QUICK * config.LOADED_WALL_FACTOR + 0.5


def _worker(files, **limits):
    return Worker(files, limits=SandboxLimits(**{"call_timeout_s": 2.0, **limits})).start()


def _timed(w, *call):
    started = time.monotonic()
    out = w.call(*call)
    return out, time.monotonic() - started


def test_the_course_declares_its_training_functions_long_running():
    assert {("perceptron", "train"), ("sgd", "train"), ("optimizers", "train"),
            ("early_stopping", "train_with_early_stopping")} <= registry_long_running()
    assert ("activations", "sigmoid") not in registry_long_running()
    assert SandboxLimits().quick_call_timeout_s == QUICK < SandboxLimits().call_timeout_s
    assert not SandboxLimits().profile("keras").quick_call_timeout_s


def test_an_endless_quick_function_is_stopped_at_the_quick_limit():
    w = _worker({"mod.py": SOURCE})
    try:
        out, took = _timed(w, "mod", "spin", 1)
        assert out.status == "timeout" and out.info["seconds"] == pytest.approx(QUICK), out.info
        assert took < CROWDED
    finally:
        w.kill()


def test_after_a_function_hung_the_other_quick_functions_of_its_module_keep_their_limit():
    """rev7i F1: limits measured on a function's small visible calls cut a correct one short
    on a large hidden input; only the function that hung gets less time."""
    w = _worker({"mod.py": SOURCE})
    try:
        assert w.call("mod", "busy", 0.01).status == "ok"            # a small call first
        assert w.call("mod", "spin", 1).status == "timeout"
        assert w.call("mod", "busy", 0.6 * QUICK).status == "ok"     # then a large one
        out = w.call("mod", "spin", 1)                               # the one that hung
        assert out.status == "timeout" and out.info["seconds"] <= 0.25, out.info
    finally:
        w.kill()


def test_a_long_running_function_gets_the_whole_call_limit():
    w = _worker({"mod.py": SOURCE}, long_running=frozenset({("mod", "busy")}))
    try:
        assert w.call("mod", "busy", QUICK + 0.5).status == "ok"
    finally:
        w.kill()
    w = _worker({"mod.py": SOURCE})           # the same call of a quick function
    try:
        assert w.call("mod", "busy", QUICK + 0.5).status == "timeout"
    finally:
        w.kill()


def test_loading_the_students_module_is_not_counted_against_its_first_call():
    w = _worker({"mod.py": SLOW_TOP})
    try:
        out, took = _timed(w, "mod", "busy", 0.01)
        assert out.status == "ok", out.info
        assert took > LOAD_S > QUICK
    finally:
        w.kill()


def test_an_import_inside_a_quick_function_is_not_counted():
    w = _worker({"mod.py": SOURCE, "slow_helper.py": SLOW_HELPER})
    try:
        out, took = _timed(w, "mod", "imports_slow_helper", 1)
        assert out.status == "ok" and out.value == 42, out.info
        assert took > LOAD_S > QUICK
        assert w.call("mod", "spin", 1).info["seconds"] == pytest.approx(QUICK)   # clock on
    finally:
        w.kill()


def test_a_module_that_never_finishes_loading_is_stopped_at_the_call_limit_and_says_so():
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem

    w = _worker({"mod.py": ENDLESS_TOP}, call_timeout_s=1.5)
    try:
        out, took = _timed(w, "mod", "f", 1)
        assert out.status == "timeout" and out.info["seconds"] == pytest.approx(1.5), out.info
        assert out.info.get("loading") is True
        assert took < 1.5 + CROWDED
        # rev6i F2: told that loading the module ran out of time, not "an infinite loop?"
        _, feedback = problem_feedback(StudentProblem("mod", "f", out))
        assert "__main__" in feedback.render("en") and "loading its module" in feedback.render(
            "en") and "cargar su módulo" in feedback.render("es")
        second = w.call("mod", "f", 1)        # rev6h F2: not 1.5 s of loading at every call
        assert second.info.get("loading") and second.info["seconds"] <= 0.25, second.info
        again = w.call("mod", "f", 1)          # twice without an end: not run, and why
        assert again.info.get("repeated") and again.info.get("loading"), again.info
        _, feedback = problem_feedback(StudentProblem("mod", "f", again))
        assert "loading its module" in feedback.render("en")
    finally:
        w.kill()


def test_a_quick_function_that_keeps_allocating_is_told_so_at_its_timeout():
    """rev6i F3: a list growing in a loop reached the quick limit before its MemoryError and
    was reported as "an infinite loop?"."""
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem

    w = _worker({"mod.py": SOURCE}, memory_mb=1024)
    try:
        out = w.call("mod", "keeps_allocating", 1)
        assert out.status == "timeout" and out.info.get("memory_grew_mb", 0) >= 256, out.info
        _, feedback = problem_feedback(StudentProblem("mod", "keeps_allocating", out))
        assert "memory grew" in feedback.render("en") and "memoria" in feedback.render("es")
        spin = w.call("mod", "spin", 1)         # a plain loop is not said to allocate
        assert spin.status == "timeout" and "memory_grew_mb" not in spin.info, spin.info
    finally:
        w.kill()


@pytest.mark.parametrize("pairs", [False, True])
def test_student_code_claiming_loads_buys_no_more_than_the_call_limit(pairs):
    w = _worker({"mod.py": SOURCE}, call_timeout_s=1.5)
    try:
        out, took = _timed(w, "mod", "forges_loads", pairs)
        assert out.status == "timeout", out.info
        assert took < 1.5 + CROWDED      # not 1000 x 0.1 s
    finally:
        w.kill()


@pytest.mark.parametrize("field", ["op", "id"])
def test_a_message_with_an_array_for_its_op_or_id_is_a_protocol_error_not_a_crash(field):
    """rev6h F8: ``{"op": np.arange(3)}`` made the judge raise ValueError (an internal
    error of the grader, the row sent to the instructor)."""
    w = _worker({"mod.py": SOURCE})
    try:
        out = w.call("mod", "forges_array", field)
        assert out.status == "protocol", out
        assert w.call("mod", "busy", 0.0).status == "ok"       # a fresh worker after it
    finally:
        w.kill()


def test_a_function_that_looped_does_not_shorten_the_loads_of_its_module():
    """rev6v N1: after one endless function, every later load of its module got the short
    limit: a module with a slow top level (scipy, a plot) lost all its other functions."""
    w = _worker({"mod.py": SLOW_TOP}, call_timeout_s=2.0 * LOAD_S)
    try:
        assert w.call("mod", "spin", 1).status == "timeout"
        out = w.call("mod", "busy", 0.01)        # a fresh worker: the module loads again
        assert out.status == "ok", out.info
    finally:
        w.kill()


def test_what_a_module_holds_from_its_top_level_is_not_called_memory_growth():
    """rev6v N2: growth was counted from the worker's start, so a module's own data (or a
    thread's reserved address space) made a plain loop "keep adding to a list"."""
    w = _worker({"mod.py": BIG_TOP}, memory_mb=1024)
    try:
        out = w.call("mod", "spin", 1)
        assert out.status == "timeout" and "memory_grew_mb" not in out.info, out.info
    finally:
        w.kill()
