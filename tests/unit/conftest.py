"""Shared fixtures of the grader's unit tests.

`load_modules` imports the five exercise modules (activations, perceptron,
backprop, sgd, dropout) from one directory, e.g. solutions/ or exercises/,
which use the same top-level module names and import each other by them
(`from activations import sigmoid`). The modules are imported fresh and
sys.modules / sys.path are restored right after, so loading solutions/ in one
test never leaks into a test that loads exercises/.

    def test_something(load_modules):
        ref = load_modules(SOLUTIONS_DIR)
        ref.activations.sigmoid(0.0)
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"
# Dependency order: each module only imports modules listed before it.
EXERCISE_MODULES = ("activations", "dropout", "perceptron", "backprop", "sgd",
                    "more_activations", "losses", "optimizers", "early_stopping", "data")


def pytest_configure(config):
    # Registered here too so these tests also run under --strict-markers
    # without the project's pytest configuration (duplicates are harmless).
    config.addinivalue_line("markers", "slow: takes seconds; still run in CI")
    config.addinivalue_line("markers", "keras: needs TensorFlow/Keras")


def import_isolated(directory, names=EXERCISE_MODULES) -> SimpleNamespace:
    """Import ``names`` fresh from ``directory`` and return them as attributes of
    a namespace, leaving sys.modules, sys.path and the directory (no
    __pycache__) exactly as they were."""
    directory = str(Path(directory).resolve())
    saved_modules = {name: sys.modules.pop(name) for name in names if name in sys.modules}
    saved_path = list(sys.path)
    saved_bytecode = sys.dont_write_bytecode
    sys.path.insert(0, directory)
    sys.dont_write_bytecode = True
    importlib.invalidate_caches()
    try:
        loaded = {name: importlib.import_module(name) for name in names}
    finally:
        for name in names:
            sys.modules.pop(name, None)
        sys.modules.update(saved_modules)
        sys.path[:] = saved_path
        sys.dont_write_bytecode = saved_bytecode
    for name, module in loaded.items():
        if Path(module.__file__).resolve().parent != Path(directory):
            raise ImportError(f"{name} was imported from {module.__file__}, not from {directory}")
    return SimpleNamespace(**loaded)


@pytest.fixture(scope="session")
def load_modules():
    """Return ``load(directory, names=EXERCISE_MODULES) -> SimpleNamespace``.

    Session-scoped (it is a pure function), so fixtures of any scope can use it;
    every call imports fresh module objects."""
    return import_isolated
