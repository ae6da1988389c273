"""How long a student waits for `grader check`.

Prints the median wall time (over --repeat runs, each a fresh process, as a
student would run it) of:
- a bare ``python -c "import numpy"`` (the floor any numpy tool pays),
- ``grader check perceptron`` (a numpy-only exercise: no Keras check at all) and
  ``grader check activations`` (its Keras check reads the cached baseline),
- ``grader check`` (all five exercises),
on the reference solutions (every check runs to completion; stubs would be faster).
Target: one exercise in at most 1 s on the 2-core CI machine.

    python bench/bench_check.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], repeat: int) -> tuple[float, float]:
    times = []
    env = dict(os.environ, GRADER_LANG="en")
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
        times.append(time.perf_counter() - start)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.decode()[-2000:]}")
    return statistics.median(times), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    grader = [sys.executable, "-m", "grader"]
    cases = [
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        ("grader check perceptron", grader + ["check", "perceptron", "--path", "solutions"]),
        ("grader check activations", grader + ["check", "activations", "--path", "solutions"]),
        ("grader check sgd", grader + ["check", "sgd", "--path", "solutions"]),
        ("grader check optimizers", grader + ["check", "optimizers", "--path", "solutions"]),
        ("grader check losses", grader + ["check", "losses", "--path", "solutions"]),
        ("grader check (all five)", grader + ["check", "--path", "solutions"]),
    ]
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  repeat: {args.repeat}")
    print(f"{'command':<28} {'median s':>9} {'min s':>7}")
    for label, cmd in cases:
        median, best = timed(cmd, args.repeat)
        print(f"{label:<28} {median:>9.3f} {best:>7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
