"""Student files made from the reference with some functions rewritten (tests, benchmarks).

    files = solutions_with("sgd", [("sgd_step", "def sgd_step(params, grads, lr):\\n    ...")])
    run_checks(files, exercises=["sgd"])
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from grader import config


def replace_function(source: str, func: str, new_source: str) -> str:
    """``source`` with the top-level function ``func`` replaced by ``new_source``."""
    tree = ast.parse(source)
    node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == func)
    lines = source.splitlines(keepends=True)
    new = textwrap.dedent(new_source).strip("\n") + "\n"
    return "".join(lines[:node.lineno - 1]) + new + "".join(lines[node.end_lineno:])


def solutions_with(exercise: str | None = None, replacements=(),
                   directory: Path = config.SOLUTIONS_DIR) -> dict[str, bytes]:
    """The reference modules as student files, ``exercise.py`` with functions replaced.

    Inputs:
    - exercise: the module whose functions are replaced (None: the reference as is).
    - replacements: ``[(function name, new source), ...]``.
    Returns: ``{"activations.py": bytes, ...}`` for all five modules.
    """
    from grader.checks.session import read_student_files

    files = read_student_files(Path(directory))
    if exercise is not None:
        name = f"{exercise}.py"
        source = files[name].decode("utf-8")
        for func, new_source in replacements:
            source = replace_function(source, func, new_source)
        files[name] = source.encode("utf-8")
    return files
