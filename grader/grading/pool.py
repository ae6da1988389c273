"""A pool of judge processes grading submissions in parallel.

Each judge (judge.judge_main) is a fresh interpreter (``python -c``, so that the
caller's main module is never imported again, unlike multiprocessing's spawn)
that loads the checks and the reference once and keeps its own zygote of
sandboxed workers. Judge and batch talk over a socket pair with
multiprocessing's Connection (both ends trusted). Judges are trusted; student code runs only in
their workers. The pool survives its judges: one that dies (or exceeds the
time a submission may take) is replaced, its submission retried once, then
reported as failed. Judges die with the batch (parent-death signal), so a
killed run leaves nothing running.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable

from grader import config


@dataclass
class Task:
    key: str
    label: str
    files: dict
    seed: int
    settings: dict
    attempts: int = 0


@dataclass
class _Judge:
    proc: subprocess.Popen
    conn: Connection
    cpu: int | None = None
    ready: bool = False
    task: Task | None = None
    started: float = 0.0
    isolation: dict = field(default_factory=dict)


class JudgePool:
    """``run(tasks, on_done)`` grades every task; ``on_done(task, record | None, error)``."""

    def __init__(self, jobs: int, forbidden: list[str], task_timeout_s: float):
        self.jobs = max(1, int(jobs))
        self.forbidden = list(forbidden)
        self.task_timeout_s = task_timeout_s
        self.judges: list[_Judge] = []
        self.isolation: dict = {}
        self.judge_maxrss_kb = 0          # the largest peak RSS a judge reported

    def _free_cpu(self) -> int | None:
        """The CPU for a new judge: one no judge uses yet (judge, zygote and workers share it:
        their messages then never cross CPUs, several times cheaper on virtual machines)."""
        if not config.PIN_JUDGES or not hasattr(os, "sched_getaffinity"):
            return None
        allowed = sorted(os.sched_getaffinity(0))
        used = [j.cpu for j in self.judges]
        return min(allowed, key=lambda c: (used.count(c), c))

    def _start_judge(self) -> _Judge:
        ours, theirs = socket.socketpair()
        cpu = self._free_cpu()
        root = str(Path(__file__).resolve().parents[2])
        bootstrap = ("import sys, json; sys.path.insert(0, json.loads(sys.argv[1])); "
                     "from grader.grading.judge import judge_entry; judge_entry()")
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", bootstrap, json.dumps(root), str(theirs.fileno()),
                 str(os.getpid()), json.dumps(self.forbidden), json.dumps(cpu)],
                stdin=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), close_fds=True)
        finally:
            theirs.close()
        judge = _Judge(proc, Connection(ours.detach()), cpu)
        self.judges.append(judge)
        return judge

    def _stop_judge(self, judge: _Judge, *, kill: bool):
        if judge in self.judges:
            self.judges.remove(judge)
        if not kill:
            try:
                judge.conn.send(None)
            except (OSError, EOFError, BrokenPipeError):
                kill = True
        if kill:
            judge.proc.kill()
        try:
            judge.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            judge.proc.kill()
            judge.proc.wait(timeout=5)
        try:
            judge.conn.close()
        except OSError:
            pass

    def start(self, count: int | None = None) -> "JudgePool":
        """Start judges now (they boot while the batch reads the submissions)."""
        for _ in range(max(0, min(self.jobs, count or self.jobs) - len(self.judges))):
            self._start_judge()
        return self

    def wait_isolation(self, timeout_s: float = 120.0) -> dict:
        """What isolation the judges' workers get (waits for the first judge to be ready)."""
        deadline = time.monotonic() + timeout_s
        while not self.isolation and time.monotonic() < deadline:
            if not self.judges:
                self.start(1)
            ready = wait([j.conn for j in self.judges], timeout=1.0)
            for judge in list(self.judges):
                if judge.conn not in ready:
                    continue
                try:
                    message = judge.conn.recv()
                except (EOFError, OSError):
                    self._stop_judge(judge, kill=True)
                    continue
                if isinstance(message, dict) and message.get("op") == "ready":
                    judge.ready = True
                    judge.isolation = message.get("isolation") or {}
                    self.isolation = self.isolation or judge.isolation
        return self.isolation

    def close(self, *, kill: bool = False):
        for judge in list(self.judges):
            self._stop_judge(judge, kill=kill or not judge.ready)

    def run(self, tasks: list[Task], on_done: Callable):
        """Grade every task (then stop the judges); ``on_done(task, record, error)``."""
        queue = list(tasks)
        pending = len(queue)
        if not pending:
            self.close(kill=True)
            return
        try:
            while len(self.judges) > max(pending, 1):      # more judges than work
                self._stop_judge(self.judges[-1], kill=True)
            self.start(min(self.jobs, pending))
            while pending:
                for judge in list(self.judges):
                    if judge.ready and judge.task is None and queue:
                        task = queue.pop(0)
                        task.attempts += 1
                        judge.task, judge.started = task, time.monotonic()
                        try:
                            judge.conn.send({"key": task.key, "files": task.files,
                                             "seed": task.seed, "settings": task.settings})
                        except (OSError, BrokenPipeError):
                            pass               # its death is noticed below
                ready = wait([j.conn for j in self.judges], timeout=1.0)
                now = time.monotonic()
                for judge in list(self.judges):
                    message = None
                    if judge.conn in ready:
                        try:
                            message = judge.conn.recv()
                        except (EOFError, OSError):
                            message = None
                    if message is not None:
                        if message.get("op") == "ready":
                            judge.ready = True
                            judge.isolation = message.get("isolation") or {}
                            self.isolation = self.isolation or judge.isolation
                        elif message.get("op") in ("done", "failed") and judge.task is not None:
                            self.judge_maxrss_kb = max(self.judge_maxrss_kb,
                                                       int(message.get("maxrss_kb") or 0))
                            task, judge.task = judge.task, None
                            pending -= 1
                            on_done(task, message.get("record"), message.get("error"))
                        continue
                    dead = judge.proc.poll() is not None or judge.conn in ready
                    late = judge.task is not None and now - judge.started > self.task_timeout_s
                    if dead or late:
                        task = judge.task
                        self._stop_judge(judge, kill=True)
                        if task is not None:
                            if late or task.attempts >= 2:
                                pending -= 1
                                on_done(task, None, "timeout" if late else "judge_crashed")
                            else:
                                queue.insert(0, task)
                        if pending and len(self.judges) < min(self.jobs, pending):
                            self._start_judge()
        finally:
            self.close()

    @staticmethod
    def default_jobs() -> int:
        """All the cores this process may run on."""
        if hasattr(os, "sched_getaffinity"):
            return max(1, len(os.sched_getaffinity(0)))
        return max(1, os.cpu_count() or 1)


def task_timeout(settings: dict) -> float:
    """How long a judge may take on one submission before it is replaced."""
    return float(settings.get("submission_s") or config.SUBMISSION_TIMEOUT_S) + 60.0
