"""The Keras checks' fixed inputs (tests/checks/keras) and their Keras results, from the disk cache.

The Keras checks give every student the same public inputs (fixed here) and
compare what the student's functions return with what Keras returns on them.
Keras's results go through ``grader.baseline.cached`` on the CPU, so each one
is computed once per machine and Keras version, and later runs read it from
the disk cache without importing TensorFlow. They are computed in a child
process (``warm_cache``), all at once: TensorFlow never enters the process
that runs the checks (a judge, or a student's notebook kernel, whose Keras
settings the baseline's global float64 set-up would otherwise change).

    from grader.baseline.suite import inputs, keras_results, warm_cache
    warm_cache()                          # `grader grade`: every Keras result, once per batch
    case = inputs("backprop")             # NumPy only, never Keras
    keras = keras_results("backprop")     # the cache, else computed, else KerasUnavailable

When a result is not in the cache and Keras or its backend is not installed
(asked with ``importlib.util.find_spec``, which imports nothing),
``keras_results`` raises ``KerasUnavailable``; ``keras_results_or_skip`` turns
it into ``pytest.skip(SKIP_KEY)``, which the check engine shows as the
catalog message ``SKIP_KEY`` in the student's language.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np

from grader import datasets
from grader.baseline import model
from grader.baseline.backend import backend_name, findable
from grader.baseline.cache import cached, default_cache_dir, lookup
from grader.baseline.errors import BaselineError

# Exercises with a Keras check (the perceptron has no Keras counterpart).
KERAS_EXERCISES = ("activations", "backprop", "dropout", "sgd")
# A judge process (grader/grading/judge.py) keeps the results it read: the cache does not
# change during a batch, and reading an entry costs a hash of its inputs and a file read
# per check and student.
MEMOIZE = False
_MEMO: dict = {}
# Keras runs on the CPU: deterministic, and a cache key that never needs TensorFlow.
DEVICE = "cpu"
# Catalog key of the reason a Keras check is skipped (rendered by the check engine).
SKIP_KEY = "feedback.keras_unavailable"
# Longest a child process may take to compute every Keras result (import included: ~10 s).
COMPUTE_TIMEOUT_S = 600


class KerasUnavailable(BaselineError):
    """A Keras result is needed, is not cached, and Keras or its backend is not installed."""


class BaselineFailed(RuntimeError):
    """Computing a Keras result failed (a problem of the grader's installation, not a student's)."""


def keras_importable() -> bool:
    """Whether Keras and its backend are installed (asked with find_spec: imports nothing)."""
    return all(findable(name) for name in ("keras", backend_name()))


# -- the fixed inputs (NumPy only) ------------------------------------------------------------
def _activations_inputs() -> dict:
    # A dense sweep, the kink of ReLU at 0 and its neighbours, and extremes where a naive
    # sigmoid overflows.
    z = np.concatenate([np.linspace(-12.0, 12.0, 49),
                        [-1000.0, -40.0, -1e-3, 0.0, 1e-3, 40.0, 1000.0]])
    return {"z": z}


def _backprop_inputs() -> dict:
    # A 3-5-4-2 network (two hidden layers, two outputs) with non-zero biases, on 6 samples.
    rng = np.random.default_rng(20250)
    params = [(W * 2.0, rng.normal(scale=0.5, size=b.shape))
              for W, b in datasets.init_params([3, 5, 4, 2], seed=11)]
    X = rng.normal(size=(6, 3))
    Y = (rng.random((6, 2)) < 0.5).astype(np.float64)
    return {"params": params, "X": X, "Y": Y}


def _dropout_inputs() -> dict:
    # rate != 0.5, so that confusing rate with the keep probability shows.
    A = np.random.default_rng(20251).uniform(0.5, 1.5, size=(200, 50))
    return {"A": A, "rate": 0.3, "seed": 7}


def _sgd_inputs() -> dict:
    # 30 samples in mini-batches of 8: the last one holds 6. A small lr keeps the training
    # stable, so round-off stays at round-off level for all epochs.
    X, Y = datasets.moons(n=30, noise=0.2, seed=5)
    return {"X": X, "Y": Y, "params": datasets.init_params([2, 4, 1], seed=3), "lr": 0.5,
            "batch_size": 8, "epochs": 12}


_INPUTS = {"activations": _activations_inputs, "backprop": _backprop_inputs,
           "dropout": _dropout_inputs, "sgd": _sgd_inputs}


def inputs(exercise: str) -> dict:
    """The fixed inputs of ``exercise``'s Keras check (fresh arrays on every call)."""
    return _INPUTS[exercise]()


