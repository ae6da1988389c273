"""Grading one submission, in a judge process (trusted: it never runs student code).

``grade_files`` runs the public and hidden checks with the student's code in
sandboxed workers and returns a plain-data record (see records.py): statuses,
points from the rubric, language-neutral feedback. ``judge_main`` is the loop
of one judge process of the pool (pool.py).

Dependencies are handled in one run so that a mistake in one exercise costs
no points in another, and students who got them right pay no callbacks: an
exercise's checks run after those of the exercises it depends on, and its
worker gets the reference for each dependency whose checks did not all pass
(session.FAILED_ONLY).
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback

from grader import config

SUITES = ("public", "hidden", "keras")   # keras: compared with cached Keras results, no TensorFlow


def sandbox_limits(settings: dict):
    """The workers' limits for the batch ``settings`` (call timeout, memory, and a
    submission deadline from now); the batch reports the Keras workers' from them too."""
    from grader.sandbox.runner import SandboxLimits

    budget = float(settings.get("submission_s") or config.SUBMISSION_TIMEOUT_S)
    return SandboxLimits(call_timeout_s=float(settings.get("call_timeout_s")
                                              or config.GRADE_CALL_TIMEOUT_S),
                         memory_mb=int(settings.get("memory_mb") or config.MEMORY_LIMIT_MB),
                         deadline=time.monotonic() + budget, submission_s=budget,
                         keras_device=settings.get("keras_device") or None)


def grade_files(files: dict, *, seed: int, settings: dict, forbidden: list[str]) -> dict:
    """Run public and hidden checks on one student's files; the record of the outcome.

    ``settings["assignment"]`` (grader.assignments.to_dict data; default: assignment 1)
    names the exercises graded and their points.
    """
    from grader.assignments import get
    from grader.checks.engine import run_checks
    from grader.checks.session import FAILED_ONLY
    from grader.grading.records import results_to_record

    started = time.monotonic()
    limits = sandbox_limits(settings)
    assignment = get(settings.get("assignment"))
    substituted: dict = {}
    results = run_checks(files, exercises=assignment.exercises, suites=SUITES,
                         lang=config.DEFAULT_LANGUAGE, seed=seed, graded=True, limits=limits,
                         forbidden_roots=forbidden, assignment=assignment,
                         substitute=FAILED_ONLY, substituted=substituted)
    record = results_to_record(results.checks, total_points=results.total_points)
    record["assignment"] = assignment.name
    record["exercises"] = list(assignment.exercises)       # the gradebook's columns
    record["substituted"] = sorted({d for deps in substituted.values() for d in deps})
    record["deadline_exceeded"] = time.monotonic() > limits.deadline
    record["seconds"] = round(time.monotonic() - started, 3)    # wall time, for the bench
    return record


_PRIMED: dict = {"key": None}


def prime_answers(seed: int, settings: dict, forbidden: list[str]):
    """Fill this judge's kept callback answers (runner.answer_cache) from the reference's own
    code, then freeze them, before the students of a seed and an assignment are graded.

    The reference's solutions are checked with every dependency substituted, so every
    callback a correct module makes while a failed dependency is substituted is asked once
    here (a class whose backprop fails trains ``sgd.train`` through the same ~800
    callbacks). Students then only read the caches: what they hold depends on no student,
    so timing a callback tells a student nothing about another one or about hidden inputs
    (rev8a). About 1 s per judge; nothing kept where it fails (then every callback is
    answered the long way, as without the caches)."""
    import json

    from grader.assignments import get
    from grader.checks.engine import run_checks
    from grader.exercises import EXERCISES, closure
    from grader.sandbox.runner import answer_cache

    key = json.dumps([seed, settings.get("assignment")], sort_keys=True, default=str)
    if _PRIMED["key"] == key:
        return
    _PRIMED["key"] = key
    caches = (answer_cache(False), answer_cache(True))
    for cache in caches:
        cache.clear()
        cache.frozen = False
    try:
        assignment = get(settings.get("assignment"))
        # only exercises with dependencies make callbacks; the Keras profile trains in
        # workers of its own and gains nothing here
        users = [e for e in assignment.exercises if len(closure(e)) > 1
                 and getattr(EXERCISES.get(e), "sandbox", "default") != "keras"]
        files = {}
        for name in {d for e in users for d in closure(e)}:
            path = config.SOLUTIONS_DIR / EXERCISES[name].filename
            files[path.name] = path.read_bytes()
        if users:
            run_checks(files, exercises=users, suites=SUITES, lang=config.DEFAULT_LANGUAGE,
                       seed=seed, graded=True, limits=sandbox_limits(settings),
                       forbidden_roots=forbidden, assignment=assignment, substitute=None)
    except Exception:  # noqa: BLE001 - no kept answers: slower, never wrong
        for cache in caches:
            cache.clear()
    finally:
        for cache in caches:
            cache.frozen = True


def _isolation() -> dict:
    from grader.sandbox.launcher import isolation_report

    try:
        return isolation_report()
    except Exception as exc:  # noqa: BLE001 - reported, never fatal
        return {"mode": "unknown", "network": False, "filesystem": False, "processes": False,
                "privileges": False, "process_limit": False, "notes": [str(exc)[:200]]}


def _maxrss_kb() -> int:
    """This process's peak resident memory so far (KiB; the batch reports the largest).

    VmHWM, the high-water mark of this program's own memory: getrusage's ru_maxrss
    would also count the parent's memory copied by the fork before the exec.
    """
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource

        return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    except (ImportError, OSError):
        return 0


def judge_entry():
    """``python -c`` entry of a judge: argv = [root, fd, parent pid, forbidden, cpu (JSON)]."""
    import json
    from multiprocessing.connection import Connection

    fd, parent_pid = int(sys.argv[2]), int(sys.argv[3])
    cpu = json.loads(sys.argv[5]) if len(sys.argv) > 5 else None
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {int(cpu)})   # inherited by the zygote and its workers
        except OSError:
            pass
    judge_main(Connection(fd), parent_pid, json.loads(sys.argv[4]))


def judge_main(conn, parent_pid: int, forbidden: list[str]):
    """One judge process: grade the submissions the batch sends until it sends None."""
    from grader.sandbox.isolation import iso_set_parent_death_signal

    iso_set_parent_death_signal()            # die with the batch, even on kill -9
    if os.getppid() != parent_pid:
        os._exit(0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from grader.baseline import suite
    from grader.checks import engine  # warm imports before the first task

    engine.KEEP_CHECK_MODULES = True         # this process only ever runs the checks
    suite.MEMOIZE = True                     # and the Keras cache does not change meanwhile
    from grader.reference import reference
    from grader.sandbox.launcher import shutdown

    try:
        reference()
    except Exception:  # noqa: BLE001 - the rubric run reports it per check
        pass
    conn.send({"op": "ready", "isolation": _isolation(), "pid": os.getpid()})
    try:
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                break
            if task is None:
                break
            try:
                prime_answers(task["seed"], task["settings"], forbidden)
                record = grade_files(task["files"], seed=task["seed"], settings=task["settings"],
                                     forbidden=forbidden)
                conn.send({"op": "done", "key": task["key"], "record": record,
                           "maxrss_kb": _maxrss_kb()})
            except Exception:  # noqa: BLE001 - a grader bug: reported for this submission
                conn.send({"op": "failed", "key": task["key"], "maxrss_kb": _maxrss_kb(),
                           "error": traceback.format_exc(limit=8)[-2000:]})
    finally:
        shutdown()
        sys.stdout.flush()
