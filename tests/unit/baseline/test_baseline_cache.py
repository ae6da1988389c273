"""The baseline's disk cache: keys cover every input, hits are exact and cost no Keras."""

import functools
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from grader import baseline, config, datasets
from grader.baseline import cache as cache_mod


def fake_baseline(params, X, lr, *, seed=0, device="auto", lang=None):
    """A stand-in with the baseline's calling convention (plain data in and out)."""
    return {"sum": np.asarray(X).sum() * lr + seed, "weights": [(W * 2, b) for W, b in params],
            "note": None, "tag": ("a", 1)}


def _counting(fn):
    calls = []

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)

    wrapper.calls = calls
    return wrapper


PARAMS = datasets.init_params([2, 3, 1], seed=0)
X = np.arange(6.0).reshape(3, 2)


def test_a_hit_returns_identical_data_and_does_not_call_again(tmp_path):
    fn = _counting(fake_baseline)
    first = cache_mod.cached(fn, PARAMS, X, 0.5, device="cpu", cache_dir=tmp_path)
    second = cache_mod.cached(fn, PARAMS, X, 0.5, device="cpu", cache_dir=tmp_path)
    assert len(fn.calls) == 1
    assert second["sum"] == first["sum"] and second["note"] is None and second["tag"] == ("a", 1)
    for (W1, b1), (W2, b2) in zip(first["weights"], second["weights"]):
        assert W2.dtype == W1.dtype and np.array_equal(W1, W2) and np.array_equal(b1, b2)
    assert isinstance(second["weights"][0], tuple)


def test_the_language_does_not_change_the_key_but_every_input_does():
    key = functools.partial(cache_mod.cache_key, fake_baseline)
    base = key(PARAMS, X, 0.5, device="cpu")
    assert key(PARAMS, X, 0.5, device="cpu", lang="en") == base
    assert key(PARAMS, X, lr=0.5, device="cpu") == base          # positional or keyword
    changed = [
        key(PARAMS, X, 0.25, device="cpu"),
        key(PARAMS, X, 0.5, seed=1, device="cpu"),
        key(PARAMS, X + 1e-12, 0.5, device="cpu"),
        key(PARAMS, X.astype(np.float32), 0.5, device="cpu"),
        key(PARAMS, X.reshape(2, 3), 0.5, device="cpu"),
        key(datasets.init_params([2, 3, 1], seed=1), X, 0.5, device="cpu"),
    ]
    assert base not in changed and len(set(changed)) == len(changed)


def test_the_key_covers_versions_backend_and_device(monkeypatch):
    key = functools.partial(cache_mod.cache_key, fake_baseline, PARAMS, X, 0.5)
    base = key(device="cpu")
    monkeypatch.setattr(cache_mod, "versions", lambda backend=None: {"keras": "9.9", "x": "1"})
    assert key(device="cpu") != base
    monkeypatch.undo()
    monkeypatch.setattr(cache_mod, "resolve_device", lambda device, lang=None: "gpu")
    assert key(device="cpu") != base
    monkeypatch.undo()
    other = "tensorflow" if cache_mod.backend_name() == "jax" else "jax"
    monkeypatch.setattr(cache_mod, "backend_name", lambda: other)
    assert key(device="cpu") != base


def test_an_unreadable_entry_is_recomputed_and_rewritten(tmp_path):
    fn = _counting(fake_baseline)
    cache_mod.cached(fn, PARAMS, X, 0.5, device="cpu", cache_dir=tmp_path)
    [entry] = tmp_path.iterdir()
    entry.write_bytes(b"not a zip file")
    again = cache_mod.cached(fn, PARAMS, X, 0.5, device="cpu", cache_dir=tmp_path)
    assert len(fn.calls) == 2 and again["tag"] == ("a", 1)
    assert np.load(entry, allow_pickle=False).files   # readable again


def test_entries_are_plain_npz_without_pickle_and_no_temporary_file_is_left(tmp_path):
    cache_mod.cached(fake_baseline, PARAMS, X, 0.5, device="cpu", cache_dir=tmp_path)
    [entry] = tmp_path.iterdir()
    assert entry.suffix == ".npz" and entry.name.startswith("fake_baseline-")
    with np.load(entry, allow_pickle=False) as stored:
        skeleton = json.loads(str(stored["__skeleton__"]))
        assert all(stored[name].dtype != object for name in stored.files)
    assert "$dict" in skeleton


def test_object_arrays_are_refused():
    with pytest.raises(TypeError):
        cache_mod._encode(np.array([None, 1], dtype=object), [])


def test_default_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DL_GRADER_CACHE", str(tmp_path))
    assert cache_mod.default_cache_dir() == tmp_path / "baseline"
    monkeypatch.delenv("DL_GRADER_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_mod.default_cache_dir() == tmp_path / "xdg" / "dl-grader" / "baseline"


def test_asking_for_a_gpu_that_cannot_exist_fails_before_any_import(monkeypatch):
    monkeypatch.setattr("grader.baseline.backend._gpu_possible", lambda backend: False)
    with pytest.raises(baseline.DeviceUnavailableError):
        cache_mod.cache_key(fake_baseline, PARAMS, X, 0.5, device="gpu")


@pytest.mark.keras
def test_a_cached_keras_run_is_reused_without_importing_tensorflow(tmp_path):
    Xx, Yx = datasets.xor()
    args = (PARAMS, Xx, Yx)
    fit = _counting(baseline.fit_sgd)
    kw = dict(lr=0.5, batch_size=2, epochs=3, device="cpu", cache_dir=tmp_path)
    first = cache_mod.cached(fit, *args, **kw)
    second = cache_mod.cached(fit, *args, **kw)
    assert len(fit.calls) == 1
    np.testing.assert_array_equal(first["history"], second["history"])
    assert first["device"] == second["device"]
    script = textwrap.dedent(f"""
        import sys
        from grader import baseline, datasets
        X, Y = datasets.xor()
        params = datasets.init_params([2, 3, 1], seed=0)
        run = baseline.cached(baseline.fit_sgd, params, X, Y, lr=0.5, batch_size=2, epochs=3,
                              device="cpu", cache_dir={str(tmp_path)!r})
        print(repr(run["history"].tolist()))
        print(sorted(m for m in ("tensorflow", "keras", "jax") if m in sys.modules))
    """)
    env = {k: v for k, v in os.environ.items()}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=config.REPO_DIR, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    history, imported = done.stdout.strip().splitlines()
    assert history == repr(first["history"].tolist())
    assert imported == "[]"
