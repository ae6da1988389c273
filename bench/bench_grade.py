"""Benchmark of `grader grade`: N synthetic submissions, graded with every protection on.

    python bench/bench_grade.py                 # 200 submissions, all cores
    python bench/bench_grade.py -n 50 --jobs 1 --timeout 2 --keep /tmp/bench

The class is generated from the reference solutions (every student's files
differ by a comment, so nothing is served from the cache):
correct (50 %), partly correct (25 %: an exercise left as the stub or with a
wrong function), broken (15 %: syntax error, missing function, NaN, wrong
shape, empty or non-UTF-8 file, corrupted zip, zip bomb) and hostile (10 %:
infinite loop, sleep, memory bomb, fork, os._exit, segfault, output flood,
monkeypatched numpy, importing the solutions). Half of them are zips.

Prints submissions per second and CPU seconds (every process of the batch:
judges, zygotes, workers) per submission.

    python bench/bench_grade.py --compare /work/wt/base --rounds 3

grades one generated class with another checkout of the grader (a git worktree of the
commit before a change, say) and with this one, alternately: this machine's speed
drifts by several per cent from one run to the next, so only runs taken in turn compare
two versions. Prints every run, then each version's median wall and CPU seconds.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
# the checkout whose grader is measured (--compare runs this script once per checkout)
ROOT = Path(os.environ.get("BENCH_GRADER_ROOT") or HERE).resolve()
sys.path.insert(0, str(ROOT))

from grader import config  # noqa: E402
from grader.assignments import get as get_assignment
from grader.exercises import EXERCISES  # noqa: E402

MODULES = [EXERCISES[name].filename for name in get_assignment("1").exercises]  # an assignment-1 class

WRONG = {   # a wrong (but harmless) body for one function of each exercise
    "activations.py": "\n\ndef relu(z):\n    import numpy as np\n    return np.abs(z)\n",
    "perceptron.py": "\n\ndef update(w, b, x, d, lr):\n    return w, b\n",
    "backprop.py": "\n\ndef output_delta(A_L, Y):\n    return Y - A_L\n",  # sign flipped
    "dropout.py": "\n\ndef dropout_backward(dout, mask):\n    return dout\n",
    "sgd.py": "\n\ndef sgd_step(params, grads, lr):\n"
              "    return [(W + lr * dW, b + lr * db)\n"
              "            for (W, b), (dW, db) in zip(params, grads)]\n",
}

BROKEN = {
    "syntax_error": ("activations.py", "\n\ndef sigmoid(z)\n    return z\n"),
    "missing_function": ("perceptron.py", "\n\ndel predict\n"),
    "nan": ("backprop.py", "\n\ndef layer_gradients(delta, A_prev):\n    import numpy as np\n"
            "    d = np.asarray(delta, dtype=float)\n"
            "    n = np.shape(A_prev)[1]\n"
            "    return np.full((n, d.shape[1]), np.nan), np.full(d.shape[1], np.nan)\n"),
    "wrong_shape": ("dropout.py", "\n\ndef dropout_backward(dout, mask):\n    import numpy as np\n"
                    "    return np.zeros(3)\n"),
    "empty_file": ("sgd.py", None),
    "not_utf8": ("activations.py", b"\n# comentario en latin-1: \xf1and\xfa\n"),
}

HOSTILE = {
    "infinite_loop": ("activations.py", "\n\ndef sigmoid(z):\n    while True:\n        pass\n"),
    "sleep": ("activations.py", "\n\nimport time as _t\n\ndef relu(z):\n    _t.sleep(3600)\n"),
    "memory_bomb": ("perceptron.py", "\n\n_h = []\n\ndef predict(X, w, b):\n    while True:\n"
                    "        _h.append(bytearray(256 * 1024 * 1024))\n"),
    "fork": ("dropout.py", "\n\nimport os as _os\n_ref = dropout_backward\n\n"
             "def dropout_backward(dout, mask):\n    if _os.fork() == 0:\n        _os._exit(0)\n"
             "    return _ref(dout, mask)\n"),
    "os_exit": ("perceptron.py", "\n\nimport os as _os\n\ndef update(w, b, x, d, lr):\n"
                "    _os._exit(0)\n"),
    "segfault": ("backprop.py", "\n\nimport ctypes as _c\n\ndef hidden_delta(delta_next, W_next,"
                 " Z, mask=None):\n    return _c.string_at(0)\n"),
    "flood": ("activations.py", "\n\nimport sys as _s\n_ref = relu\n\ndef relu(z):\n"
              "    for _ in range(100):\n        _s.stdout.write('spam ' * 20000)\n"
              "    return _ref(z)\n"),
    "monkeypatch": ("sgd.py", "\n\nimport numpy as _np\n_np.allclose = lambda *a, **k: True\n"
                    "_np.testing.assert_allclose = lambda *a, **k: None\n"),
    "import_solutions": ("backprop.py", "\n\nfrom solutions.backprop import backward  # noqa\n"),
}


def _solution(name: str) -> bytes:
    return (config.SOLUTIONS_DIR / name).read_bytes()


def _stub(name: str) -> bytes:
    return (config.EXERCISES_DIR / name).read_bytes()


def make_student(i: int, kind: str, rng: random.Random) -> dict | bytes:
    """The files of student ``i`` (or the raw bytes of a broken archive)."""
    tag = f"\n# student {i:04d}\n".encode()
    files = {m: _solution(m) + tag for m in MODULES}
    if kind == "partial":
        for m in rng.sample(MODULES, rng.choice((1, 2))):
            files[m] = (_stub(m) if rng.random() < 0.5 else _solution(m) + WRONG[m].encode()) + tag
    elif kind.startswith("broken:"):
        what = kind.split(":", 1)[1]
        if what == "corrupted_zip":
            return b"PK\x03\x04 this is not really a zip " + tag
        if what == "zip_bomb":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("activations.py", b"\0" * (200 * 1024 * 1024))
            return buffer.getvalue()
        module, extra = BROKEN[what]
        if extra is None:
            files[module] = b""
        else:
            files[module] += extra if isinstance(extra, bytes) else extra.encode()
    elif kind.startswith("hostile:"):
        module, extra = HOSTILE[kind.split(":", 1)[1]]
        files[module] += extra.encode()
    return files


def kinds(n: int, rng: random.Random, mix: str = "realistic") -> list[str]:
    if mix == "correct":
        return ["correct"] * n
    broken = [f"broken:{k}" for k in list(BROKEN) + ["corrupted_zip", "zip_bomb"]]
    hostile = [f"hostile:{k}" for k in HOSTILE]
    n_partial, n_broken, n_hostile = round(0.25 * n), round(0.15 * n), round(0.10 * n)
    out = (["partial"] * n_partial + [broken[i % len(broken)] for i in range(n_broken)]
           + [hostile[i % len(hostile)] for i in range(n_hostile)])
    out += ["correct"] * (n - len(out))
    rng.shuffle(out)
    return out


def generate(folder: Path, n: int, seed: int, mix: str = "realistic") -> tuple[dict, dict]:
    rng = random.Random(seed)
    plan = kinds(n, rng, mix)
    for i, kind in enumerate(plan):
        student = f"student{i:04d}"
        content = make_student(i, kind, rng)
        if isinstance(content, bytes):
            (folder / f"{student}.zip").write_bytes(content)
        elif i % 2:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, data in sorted(content.items()):
                    zf.writestr(f"{student}/{name}", data)
            (folder / f"{student}.zip").write_bytes(buffer.getvalue())
        else:
            (folder / student).mkdir()
            for name, data in content.items():
                (folder / student / name).write_bytes(data)
    return kind_counts(plan), {f"student{i:04d}": kind for i, kind in enumerate(plan)}


def kind_counts(kinds) -> dict[str, int]:
    """How many submissions of each kind ("hostile:fork" counts as hostile)."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind.split(":")[0]] = counts.get(kind.split(":")[0], 0) + 1
    return counts


