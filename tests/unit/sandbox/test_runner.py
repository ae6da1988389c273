"""Student code runs in a worker process; every failure comes back as data."""

import time

import numpy as np
import pytest

from grader.sandbox.runner import SandboxLimits, StudentProxy, Worker

pytestmark = pytest.mark.sandbox

SOURCE = b'''
import os, sys, time
import numpy as np

def double(x):
    print("doubling")
    return 2 * np.asarray(x, dtype=float)

def todo(x):
    raise NotImplementedError("later")

def calls_todo(x):
    return todo(x)

def boom(x):
    return 1 / 0

def spin(x):
    while True:
        pass

def leave(x):
    os._exit(7)

def quit_(x):
    sys.exit(3)

def mutate(x):
    x += 1
    return x

def gen(n):
    for i in range(n):
        yield (i, i * i)

def evil():
    class E:
        pass
    return E()

def flood(x):
    for _ in range(200000):
        print("spam spam spam spam spam spam spam spam")
    return x

def read_secret(path):
    return open(path).read()

def listing():
    return sorted(os.listdir("."))

def global_draws():
    import random
    return [float(v) for v in np.random.random(4)] + [random.random()]

def uses_helper(z):
    import helper_mod
    return helper_mod.square(z) + 1
'''


@pytest.fixture
def worker():
    w = Worker({"mod.py": SOURCE}, limits=SandboxLimits(call_timeout_s=2.0, quick_call_timeout_s=0)).start()
    yield w
    w.kill()


def test_a_successful_call_returns_the_value_and_the_printed_output(worker):
    out = worker.call("mod", "double", [1.0, 2.0])
    assert out.status == "ok"
    np.testing.assert_array_equal(out.value, [2.0, 4.0])
    assert "doubling" in out.output


def test_not_implemented_is_reported_with_the_function_that_raised_it(worker):
    out = worker.call("mod", "calls_todo", 1)
    assert out.status == "not_implemented" and out.info["where"] == "todo"


def test_an_exception_comes_back_with_a_traceback_trimmed_to_the_student_file(worker):
    out = worker.call("mod", "boom", 1)
    assert out.status == "error" and out.info["type"] == "ZeroDivisionError"
    assert "mod.py" in out.info["traceback"] and "worker_main" not in out.info["traceback"]


def test_an_infinite_loop_times_out_and_the_next_call_gets_a_fresh_worker(worker):
    out = worker.call("mod", "spin", 1)
    assert out.status == "timeout" and out.info["seconds"] == pytest.approx(2.0, abs=0.2)
    assert worker.call("mod", "double", 1).status == "ok"


def test_os_exit_and_sys_exit_cost_only_that_call(worker):
    assert worker.call("mod", "leave", 1).status == "crashed"
    assert worker.call("mod", "quit_", 1).status == "exit"
    assert worker.call("mod", "double", 1).status == "ok"


def test_arguments_after_the_call_reveal_in_place_modification(worker):
    out = worker.call("mod", "mutate", np.zeros(3), return_args=True)
    np.testing.assert_array_equal(out.args_after[0], np.ones(3))


def test_generators_are_materialized_into_lists(worker):
    out = worker.call("mod", "gen", 3)
    assert out.value == [(0, 0), (1, 1), (2, 4)]


def test_objects_that_are_not_plain_data_are_refused(worker):
    assert worker.call("mod", "evil").status == "bad_return"


def test_a_flood_of_output_is_truncated_and_the_value_still_arrives(worker):
    out = worker.call("mod", "flood", 5, timeout=20)
    assert out.status == "ok" and out.value == 5
    assert len(out.output) < 20_000 and "dropped" in out.output


def test_reading_a_forbidden_path_is_refused_and_recorded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("answer")
    w = Worker({"mod.py": SOURCE}, forbidden_roots=[str(tmp_path)]).start()
    try:
        out = w.call("mod", "read_secret", str(secret))
        assert out.status == "violation"
        assert out.violations and out.violations[0]["kind"] == "read_reference"
    finally:
        w.kill()


def test_the_worker_runs_in_its_own_directory_with_only_the_student_files(worker):
    out = worker.call("mod", "listing")
    assert out.ok
    assert out.value == ["mod.py"]


