"""What a worker may read: the runtime, never a folder holding the solutions or the outputs."""

import os
import sys

from grader import config
from grader.sandbox.isolation import iso_runtime_paths
from grader.sandbox.runner import allowed_roots, default_forbidden


def _under(path, roots):
    return any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots)


def test_no_allowed_folder_holds_the_solutions_the_checks_or_the_outputs(tmp_path):
    out = tmp_path / "grading-out"
    forbidden = default_forbidden() + [str(out)]
    for roots in (allowed_roots(forbidden), iso_runtime_paths(forbidden)):
        for path in (config.SOLUTIONS_DIR, config.CHECKS_DIR, config.PACKAGE_DIR, out):
            real = os.path.realpath(path)
            essential = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix,
                                                       sys.exec_prefix, "/usr")}
            assert not any(_under(real, [r]) for r in roots if r not in essential), (path, roots)


def test_the_runtime_stays_readable_even_inside_a_forbidden_folder():
    prefix = os.path.realpath(sys.prefix)
    forbidden = [os.path.dirname(prefix)]        # e.g. `grader grade .` next to the venv
    assert _under(prefix, allowed_roots(forbidden))
    assert _under(prefix, iso_runtime_paths(forbidden))