# -- Keras's results ---------------------------------------------------------------------------
def _activations_keras(run, case) -> dict:
    keras = run(model.activations, case["z"], device=DEVICE)
    # σ' evaluated at σ(z): what applying sigmoid_derivative to the activation gives.
    at_sigmoid = run(model.activations, keras["sigmoid"], device=DEVICE)
    return {**keras, "sigmoid_derivative_at_sigmoid": at_sigmoid["sigmoid_derivative"]}


def _backprop_keras(run, case) -> dict:
    return {"grads": run(model.gradients, case["params"], case["X"], case["Y"], device=DEVICE)}


def _dropout_keras(run, case) -> dict:
    return run(model.dropout, case["A"], case["rate"], case["seed"], device=DEVICE)


def _sgd_keras(run, case) -> dict:
    run_ = run(model.fit_sgd, case["params"], case["X"], case["Y"], case["lr"],
               case["batch_size"], case["epochs"], device=DEVICE)
    return {"history": run_["history"], "weights": run_["weights"], "device": run_["device"]}


_KERAS = {"activations": _activations_keras, "backprop": _backprop_keras,
          "dropout": _dropout_keras, "sgd": _sgd_keras}


class _Missing(Exception):
    """A Keras result is not in the cache."""


def _from_cache(directory: Path):
    def run(fn, *args, **kwargs):
        hit = lookup(fn, *args, cache_dir=directory, **kwargs)
        if hit is None:
            raise _Missing(fn.__name__)
        return hit
    return run


def _computing(directory: Path):
    def run(fn, *args, **kwargs):
        return cached(fn, *args, cache_dir=directory, **kwargs)
    return run


def _directory(cache_dir) -> Path:
    return Path(cache_dir) if cache_dir is not None else default_cache_dir()


def _cached_results(exercise: str, directory: Path) -> dict | None:
    try:
        return _KERAS[exercise](_from_cache(directory), inputs(exercise))
    except _Missing:
        return None


def _owner(exercise: str):
    """The module holding ``exercise``'s Keras results: this one, or assignment 2's."""
    from grader.baseline import assignment2_suite

    return assignment2_suite if exercise in assignment2_suite.KERAS_EXERCISES else sys.modules[
        __name__]


def keras_results(exercise: str, *, cache_dir: str | Path | None = None) -> dict:
    """Keras's results on ``inputs(exercise)``: from the cache, else computed (and cached).

    A miss computes the results of every Keras check at once, in a child
    process (``warm_cache``): TensorFlow never enters this process.

    Inputs:
    - exercise: one of ``KERAS_EXERCISES``
    - cache_dir: the baseline cache; default ``grader.baseline.default_cache_dir()``

    Returns:
    - activations: ``grader.baseline.activations(z)`` plus ``"sigmoid_derivative_at_sigmoid"``;
      backprop: ``{"grads": [(dW, db), ...]}``; dropout: ``{"train", "eval"}``;
      sgd: ``{"history", "weights", "device"}``

    Raises:
    - KerasUnavailable when a result is not cached and Keras cannot be imported
    - BaselineFailed when computing it failed
    """
    directory = _directory(cache_dir)
    memo_key = (exercise, str(directory))
    if MEMOIZE and memo_key in _MEMO:
        return copy.deepcopy(_MEMO[memo_key])
    owner = _owner(exercise)
    found = owner._cached_results(exercise, directory)
    if found is None:
        warm_cache(owner.KERAS_EXERCISES, cache_dir=directory)
        found = owner._cached_results(exercise, directory)
        if found is None:
            raise BaselineFailed(f"the Keras results of {exercise} are not in {directory} "
                                 "after computing them")
    if MEMOIZE:
        _MEMO[memo_key] = copy.deepcopy(found)
    return found