def test_substituted_functions_call_back_into_the_judge():
    calls = []

    def reference(module, func):
        def square(z):
            calls.append(z)
            return np.asarray(z) ** 2
        return square

    w = Worker({"mod.py": SOURCE}, substitute={"helper_mod": ["square"]},
               reference=reference).start()
    try:
        out = w.call("mod", "uses_helper", np.array([3.0]))
        assert out.status == "ok"
        np.testing.assert_array_equal(out.value, [10.0])
        assert len(calls) == 1
    finally:
        w.kill()


def test_a_reference_run_for_a_callback_stops_at_the_calls_deadline():
    """Arguments within every size bound can still ask the reference for endless work
    (epochs=10**9): the judge stops it when the student's call runs out of time."""
    def reference(module, func):
        def square(z):
            while True:
                pass
        return square

    w = Worker({"mod.py": SOURCE}, substitute={"helper_mod": ["square"]}, reference=reference,
               limits=SandboxLimits(call_timeout_s=0.5)).start()
    try:
        started = time.monotonic()
        out = w.call("mod", "uses_helper", np.array([3.0]))
        assert out.status == "timeout"
        assert time.monotonic() - started < 0.5 * 4 + 2          # the loaded-machine factor
        assert w.call("mod", "double", 2.0).value == 4.0          # a new worker serves on
    finally:
        w.kill()


def test_a_worker_that_stops_reading_cannot_hold_the_judge_on_a_full_pipe():
    """The worker asks for a large answer it never reads: the judge's write has the call's
    deadline."""
    source = SOURCE + (
        b"\n\ndef stall(n):\n"
        b"    import __main__, time\n"
        b"    __main__.write_message(__main__.REP_FD, {'op': 'callback', 'module': 'helper_mod',"
        b" 'func': 'square', 'args': [__main__.np.zeros(n)], 'kwargs': {}})\n"
        b"    time.sleep(60)\n")

    def reference(module, func):
        return lambda z: np.asarray(z) ** 2

    w = Worker({"mod.py": source}, substitute={"helper_mod": ["square"]}, reference=reference,
               limits=SandboxLimits(call_timeout_s=0.5)).start()
    try:
        started = time.monotonic()
        out = w.call("mod", "stall", 1_000_000)
        assert out.status == "timeout" and time.monotonic() - started < 0.5 * 4 + 2
    finally:
        w.kill()


def test_the_proxy_raises_student_problem_for_any_failure(worker):
    from grader.checks.errors import StudentProblem

    proxy = StudentProxy(worker)
    np.testing.assert_array_equal(proxy.mod.double(2.0), 4.0)
    with pytest.raises(StudentProblem) as info:
        proxy.mod.todo(1)
    assert info.value.outcome.status == "not_implemented"


def test_the_students_files_never_go_through_the_zygote(monkeypatch):
    """The zygote serves student after student and every worker inherits its heap: the files
    travel on the worker's own pipe, not in the spawn request."""
    from grader.sandbox import launcher

    seen = []
    zygote = launcher.launcher([])
    real = type(zygote).spawn

    def spawn(self, worker_config, *args, **kwargs):
        seen.append(worker_config)
        return real(self, worker_config, *args, **kwargs)

    monkeypatch.setattr(type(zygote), "spawn", spawn)
    w = Worker({"mod.py": SOURCE}).start()
    try:
        assert w.call("mod", "double", 2.0).value == 4.0
    finally:
        w.kill()
    assert seen and all(c["files"] == {} and c["files_on_pipe"] for c in seen)


def test_each_worker_starts_with_its_own_global_random_state():
    """Workers are forked from one zygote: without a fresh seed, every worker would draw the
    same numbers from numpy's (and the random module's) global state, and a function that
    uses it would look reproducible whenever two calls land in two workers."""
    draws = []
    for _ in range(2):
        w = Worker({"mod.py": SOURCE}).start()
        try:
            draws.append(w.call("mod", "global_draws").value)
        finally:
            w.kill()
    assert len(draws[0]) == 5 and draws[0][:4] != draws[1][:4] and draws[0][4] != draws[1][4]


