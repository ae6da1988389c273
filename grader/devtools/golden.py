"""Record golden values from the reference solutions for the public checks.

``python -m grader.devtools.golden`` rewrites tests/checks/public/golden/<exercise>.json
from the inputs each exercise's spec lists (``grader.devtools.golden_specs``),
with the reference output and the output of every named mutant, so that the
public checks can say "expected X" and "this looks like mistake M" WITHOUT the
solutions being present. ``--check`` exits 1 when a file is out of date.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

import numpy as np

from grader import config
from grader.atomic import atomic_write_text
from grader.exercises import ORDER

GOLDEN_DIR = config.CHECKS_DIR / "public" / "golden"


def to_json(value):
    """numpy-aware conversion to JSON data (arrays keep their dtype)."""
    if isinstance(value, np.ndarray) or isinstance(value, np.generic):
        arr = np.asarray(value)
        return {"array": arr.tolist(), "dtype": arr.dtype.str}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    raise TypeError(f"cannot record {type(value).__name__}")


def record(exercise: str, ref) -> dict:
    """The golden document of one exercise: ``{case: {inputs, expected, mistakes}}``."""
    spec = importlib.import_module(f"grader.devtools.golden_specs.{exercise}")
    return to_json(spec.record(ref))


def render(exercise: str, ref) -> str:
    return json.dumps(record(exercise, ref), indent=1, sort_keys=True) + "\n"


def specs_available() -> list[str]:
    return [ex for ex in ORDER
            if importlib.util.find_spec(f"grader.devtools.golden_specs.{ex}") is not None]


def main(argv=None) -> int:
    from grader.reference import reference

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    ref = reference()
    stale = []
    for ex in specs_available():
        path = GOLDEN_DIR / f"{ex}.json"
        text = render(ex, ref)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            atomic_write_text(path, text)
            print(f"wrote {path}")
    if stale:
        print("out of date (run python -m grader.devtools.golden):\n  " + "\n  ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
