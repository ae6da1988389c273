"""Inputs of the golden values, one module per exercise, each with ``record(ref)``."""

from grader.checks.expect import same

# Golden values are compared with the reference at (almost) full float64 precision.
RECORD_RTOL = 1e-12


def distinct_mistakes(found: dict, expected) -> dict:
    """The mutant outputs that ran and differ from the right answer (worth recording)."""
    return {k: v for k, v in found.items()
            if v is not None and not same(v, expected, rtol=RECORD_RTOL, atol=0.0)}