IDLE_SOURCE = b'''
import threading, time

def nap(seconds):
    time.sleep(seconds)
    return "rested"

def work(seconds):
    end = time.time() + seconds
    while time.time() < end:
        pass
    return "worked"

def nap_then_work(seconds):
    time.sleep(0.4)
    return work(seconds)

def work_in_a_thread(seconds):
    thread = threading.Thread(target=work, args=(seconds,))
    thread.start()
    thread.join()
    return "worked"
'''


@pytest.mark.parametrize("func", ["work", "nap_then_work", "work_in_a_thread"])
def test_a_call_that_computes_for_longer_than_the_idle_window_is_not_stopped(func):
    from grader import config

    seconds = config.IDLE_WINDOW_S * 1.8
    w = Worker({"mod.py": IDLE_SOURCE}, limits=SandboxLimits(call_timeout_s=6.0, quick_call_timeout_s=0)).start()
    try:
        out = w.call("mod", func, seconds)
        assert out.status == "ok" and out.value == "worked", (out.status, out.info)
    finally:
        w.kill()


def test_a_call_that_sits_idle_is_stopped_after_the_idle_window_and_says_why():
    from grader import config
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem

    w = Worker({"mod.py": IDLE_SOURCE}, limits=SandboxLimits(call_timeout_s=6.0, quick_call_timeout_s=0)).start()
    try:
        started = time.monotonic()
        out = w.call("mod", "nap", 60)
        took = time.monotonic() - started
        assert out.status == "timeout" and out.info.get("idle") is True, out.info
        assert config.IDLE_WINDOW_S <= took < config.IDLE_WINDOW_S + 1.5
        again = w.call("mod", "nap", 60)       # it hangs again: refused at once, still idle
        again = w.call("mod", "nap", 60) if not again.info.get("repeated") else again
        assert again.info.get("repeated") and again.info.get("idle"), again.info
        status, feedback = problem_feedback(StudentProblem("mod", "nap", out))
        assert status == "timeout" and "sleep" in feedback.render("en")
        assert "sleep" in feedback.render("es")
    finally:
        w.kill()


@pytest.mark.parametrize("func, idle", [("nap", True), ("work", False)])
def test_a_limit_shorter_than_the_idle_window_still_tells_a_wait_from_a_loop(func, idle):
    """rev4i F2: after a first timeout a function gets a short limit (0.25 s), shorter than
    the idle window; a sleep meeting it was told "an infinite loop?". The CPU the worker
    used before the limit tells the two apart."""
    from grader import config
    from grader.sandbox.runner import REPEAT_FLOOR_S

    w = Worker({"mod.py": IDLE_SOURCE}, limits=SandboxLimits(call_timeout_s=6.0)).start()
    try:
        first = w.call("mod", func, 60, timeout=config.IDLE_WINDOW_S * 1.5)
        assert first.status == "timeout", first.info
        short = w.call("mod", func, 60)
        assert short.status == "timeout" and not short.info.get("repeated"), short.info
        assert short.info["seconds"] <= max(REPEAT_FLOOR_S, 0.3) < config.IDLE_WINDOW_S
        assert bool(short.info.get("idle")) is idle, short.info
    finally:
        w.kill()


def test_the_keras_profile_is_not_watched_for_idleness():
    assert SandboxLimits().watch_idle is True
    assert SandboxLimits().profile("keras").watch_idle is False


FORGING_SOURCE = b'''
import __main__

def forge(x, with_id=None, **claims):
    reply = {"status": "ok", "value": 0.5, "violations": [], **claims}
    if with_id is not None:
        reply["id"] = with_id
    __main__.write_message(__main__.REP_FD, reply)      # an answer to no request
    return 2 * x

def double(x):
    return 2 * x
'''


def test_a_reply_student_code_writes_itself_never_answers_a_later_call():
    """The hostile review's desynchronizer: one extra reply on the channel made every later
    call take the previous call's answer. Replies carry the id of their request now."""
    w = Worker({"mod.py": FORGING_SOURCE}, limits=SandboxLimits(call_timeout_s=5.0)).start()
    try:
        assert w.call("mod", "forge", 1).value == 2          # the forged reply is dropped
        assert w.call("mod", "double", 3).value == 6
        current = w._call_id + 1                              # one it can guess
        forged = w.call("mod", "forge", 1, current)           # its own call: its own answer
        assert forged.value == 0.5
        assert [w.call("mod", "double", n).value for n in (4, 5)] == [8, 10]   # in step
    finally:
        w.kill()


