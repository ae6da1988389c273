"""Fixtures of the check suites (imported by tests/checks/conftest.py).

- ``student``: the student's modules, each call running in the sandbox.
- ``reference``: the reference solutions, loaded in the judge (hidden checks only).
- ``seed`` / ``rng``: the grading seed and a generator derived from it per check.
- ``golden``: values recorded from the reference into tests/checks/<exercise>/golden.json.

A check file is ``tests/checks/<exercise>/<suite>.py``: its exercise is its folder's name.

Run by the grader, the session comes from the engine. Run as a plain pytest
suite, the student is ``$GRADER_STUDENT_DIR`` (default: the reference
solutions, so that the project's own CI proves every check passes on them).
"""

from __future__ import annotations

import json
import os
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from grader import config
from grader.checks.session import (CheckSession, current, suite_of,
                                   read_student_files)
from grader.exercises import GOLDEN_FILE, unit_file

_DEFAULT: list[CheckSession] = []


def _session() -> CheckSession:
    active = current()
    if active is not None:
        return active
    if not _DEFAULT:
        directory = Path(os.environ.get("GRADER_STUDENT_DIR") or config.SOLUTIONS_DIR)
        seed = int(os.environ.get("GRADER_SEED", "0"))
        _DEFAULT.append(CheckSession(files=read_student_files(directory), seed=seed))
    return _DEFAULT[0]


@pytest.fixture(scope="session", autouse=True)
def _close_default_session():
    yield
    for s in _DEFAULT:
        s.close()
    _DEFAULT.clear()


def _exercise(request) -> str:
    """The exercise of the requesting check file: the name of its unit folder."""
    return Path(str(request.path)).resolve().parent.name


# The fixture values, also given by grader/checks/direct.py (checks run without pytest).
def student_for(session: CheckSession, path) -> object:
    """The proxy of the check file ``path``: its exercise's, hidden checks in their own."""
    exercise, hidden = suite_of(path)
    return session.proxy(exercise, hidden=hidden)


def rng_for(seed: int, check_name: str) -> np.random.Generator:
    """A generator that depends on the grading seed and on the check's name only."""
    return np.random.default_rng([seed, zlib.crc32(check_name.encode())])


def reference_for(session: CheckSession):
    """The reference solutions (judge side); a skip where they are not available."""
    from grader.reference import ReferenceUnavailable, reference as load

    try:
        return load(session.reference_dir)
    except ReferenceUnavailable:
        pytest.skip("reference solutions not available")


@pytest.fixture(scope="module")
def student(request):
    """The student's exercise modules: ``student.activations.sigmoid(z)``."""
    return student_for(_session(), request.path)


@pytest.fixture(scope="session")
def seed():
    return _session().seed


@pytest.fixture
def rng(request, seed):
    """A generator that depends on the grading seed and on the check's name only."""
    return rng_for(seed, request.node.name)


@pytest.fixture(scope="session")
def reference():
    """The reference solutions (judge side). Hidden checks only."""
    return reference_for(_session())


def _convert(node):
    if isinstance(node, dict):
        if set(node) == {"array", "dtype"}:
            return np.asarray(node["array"], dtype=node["dtype"])
        return {k: _convert(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_convert(v) for v in node]
    return node


@lru_cache(maxsize=8)
def load_golden(exercise: str) -> dict:
    """Golden values of one exercise (recorded by ``python -m grader.devtools.golden``)."""
    with unit_file(exercise, GOLDEN_FILE).open(encoding="utf-8") as fh:
        return _convert(json.load(fh))


@pytest.fixture(scope="module")
def golden(request):
    """This check file's golden values: ``golden["sigmoid"]["expected"]``."""
    return load_golden(_exercise(request))
