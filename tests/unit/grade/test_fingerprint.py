"""The grader's fingerprint (part of every stored grade's key): any change of the judge's
code, checks or reference solutions changes it, so a re-run grades again rather than
reusing a grade made by other code. It once listed a package path that had been renamed
(``grader/grade/`` for ``grader/grading/``), and the judge's changes went unseen."""

import pytest

from grader import config
from grader.grading import store


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A copy-like install: the package's real folder names, a few files in each."""
    files = {
        "grader/config.py": "X = 1\n",
        "grader/grading/judge.py": "def judge():\n    return 1\n",
        "grader/grading/rows.py": "ROWS = 1\n",
        "grader/ingest/extras.py": "LIMIT = 5\n",
        "grader/checks/engine.py": "ENGINE = 1\n",
        "grader/i18n/batch.toml": "[a]\nes = 'x'\nen = 'x'\n",
        "grader/data/digits.npz": "binary",
        "solutions/activations.py": "def sigmoid(z):\n    return z\n",
        "exercises/activations.py": "def sigmoid(z):\n    raise NotImplementedError\n",
        "tests/checks/activations/hidden.py": "def test_x():\n    assert True\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(config, "PACKAGE_DIR", tmp_path / "grader")
    monkeypatch.setattr(config, "SOLUTIONS_DIR", tmp_path / "solutions")
    monkeypatch.setattr(config, "EXERCISES_DIR", tmp_path / "exercises")
    monkeypatch.setattr(config, "CHECKS_DIR", tmp_path / "tests" / "checks")
    store.grader_fingerprint.cache_clear()
    yield tmp_path
    store.grader_fingerprint.cache_clear()


def _fingerprint():
    store.grader_fingerprint.cache_clear()
    return store.grader_fingerprint()


@pytest.mark.parametrize("name", [
    "grader/grading/judge.py", "grader/grading/rows.py", "grader/ingest/extras.py",
    "grader/checks/engine.py", "grader/config.py", "grader/i18n/batch.toml",
    "grader/data/digits.npz", "solutions/activations.py", "exercises/activations.py",
    "tests/checks/activations/hidden.py"])
def test_a_change_to_any_file_of_the_judge_changes_the_fingerprint(tree, name):
    before = _fingerprint()
    with open(tree / name, "a") as fh:
        fh.write("# changed\n")
    assert _fingerprint() != before, f"a change to {name} kept the stored grades"


def test_a_new_module_of_the_package_changes_it_too(tree):
    before = _fingerprint()
    (tree / "grader" / "scoring").mkdir()
    (tree / "grader" / "scoring" / "points.py").write_text("POINTS = 2\n")
    assert _fingerprint() != before


def test_caches_and_compiled_files_do_not_change_it(tree):
    before = _fingerprint()
    cache = tree / "grader" / "grading" / "__pycache__"
    cache.mkdir()
    (cache / "judge.cpython-311.pyc").write_bytes(b"\0compiled")
    (tree / "grader" / ".judge.py.swp").write_bytes(b"editor")
    assert _fingerprint() == before


def test_a_stored_grade_is_not_reused_after_the_judge_changed(tree, tmp_path):
    run = store.RunStore(tmp_path / "out").open()
    store.grader_fingerprint.cache_clear()
    old_key = run.key("digest", 1, {"memory": 512})
    run.save(old_key, {"checks": []})
    (tree / "grader" / "grading" / "judge.py").write_text("def judge():\n    return 2\n")
    store.grader_fingerprint.cache_clear()
    new_key = run.key("digest", 1, {"memory": 512})
    assert new_key != old_key and run.load(new_key) is None
