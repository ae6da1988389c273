# Appended to the reference activations.py: the worker's call path is replaced by one that
# answers every call with an error whose message, type and traceback are megabytes long
# (the real worker cuts them to a few thousand characters). Unbounded, one such student
# wrote 150 MB of reports and took the batch to 500 MB.
import __main__ as _worker

_BIG = "A" * 3_500_000


def _forged(request):
    return {"status": "error", "type": "E" * 100_000, "message": _BIG,
            "traceback": _BIG[:400_000], "where": _BIG[:100_000],
            "warnings": ["not a warning"] * 1000}


_worker._call = _forged