@pytest.mark.parametrize("claims", [
    {"status": "crashed", "sandbox": "the cgroup could not be made"},
    {"status": "crashed", "memory_mb": 4096, "signal": "SIGKILL"},
    {"status": "timeout", "idle": True, "phase": "call", "seconds": 3},
])
def test_student_code_cannot_claim_what_only_the_grader_can_tell(claims):
    """A death, a timeout, an isolation failure (an internal error that sends the row to the
    instructor) or a memory cgroup's kill is said by the runner, never by a reply."""
    w = Worker({"mod.py": FORGING_SOURCE}, limits=SandboxLimits(call_timeout_s=5.0)).start()
    try:
        assert w.call("mod", "double", 1).value == 2
        outcome = w.call("mod", "forge", 1, w._call_id + 1, **claims)
        assert outcome.status == "protocol"
        assert not {"sandbox", "memory_mb", "idle", "signal"} & set(outcome.info)
    finally:
        w.kill()


def test_a_reply_without_the_arguments_asked_for_is_a_protocol_error():
    """rev7h F1: a forged reply with the call's id and no ``args_after`` made the check that
    asked for them fail on an internal grader error, a row sent to the instructor at will."""
    w = Worker({"mod.py": FORGING_SOURCE}, limits=SandboxLimits(call_timeout_s=5.0)).start()
    try:
        asked = w.call("mod", "forge", 1, w._call_id + 1, return_args=True)
        assert asked.status == "protocol" and "arguments" in asked.info["message"], asked
        assert w.call("mod", "forge", 1, w._call_id + 1).value == 0.5      # not asked: as ever
        honest = w.call("mod", "double", 3, return_args=True)
        assert honest.ok and honest.args_after == [3]
    finally:
        w.kill()


PADDER = b'''
import sys as _sys
import numpy as np

_main = _sys.modules["__main__"]
_write = _main.write_message
_PAD = np.zeros(100_000)


def _padded(fd, value):
    if isinstance(value, dict) and value.get("status") == "ok" and "args_after" not in value:
        value["args_after"] = [_PAD]             # arguments nobody asked for, 800 KB a reply
    return _write(fd, value)


_main.write_message = _padded


def double(x):
    return 2 * np.asarray(x)
'''


def test_a_check_keeps_no_call_values_and_unrequested_arguments_are_dropped():
    """A check that makes many calls holds their output and violations only; a reply padded
    with arguments the call did not ask for is not kept either (revHost2: 370 MB judge)."""
    w = Worker({"pad.py": PADDER}).start()
    try:
        proxy = StudentProxy(w)
        outcome = proxy.call("pad", "double", np.ones(3))
        assert outcome.ok and outcome.value.tolist() == [2.0, 2.0, 2.0]
        assert outcome.args_after is None                 # not asked for: dropped
        asked = proxy.call("pad", "double", np.ones(3), return_args=True)
        assert asked.args_after is not None               # asked for: what the worker sent
        kept = [o for _, _, o in proxy.calls]
        assert [o.status for o in kept] == ["ok", "ok"]
        assert all(o.value is None and o.args_after is None and o.callbacks == []
                   for o in kept)
    finally:
        w.kill()


PLOTTING = b'''
import numpy as np
import matplotlib.pyplot as plt        # a student's habit from the notebooks


def double(x):
    return 2 * np.asarray(x)


def shell():
    import subprocess
    return subprocess.run(["true"]).returncode
'''


