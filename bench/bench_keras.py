"""Time the reference NumPy training against the Keras baseline's fit (CPU, and GPU if visible).

    python bench/bench_keras.py            # median of 3 runs per configuration
    python bench/bench_keras.py --repeats 5 --skip-large

Each Keras time is one whole ``grader.baseline.fit_sgd`` call as ``compare``
makes it, without the disk cache: "first" builds, compiles and traces a new
model (the in-memory model cache is emptied before each run), "again" is a
later fit of the same network and schedule, which reuses the compiled model
(new weights, fresh optimizer state). The NumPy time is the reference
``solutions/sgd.train`` with ``rng=None``. Also printed: how long importing
TensorFlow (or JAX) and Keras takes in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader import baseline, datasets  # noqa: E402
from grader.baseline import model as keras_model  # noqa: E402
from grader.reference import reference  # noqa: E402


def _synthetic(n: int, d: int, k: int, seed: int = 0):
    """``n`` samples of ``d`` inputs in [0, 1], ``k`` 0/1 targets of a random linear teacher."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    teacher = rng.normal(size=(d, k)) / np.sqrt(d)
    Y = ((X - 0.5) @ teacher > 0).astype(np.float64)
    return X, Y


CONFIGS = [
    # name, data, hidden, lr, batch_size, epochs
    ("xor 2-4-1", lambda: datasets.xor(), (4,), 0.5, 4, 300),
    ("moons 2-8-1", lambda: datasets.moons(n=200, seed=0), (8,), 0.5, 16, 50),
    ("synthetic 784-256-256-10", lambda: _synthetic(4096, 784, 10), (256, 256), 0.1, 128, 3),
]


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _import_time() -> float:
    backend = baseline.backend.backend_name()
    module = "jax" if backend == "jax" else "tensorflow"
    code = (f"import time; t = time.perf_counter(); import {module}, keras; "
            f"print(time.perf_counter() - t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true", help="only the course-sized nets")
    args = parser.parse_args(argv)
    # "first" fits build new models on purpose: TensorFlow's retracing warnings are expected
    logging.getLogger("tensorflow").setLevel(logging.ERROR)

    print(f"import {baseline.backend.backend_name()} + keras (fresh interpreter): "
          f"{_import_time():.2f} s")
    ref = reference()
    cpu = baseline.select_device("cpu")
    auto = baseline.select_device("auto")
    gpu = auto if auto.device == "gpu" else None
    print(f"keras {cpu.keras_version}, {cpu.backend} {cpu.backend_version}; "
          f"GPU: {gpu.description if gpu else 'none visible'}; median of {args.repeats} runs\n")

    header = ("configuration", "N", "epochs", "steps", "numpy s", "cpu first s", "first/numpy",
              "cpu again s", "again/numpy", "gpu first s", "gpu again s")
    rows = []
    for name, make, hidden, lr, batch_size, epochs in CONFIGS:
        if args.skip_large and "synthetic" in name:
            continue
        X, Y = make()
        params = datasets.init_params((X.shape[1], *hidden, Y.shape[1]), seed=0)
        steps = epochs * -(-len(X) // batch_size)
        numpy_s = _median_time(lambda: ref.sgd.train(X, Y, params, lr, batch_size, epochs),
                               args.repeats)

        def keras_fit(device, first):
            def fit():
                if first:
                    keras_model._COMPILED.clear()
                baseline.fit_sgd(params, X, Y, lr, batch_size, epochs, device=device)
            return fit

        cpu_first = _median_time(keras_fit("cpu", True), args.repeats)
        cpu_again = _median_time(keras_fit("cpu", False), args.repeats)
        gpu_first = _median_time(keras_fit("gpu", True), args.repeats) if gpu else None
        gpu_again = _median_time(keras_fit("gpu", False), args.repeats) if gpu else None
        rows.append((name, str(len(X)), str(epochs), str(steps), f"{numpy_s:.3f}",
                     f"{cpu_first:.3f}", f"{cpu_first / numpy_s:.1f}x",
                     f"{cpu_again:.3f}", f"{cpu_again / numpy_s:.1f}x",
                     "-" if gpu_first is None else f"{gpu_first:.3f}",
                     "-" if gpu_again is None else f"{gpu_again:.3f}"))

    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                    for i, (h, w) in enumerate(zip(header, widths))))
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
