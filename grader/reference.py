"""Loading the reference solutions into the JUDGE process (trusted code only)."""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

from grader import config
from grader.exercises import ORDER


class ReferenceUnavailable(RuntimeError):
    """The reference solutions are not installed (e.g. in the student bundle)."""


_CACHE: dict[str, types.SimpleNamespace] = {}


def load_modules(directory: Path | str, names=ORDER) -> types.SimpleNamespace:
    """Import the exercise modules found in ``directory`` without leaving them in sys.modules.

    The modules import each other by bare name (``from activations import ...``),
    so they are imported with ``directory`` first on sys.path, then every
    module of that name is taken back out of sys.modules (and whatever was
    there before is restored), so that two directories never mix.
    """
    directory = str(Path(directory).resolve())
    saved = {n: sys.modules.pop(n) for n in list(names) if n in sys.modules}
    sys.path.insert(0, directory)
    try:
        loaded = {n: importlib.import_module(n) for n in names}
    finally:
        sys.path.remove(directory)
        for n in names:
            sys.modules.pop(n, None)
        sys.modules.update(saved)
    return types.SimpleNamespace(**loaded)


def reference(directory: Path | str | None = None) -> types.SimpleNamespace:
    """The reference solutions (cached); raises ReferenceUnavailable when absent."""
    directory = Path(directory or config.SOLUTIONS_DIR)
    key = str(directory.resolve())
    if key not in _CACHE:
        if not all((directory / f"{n}.py").is_file() for n in ORDER):
            raise ReferenceUnavailable(str(directory))
        _CACHE[key] = load_modules(directory)
    return _CACHE[key]


def resolver(ref: types.SimpleNamespace):
    """``(module, func) -> callable`` over a reference namespace, for sandbox callbacks."""
    def resolve(module: str, func: str):
        if module not in ORDER or func.startswith("_"):
            raise KeyError(f"{module}.{func}")
        return getattr(getattr(ref, module), func)
    return resolve
