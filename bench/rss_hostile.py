"""Peak memory of the trusted processes (batch and judges) under hostile inputs.

    python bench/rss_hostile.py [--fuzz 400] [--jobs 2]

Builds a class whose hand-ins attack the grader's own memory, grades it, and
prints the peak RSS of the batch process and of the largest judge:

- a worker that asks the judge's reference for ``output_delta`` on arrays of
  shapes (16000, 1) and (1, 16000): 256 M elements (2 GiB) if it were computed;
- a worker that asks it 400 different questions of ~216 KiB (request and answer), all of
  which the judge answers and does not keep (it keeps only the reference's own answers);
- a function returning a 60 MB array, and one returning a deeply nested /
  very long list (the reply decoder's work);
- a notebook with a 15 MB code cell; a zip bomb; a manifest nested 100000
  levels deep;
- ``--fuzz`` generated malformed archives, notebooks and names (tests/hostile/fuzz.py).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import config  # noqa: E402
from grader.grading import grade  # noqa: E402
from grader.ingest.layouts import EXERCISE_FILES  # noqa: E402

QUADRATIC = '''

def train(X, Y, params, lr, epochs, batch_size, rng=None, keep_prob=1.0):
    import numpy as np
    import backprop
    return backprop.output_delta(np.ones((16000, 1)), np.ones((1, 16000)))
'''
FILL_ANSWERS = '''

def train(X, Y, params, lr, epochs, batch_size, rng=None, keep_prob=1.0):
    import numpy as np
    import backprop
    for i in range(400):
        backprop.output_delta(np.full((60, 150), float(i)), np.zeros((60, 150)))
    return params, []
'''
BROKEN_BACKPROP = '''

def output_delta(A_L, Y):
    return A_L
'''
BIG_REPLY = '''

def sigmoid(z):
    import numpy as np
    return np.zeros(60 * 1024 * 1024 // 8)
'''
LONG_LIST = '''

def relu(z):
    return [[0.5] * 1000 for _ in range(1000)]
'''


def _solutions() -> dict:
    return {name: (config.SOLUTIONS_DIR / name).read_bytes() for name in EXERCISE_FILES}


def _student(klass: Path, name: str, extra: dict):
    folder = klass / name
    folder.mkdir(parents=True)
    for module, data in _solutions().items():
        (folder / module).write_bytes(data + extra.get(module, "").encode())


def build(root: Path, fuzz: int) -> Path:
    klass = root / "class"
    _student(klass, "quadratic_callback", {"backprop.py": BROKEN_BACKPROP, "sgd.py": QUADRATIC})
    _student(klass, "fill_answers", {"backprop.py": BROKEN_BACKPROP, "sgd.py": FILL_ANSWERS})
    _student(klass, "big_reply", {"activations.py": BIG_REPLY})
    _student(klass, "long_list", {"activations.py": LONG_LIST})
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["sgd"]}, "outputs": [],
                     "execution_count": None, "source": "x = 1\n" * (12 * 1024 * 1024 // 6)}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (klass / "huge_cell").mkdir()
    (klass / "huge_cell" / "sgd.ipynb").write_text(json.dumps(nb))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sgd.py", b"\0" * (200 * 1024 * 1024))
        zf.writestr("manifest.json", "[" * 100_000 + "]" * 100_000)
    (klass / "bomb.zip").write_bytes(buffer.getvalue())
    if fuzz:
        from tests.hostile.test_fuzz import _write_class

        fz, _ = _write_class(root / "fuzz", fuzz, 5)
        for child in fz.iterdir():
            child.rename(klass / child.name)
    return klass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--memory", type=int, default=None, help="--memory of the workers (MB)")
    parser.add_argument("--only", default=None, help="grade only this student of the class")
    parser.add_argument("--build", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:                 # in a child process: building costs this one nothing
        build(Path(args.build), args.fuzz)
        return
    with tempfile.TemporaryDirectory() as tmp:
        import subprocess

        subprocess.run([sys.executable, __file__, "--build", tmp, "--fuzz", str(args.fuzz)],
                       check=True)
        klass = Path(tmp) / "class"
        if args.only:
            klass = klass / args.only
        started = time.monotonic()
        # assignment 1: the attacks are on its callbacks (sgd.train calling backprop); every
        # hand-in holds the files of every assignment, so the class alone would not say which
        report = grade([klass], out=Path(tmp) / "out", jobs=args.jobs, seed=1, timeout_s=3.0,
                       memory_mb=args.memory, lang="en", assignment="1")
        elapsed = time.monotonic() - started
        rows = {r.key: r for r in report.rows}
        print(f"rows: {len(report.rows)} ({report.attention} need attention), {elapsed:.1f} s")
        for key in ("quadratic_callback", "fill_answers", "big_reply", "long_list", "huge_cell", "bomb"):
            row = rows.get(key)
            if row is not None:
                print(f"  {key}: {row.status} {row.total} {row.reason_text('en')[:100]}")
        print(f"peak RSS: batch {report.batch_peak_mb:.0f} MiB, "
              f"largest judge {report.judge_peak_mb:.0f} MiB "
              f"(worker limit {report.isolation.get('memory_mb')} MB, "
              f"memory mode {report.isolation.get('memory_mode')})")


if __name__ == "__main__":
    main()
