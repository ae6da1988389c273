"""Exceptions the check engine understands (raised in the judge process)."""

from __future__ import annotations


class StudentProblem(Exception):
    """A call into student code did not return a usable value.

    Carries the sandbox's CallOutcome; the engine maps its status to
    not_attempted / error / timeout / crashed / ... with bilingual feedback.
    """

    def __init__(self, module: str, func: str, outcome):
        super().__init__(f"{module}.{func}: {outcome.status}")
        self.module, self.func, self.outcome = module, func, outcome


class CheckFailed(AssertionError):
    """A check found a wrong value. ``feedback`` is a Feedback (see feedback.py)."""

    def __init__(self, feedback):
        super().__init__(feedback.key)
        self.feedback = feedback