def test_a_library_that_tries_to_start_a_program_is_refused_without_blaming_the_student():
    """revIndep2: a correct sgd.py with `import matplotlib.pyplot as plt` got 0/20 (matplotlib
    runs fc-list when it first builds its font cache). An installed library's attempt is
    refused with an OSError it may handle, and is no violation; the student's own attempt
    still is."""
    pytest.importorskip("matplotlib")
    w = Worker({"sgd.py": PLOTTING}, limits=SandboxLimits(call_timeout_s=30)).start()
    try:
        ok = w.call("sgd", "double", [1.0, 2.0])
        assert ok.status == "ok" and ok.value.tolist() == [2.0, 4.0], ok.info
        assert ok.violations == []
        own = w.call("sgd", "shell")
        assert own.status == "violation"
        assert [v["kind"] for v in own.violations] == ["forbidden_operation"]
    finally:
        w.kill()


# -- the reference's answers, kept by the exact bytes of the request ------------------------------
CACHED_SOURCE = SOURCE + b'''

def uses_helper_twice(z):
    import helper_mod
    return [helper_mod.square(z), helper_mod.square(z)]

def draws(seed):
    import helper_mod
    rng = np.random.default_rng(seed)
    first = helper_mod.mask((3,), rng)
    return [first, helper_mod.mask((3,), rng), rng.random()]

def forged_square(z):
    import __main__
    __main__.write_message(__main__.REP_FD, {"op": "callback", "module": "helper_mod",
                                              "func": "square", "args": [z], "kwargs": {}})
    return __main__.read_message(__main__.REQ_FD)
'''


def _counting_reference(calls, fail_on=None):
    """A reference whose functions are the same objects at every lookup (as the judge's)."""
    def square(z):
        calls.append(("square", np.asarray(z).tolist()))
        if fail_on is not None and np.asarray(z).tolist() == fail_on:
            raise ValueError("not this one")
        return np.asarray(z) ** 2

    def mask(shape, rng):
        calls.append(("mask", tuple(shape)))
        return (rng.random(shape) > 0.5).astype(float)

    functions = {"square": square, "mask": mask}
    return lambda module, func: functions[func]


def test_a_request_answered_before_byte_for_byte_is_answered_again_without_the_reference():
    """A class whose backprop is substituted trains through the same callbacks, student
    after student: the judge answers a request it has seen with the answer it gave."""
    from grader.sandbox.runner import AnswerCache

    calls, kept = [], AnswerCache()
    reference = _counting_reference(calls)
    z = np.array([1.5, -2.25, 123456.789])
    first = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
                   reference=reference, answers=kept).start()
    second = Worker({"mod.py": CACHED_SOURCE + b"\n# another student\n"},
                    substitute={"helper_mod": ["square"]}, reference=reference,
                    answers=kept).start()
    try:
        out = first.call("mod", "uses_helper_twice", z)
        again = second.call("mod", "uses_helper_twice", z)
        assert out.ok and again.ok
        for value in out.value + again.value:
            np.testing.assert_array_equal(value, z ** 2)
        assert calls == [("square", z.tolist())]          # one run for four requests
    finally:
        first.kill()
        second.kill()


def test_a_kept_answer_is_given_only_where_the_same_function_would_answer():
    """Another reference (another function object) computes its own answer; a worker that
    may not ask for the function is refused as before, even for a request kept byte for
    byte; a reference that raised is asked again (errors are not kept)."""
    from grader.sandbox.runner import AnswerCache

    z = np.array([7.5, 8.25, 987654.321])
    ours, theirs, kept = [], [], AnswerCache()
    reference = _counting_reference(ours)
    first = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
                   reference=reference, answers=kept).start()
    other = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
                   reference=_counting_reference(theirs), answers=kept).start()
    barred = Worker({"mod.py": CACHED_SOURCE}, reference=reference, answers=kept).start()
    try:
        assert first.call("mod", "forged_square", z).ok      # the worker's own proxy's bytes
        assert first.call("mod", "uses_helper", z).ok
        assert ours == [("square", z.tolist())]
        assert other.call("mod", "uses_helper", z).ok
        assert theirs == [("square", z.tolist())]
        refused = barred.call("mod", "forged_square", z)
        assert refused.ok and refused.value["status"] == "error"
        assert "not available" in refused.value["message"]
        assert ours == [("square", z.tolist())]
    finally:
        for w in (first, other, barred):
            w.kill()
    failing = []
    reference = _counting_reference(failing, fail_on=[4.5])
    w = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
               reference=reference, answers=kept).start()
    try:
        for _ in range(2):
            out = w.call("mod", "uses_helper", np.array([4.5]))
            assert out.status == "error" and "not this one" in out.info["message"]
        assert len(failing) == 2
    finally:
        w.kill()


