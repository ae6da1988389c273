"""What isolation `grader grade` needs, and how it refuses when the system lacks it.

The judge asks its launcher what the workers really get (launcher.isolation):
every protection of REQUIRED must be there, or grading stops before any
student code runs, with a message that says what is missing and how to get
it. ``--allow-weak-isolation`` grades anyway; then every row says so.
"""

from __future__ import annotations

import sys

from grader.errors import GraderError
from grader.ingest.model import Problem

# network: no network; filesystem: a root without the solutions, checks, outputs;
# processes: a PID namespace (killing the worker kills all it started); privileges: none;
# memory: one limit for the whole worker (cgroup v2, or no forks / memfd / SysV shm).
REQUIRED = ("network", "filesystem", "processes", "privileges", "memory")


def missing_isolation(isolation: dict) -> list[str]:
    return [p for p in REQUIRED if not isolation.get(p)]


def _what(missing, lang: str) -> str:
    from grader.i18n import t

    names = []
    for p in missing:
        key = ("batch.protection.memory" if p == "memory"
               else f"grading.summary.protection.{p}")
        names.append(t(key, lang))
    return ", ".join(names)


def refusal(missing) -> GraderError:
    """The user error `grader grade` stops with (no student code has run)."""
    if sys.platform.startswith("linux"):
        how = _How("batch.how.linux", {})
    else:
        how = _How("batch.how.other", {"system": sys.platform})
    return _IsolationRefused(missing, how)


class _How:
    def __init__(self, key, params):
        self.key, self.params = key, params


class _IsolationRefused(GraderError):
    def __init__(self, missing, how: _How):
        self.missing, self.how = list(missing), how
        super().__init__("batch.error.isolation_missing", what=", ".join(self.missing),
                         how=how.key)

    def message(self, lang: str) -> str:
        from grader.i18n import t

        return t("batch.error.isolation_missing", lang, what=_what(self.missing, lang),
                 how=t(self.how.key, lang, **self.how.params))


class WeakIsolation(Problem):
    """The reason every row carries when graded with --allow-weak-isolation (in words)."""

    def render(self, lang: str, escape=None) -> str:
        """In words; ``escape`` (Markdown) is not needed: its parameters are the grader's."""
        from grader.i18n import t

        missing = [p for p in str(self.params.get("what", "")).split(",") if p]
        return t(self.key, lang, what=_what(missing, lang))


def weak_problem(missing) -> Problem:
    return WeakIsolation("batch.reason.weak_isolation", {"what": ",".join(missing)})
