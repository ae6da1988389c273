"""Record golden values from the reference solutions for the public checks.

``python -m grader.devtools.golden [EXERCISE...]`` rewrites tests/checks/<exercise>/golden.json
from the inputs that the unit's ``golden_spec.py`` lists (its ``record(ref)``),
with the reference output and the output of every named mutant, so that the
public checks can say "expected X" and "this looks like mistake M" WITHOUT the
solutions being present. ``--check`` exits 1 when a file is out of date.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from grader.atomic import atomic_write_text
from grader.exercises import GOLDEN_FILE, GOLDEN_SPEC, ORDER, load_unit_module, unit_file

# Golden values are compared with the reference at (almost) full float64 precision.
RECORD_RTOL = 1e-12


def distinct_mistakes(found: dict, expected) -> dict:
    """The mutant outputs that ran and differ from the right answer (worth recording)."""
    from grader.checks.expect import same

    return {k: v for k, v in found.items()
            if v is not None and not same(v, expected, rtol=RECORD_RTOL, atol=0.0)}


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
    spec = load_unit_module(exercise, GOLDEN_SPEC)
    return to_json(spec.record(ref))


def render(exercise: str, ref) -> str:
    return json.dumps(record(exercise, ref), indent=1, sort_keys=True) + "\n"


def golden_path(exercise: str):
    return unit_file(exercise, GOLDEN_FILE)


def specs_available() -> list[str]:
    """The exercises whose unit has a golden_spec.py."""
    return [ex for ex in ORDER if unit_file(ex, f"{GOLDEN_SPEC}.py").is_file()]


def main(argv=None) -> int:
    from grader.reference import reference

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("exercises", nargs="*", help="default: every unit with a golden_spec.py")
    args = parser.parse_args(argv)
    available = specs_available()
    unknown = [ex for ex in args.exercises if ex not in available]
    if unknown:
        parser.error(f"no golden_spec.py for {', '.join(unknown)} (have: {', '.join(available)})")
    ref = reference()
    stale = []
    for ex in args.exercises or available:
        path = golden_path(ex)
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
