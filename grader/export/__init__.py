"""`grader export TARGET OUT`: the grader packaged for another platform's autograder.

One target so far, ``gradescope`` (see grader/export/gradescope.py for the
archive and grader/export/autograder.py for what runs inside it).
"""

from __future__ import annotations

from pathlib import Path

from grader.errors import GraderError

TARGETS = ("gradescope",)


def export(target: str, out: Path | str, *, seed: int | None = None, lang: str | None = None,
           hidden_visibility: str = "after_published", assignment=None):
    """Write the autograder archive of ``target`` to ``out`` for ``assignment`` ("1", "2",
    ... or an instructor's TOML path; default 1); returns what was written."""
    if target not in TARGETS:
        raise GraderError("error.export_unknown_target", target=target, known=", ".join(TARGETS))
    from grader.export.gradescope import export_gradescope

    return export_gradescope(out, seed=seed, lang=lang, hidden_visibility=hidden_visibility,
                             assignment=assignment)