def keras_results_or_skip(exercise: str) -> dict:
    """``keras_results(exercise)``, or ``pytest.skip(SKIP_KEY)`` when it is unavailable."""
    try:
        return keras_results(exercise)
    except KerasUnavailable:
        import pytest

        pytest.skip(SKIP_KEY)


def warm_cache(exercises=(*KERAS_EXERCISES, "rnn"), *, cache_dir: str | Path | None = None,
               in_subprocess: bool = True) -> list[str]:
    """Compute every Keras result the Keras checks of ``exercises`` need, so checks only read.

    Batch grading calls it once before grading anyone: each result is then
    computed once per batch (once per machine and Keras version, in fact),
    never per student. Results already cached are not computed again.

    Inputs:
    - exercises: names; those without a Keras check (the perceptron) are ignored
    - cache_dir: the baseline cache; default ``grader.baseline.default_cache_dir()``
    - in_subprocess: compute in a child Python process (default), so that
      TensorFlow, its threads, memory and global Keras settings stay out of the
      caller; False computes here

    Returns:
    - the exercises whose results are now in the cache

    Raises:
    - KerasUnavailable (``baseline.no_keras``) when a result is missing and
      Keras or its backend is not installed
    - BaselineFailed when the child process fails
    """
    directory = _directory(cache_dir)
    if "rnn" in exercises:      # its Keras results live in grader/baseline/rnn.py
        from grader.baseline import rnn

        rnn.warm_cache(cache_dir=directory, in_subprocess=in_subprocess)
    from grader.baseline import assignment2_suite

    if any(ex in assignment2_suite.KERAS_EXERCISES for ex in exercises):
        assignment2_suite.warm_cache(exercises, cache_dir=directory, in_subprocess=in_subprocess)
    wanted = [ex for ex in KERAS_EXERCISES if ex in exercises]
    missing = [ex for ex in wanted if _cached_results(ex, directory) is None]
    if not missing:
        return wanted
    require_keras()
    if not in_subprocess:
        for exercise in missing:
            _KERAS[exercise](_computing(directory), inputs(exercise))
        return wanted
    compute_in_child("grader.baseline.suite", directory, missing)
    return wanted


def require_keras() -> None:
    """Raise KerasUnavailable (``baseline.no_keras``, naming the package) without Keras."""
    if not keras_importable():
        absent = next(name for name in ("keras", backend_name()) if not findable(name))
        raise KerasUnavailable("baseline.no_keras", package=absent)


def compute_in_child(module: str, directory: Path, exercises) -> None:
    """Run ``module.warm_cache(exercises, cache_dir=directory, in_subprocess=False)`` in a
    child Python process, so TensorFlow, its threads and global settings stay out of ours.

    Raises BaselineFailed when the child fails or takes more than COMPUTE_TIMEOUT_S.
    """
    script = ("import sys\n"
              f"from {module} import warm_cache\n"
              "warm_cache(sys.argv[2:], cache_dir=sys.argv[1], in_subprocess=False)\n")
    try:
        done = subprocess.run([sys.executable, "-c", script, str(directory), *exercises],
                              capture_output=True, text=True, timeout=COMPUTE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise BaselineFailed(f"computing the Keras results of {list(exercises)} took more "
                             f"than {COMPUTE_TIMEOUT_S} s") from None
    if done.returncode != 0:
        raise BaselineFailed(f"computing the Keras results of {list(exercises)} failed:\n"
                             + done.stderr.strip()[-2000:])


__all__ = ["BaselineFailed", "COMPUTE_TIMEOUT_S", "DEVICE", "KERAS_EXERCISES",
           "KerasUnavailable", "SKIP_KEY", "compute_in_child", "inputs", "keras_importable",
           "keras_results", "keras_results_or_skip", "require_keras", "warm_cache"]