def cpu_seconds(who: int = -1) -> float:
    """CPU seconds of this process and its children (who=-1), or of this process only."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    own = me.ru_utime + me.ru_stime
    if who != -1:
        return own
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + kids.ru_utime + kids.ru_stime


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="submissions (default 200)")
    parser.add_argument("--jobs", type=int, default=None, help="default: all cores")
    parser.add_argument("--timeout", type=float, default=None,
                        help=f"seconds per call (default {config.GRADE_CALL_TIMEOUT_S:g})")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="keep the class and outputs here")
    parser.add_argument("--mix", choices=("realistic", "correct"), default="realistic",
                        help="realistic (default) or every submission correct")
    parser.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                        help="another checkout of the grader: grade the same class with it and "
                             "with this one, in turn")
    parser.add_argument("--rounds", type=int, default=3, help="with --compare (default 3)")
    parser.add_argument("--class-from", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compare is not None:
        return compare(args)

    from grader.grading import format_summary, grade

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-grade-"))
    if work.exists() and args.keep:
        shutil.rmtree(work)
    if args.class_from is not None:          # one class for every run of --compare
        shutil.copytree(args.class_from / "class", work / "class")
        plan = json.loads((args.class_from / "plan.json").read_text())
        counts = kind_counts(plan.values())
    else:
        (work / "class").mkdir(parents=True)
        counts, plan = generate(work / "class", args.n, args.seed, args.mix)
    print(f"{len(plan)} submissions: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
    cpu0, own0, t0 = cpu_seconds(), cpu_seconds(0), time.perf_counter()
    report = grade([work / "class"], out=work / "out", jobs=args.jobs, seed=args.seed,
                   timeout_s=args.timeout, lang="en")
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - cpu0
    own = cpu_seconds(0) - own0
    print(format_summary(report, "en"))
    protections = ("network", "filesystem", "processes", "privileges", "process_limit")
    isolated = ", ".join(k for k in protections if report.isolation.get(k)) or "none"
    print(f"cores: {os.cpu_count()}, jobs: {report.jobs}, isolation: {isolated}, "
          f"memory: {report.isolation.get('memory_mode')}")
    print(f"peak RSS: batch {report.batch_peak_mb:.0f} MiB, largest judge "
          f"{report.judge_peak_mb:.0f} MiB; rows needing attention: {report.attention}")
    print(f"wall: {wall:.1f} s for {len(report.rows)} submissions -> "
          f"{len(report.rows) / wall:.2f} submissions/s")
    print(f"cpu: {cpu:.1f} core-s -> {cpu / max(len(report.rows), 1):.3f} core-s per submission "
          f"(the batch process itself: {own:.1f} core-s)")
    per_kind: dict[str, list] = {}
    for row in report.rows:
        seconds = (row.record or {}).get("seconds")
        if seconds is not None:
            per_kind.setdefault(plan.get(row.student_id, "?"), []).append(seconds)
    print("judge wall seconds per submission, by kind (count, mean, total):")
    for kind, values in sorted(per_kind.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {kind:28s} {len(values):4d} {sum(values) / len(values):6.2f} {sum(values):7.1f}")
    if args.json:
        print(json.dumps({"root": str(ROOT), "wall": wall, "cpu": cpu,
                          "scores": {r.student_id: [r.total, r.scores] for r in report.rows}}))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def compare(args) -> int:
    """Grade one class with ``args.compare`` and with this checkout, in turn, ``args.rounds``
    times; print every run and each checkout's medians. Exit status 1 when the two
    gradebooks differ (a speed-up must not change a grade)."""
    other = args.compare.resolve()
    if not (other / "grader" / "__init__.py").is_file():
        print(f"{other}: not a checkout of the grader (no grader/__init__.py)", file=sys.stderr)
        return 2
    shared = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    try:
        (shared / "class").mkdir()
        counts, plan = generate(shared / "class", args.n, args.seed, args.mix)
        (shared / "plan.json").write_text(json.dumps(plan))
        print(f"{args.n} submissions: "
              + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())))
        passed = ["-n", str(args.n), "--seed", str(args.seed), "--mix", args.mix,
                  "--class-from", str(shared), "--json"]
        if args.jobs is not None:
            passed += ["--jobs", str(args.jobs)]
        if args.timeout is not None:
            passed += ["--timeout", str(args.timeout)]
        runs: dict = {other: [], HERE: []}
        for round_ in range(1, args.rounds + 1):
            for root in (other, HERE):
                done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *passed],
                                      env=dict(os.environ, BENCH_GRADER_ROOT=str(root)),
                                      capture_output=True, text=True)
                lines = done.stdout.strip().splitlines()
                if done.returncode != 0 or not lines or not lines[-1].startswith("{"):
                    print(f"{root}: the run failed (exit {done.returncode})\n"
                          f"{done.stderr[-2000:]}", file=sys.stderr)
                    return 2
                figures = json.loads(lines[-1])
                runs[root].append(figures)
                print(f"round {round_}: {root}  wall {figures['wall']:6.1f} s  "
                      f"cpu {figures['cpu']:6.1f} core-s", flush=True)
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    medians = {root: (statistics.median(r["wall"] for r in rs),
                      statistics.median(r["cpu"] for r in rs)) for root, rs in runs.items()}
    for root, (wall, cpu) in medians.items():
        print(f"median: {root}  wall {wall:6.1f} s  cpu {cpu:6.1f} core-s")
    ratio = medians[HERE][0] / medians[other][0]
    print(f"this checkout takes {ratio:.3f} x the other's median wall time")
    same = all(r["scores"] == runs[other][0]["scores"] for rs in runs.values() for r in rs)
    print("gradebooks: identical" if same else "gradebooks: DIFFER between runs")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
