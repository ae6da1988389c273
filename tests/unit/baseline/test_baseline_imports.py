"""Importing the baseline and the comparison costs no TensorFlow, Keras, JAX or matplotlib."""

import subprocess
import sys

from grader import config


def test_importing_baseline_and_compare_imports_no_heavy_library():
    script = ("import sys, grader, grader.baseline, grader.compare, grader.datasets\n"
              "print(sorted(m for m in ('tensorflow', 'keras', 'jax', 'matplotlib') "
              "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=config.REPO_DIR, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