def test_a_kept_random_answer_advances_the_students_generator_as_the_reference_did():
    from grader.sandbox.runner import AnswerCache

    calls = []
    reference = _counting_reference(calls)
    w = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["mask"]},
               reference=reference, answers=AnswerCache()).start()
    try:
        first, again = w.call("mod", "draws", 20261127), w.call("mod", "draws", 20261127)
        assert first.ok and again.ok
        assert len(calls) == 2                     # two draws, each asked twice
        rng = np.random.default_rng(20261127)
        expected = [(rng.random((3,)) > 0.5).astype(float) for _ in range(2)] + [rng.random()]
        for got in (first.value, again.value):
            np.testing.assert_array_equal(got[0], expected[0])
            np.testing.assert_array_equal(got[1], expected[1])
            assert got[2] == expected[2]           # the generator went on where it had ended
    finally:
        w.kill()


def test_routed_helpers_are_asked_every_time_their_calls_are_recorded():
    from grader.sandbox.runner import AnswerCache

    calls = []
    reference = _counting_reference(calls)
    z = np.array([2.5, 3.5, 555.125])
    w = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
               reference=reference, answers=AnswerCache()).start()
    try:
        for _ in range(2):
            out = w.call("mod", "uses_helper", z, replace={"helper_mod": ["square"]})
            assert out.ok and [c["func"] for c in out.callbacks] == ["square"]
        assert len(calls) == 2
    finally:
        w.kill()


def test_the_kept_answers_stay_within_their_bound():
    from grader.sandbox.runner import AnswerCache

    frozen = AnswerCache(frozen=True)
    frozen.put(b"request", "m", "f", None, b"answer")
    assert frozen.get(b"request") is None and frozen.size == 0
    cache = AnswerCache(max_bytes=4096, max_entry=1024)
    cache.put(b"x" * 2000, "m", "f", None, b"answer")        # larger than an entry may be
    assert cache.get(b"x" * 2000) is None and cache.size == 0
    for i in range(40):
        cache.put(b"request %d" % i + b"." * 300, "m", "f", None, b"a" * 200)
        assert cache.size <= 4096
    assert cache.get(b"request 39" + b"." * 300) == ("m", "f", None, b"a" * 200)
    assert cache.get(b"request 0" + b"." * 300) is None      # it started empty again


def test_the_kept_answers_of_checks_are_frozen_and_apart_for_hidden_and_visible_workers():
    """Whether a request is kept shows in how fast it is answered: kept answers that
    students wrote let code given hidden inputs write them where a visible check read them
    back by timing, and a student tell what the one before him got wrong (rev8a). The
    caches of a check session's workers are frozen (a judge fills them from the reference,
    grader.grading.judge.prime_answers): a student's callbacks are answered and never kept;
    hidden and visible workers use two caches; a worker without a cache keeps nothing."""
    from grader.checks.session import CheckSession
    from grader.sandbox.runner import answer_cache

    assert answer_cache(True) is not answer_cache(False)
    assert answer_cache(True).frozen and answer_cache(False).frozen
    session = CheckSession(files={}, graded=True)
    assert session.worker("sgd", hidden=True).answers is answer_cache(True)
    assert session.worker("sgd", hidden=False).answers is answer_cache(False)
    calls = []
    reference = _counting_reference(calls)
    z = np.array([6.5, -1.75, 31415.9265])
    before = {hidden: dict(answer_cache(hidden).entries) for hidden in (True, False)}
    checked = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
                     reference=reference, answers=answer_cache(False)).start()
    bare = Worker({"mod.py": CACHED_SOURCE}, substitute={"helper_mod": ["square"]},
                  reference=reference).start()
    try:
        for worker in (checked, checked, bare, bare):
            assert worker.call("mod", "uses_helper", z).ok
        assert len(calls) == 4 and bare.answers is None
        assert {hidden: answer_cache(hidden).entries for hidden in (True, False)} == before
    finally:
        for w in (checked, bare):
            w.kill()
