"""A disk cache of baseline results: Keras runs once per configuration, not once per student.

    result = cached(fit_sgd, params, X, Y, lr=0.5, batch_size=4, epochs=100, device="cpu")
    result = lookup(fit_sgd, params, X, Y, ...)    # the cached result or None; never computes

The key is a SHA-256 of everything that determines the result: the function,
every argument after defaults are applied (arrays by dtype, shape and bytes;
``lang`` excluded, it changes only messages), the Keras backend, the installed
versions of Keras and the backend, the device the call would run on, and
``CACHE_VERSION``. The key is computed without importing Keras whenever the
device is certainly the CPU (see ``backend.resolve_device``), so a hit costs
neither TensorFlow's import nor its work.

Entries are ``.npz`` files written atomically (temporary file, then
``os.replace``) and read with ``allow_pickle=False``: the arrays, plus a JSON
skeleton of the nested result (dicts, lists, tuples, numbers, strings, None).
A file that cannot be read is treated as a miss and rewritten.

Where: ``cache_dir`` if given; else ``$DL_GRADER_CACHE/baseline``; else
``$XDG_CACHE_HOME/dl-grader/baseline``; else ``~/.cache/dl-grader/baseline``.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

from grader.atomic import atomic_write_bytes
from grader.baseline.backend import backend_name, resolve_device, versions

CACHE_ENV_VAR = "DL_GRADER_CACHE"
# Bump when a change to the baseline code changes what it returns.
CACHE_VERSION = 3
_SKELETON = "__skeleton__"


def default_cache_dir() -> Path:
    """The cache directory used when none is given (see the module docstring)."""
    if os.environ.get(CACHE_ENV_VAR):
        root = Path(os.environ[CACHE_ENV_VAR])
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dl-grader"
    return root / "baseline"


def _encode(value, arrays: list[np.ndarray]):
    """``value`` as JSON-able data, its arrays appended to ``arrays`` and referred to by index."""
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError("object arrays cannot be cached")
        arrays.append(value)
        return {"$array": len(arrays) - 1}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"$dict": {k: _encode(v, arrays) for k, v in value.items()}}
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot cache a value of type {type(value).__name__}")


def _decode(node, arrays: dict[str, np.ndarray]):
    if isinstance(node, list):
        return [_decode(v, arrays) for v in node]
    if isinstance(node, dict):
        if "$array" in node:
            return arrays[f"a{node['$array']}"]
        if "$tuple" in node:
            return tuple(_decode(v, arrays) for v in node["$tuple"])
        return {k: _decode(v, arrays) for k, v in node["$dict"].items()}
    return node


def cache_key(fn, *args, **kwargs) -> str:
    """The hex SHA-256 naming the result of ``fn(*args, **kwargs)`` (see the module docstring)."""
    bound = inspect.signature(fn).bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    lang = arguments.pop("lang", None)
    device = arguments.get("device", "auto")
    backend = backend_name()
    context = {
        "function": f"{fn.__module__}.{fn.__qualname__}",
        "cache_version": CACHE_VERSION,
        "backend": backend,
        "versions": versions(backend),
        "device": resolve_device(device, lang),
    }
    arrays: list[np.ndarray] = []
    skeleton = _encode({"context": context, "arguments": arguments}, arrays)
    digest = hashlib.sha256(json.dumps(skeleton, sort_keys=True).encode())
    for array in arrays:
        array = np.ascontiguousarray(array)
        digest.update(f"|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def _read(path: Path):
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        return _decode(json.loads(str(arrays.pop(_SKELETON))), arrays)
    except (OSError, ValueError, KeyError, TypeError, zipfile.BadZipFile, EOFError):
        return None


def _write(path: Path, result) -> None:
    arrays: list[np.ndarray] = []
    skeleton = json.dumps(_encode(result, arrays))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{f"a{i}": a for i, a in enumerate(arrays)},
                        **{_SKELETON: np.array(skeleton)})
    atomic_write_bytes(path, buffer.getvalue(), durable=False)


def _entry(fn, args, kwargs, cache_dir) -> Path:
    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return directory / f"{fn.__name__}-{cache_key(fn, *args, **kwargs)}.npz"


def lookup(fn, /, *args, cache_dir: str | Path | None = None, **kwargs):
    """The cached result of ``fn(*args, **kwargs)``, or None when there is none; never computes.

    Costs no Keras import when the call would run on the CPU (see the module docstring).
    """
    path = _entry(fn, args, kwargs, cache_dir)
    return _read(path) if path.is_file() else None


def cached(fn, /, *args, cache_dir: str | Path | None = None, **kwargs):
    """``fn(*args, **kwargs)``, read from the disk cache when it was computed before.

    Inputs:
    - fn: a baseline function (``fit_sgd``, ``gradients``, ``predict``,
      ``dropout``, ``activations``) or any function of plain data returning
      plain data (nested dicts/lists/tuples of arrays, numbers, strings, None)
    - cache_dir: where entries live; default ``default_cache_dir()``

    Returns:
    - what ``fn`` returns (arrays come back bit for bit; tuples stay tuples)
    """
    path = _entry(fn, args, kwargs, cache_dir)
    if path.is_file():
        result = _read(path)
        if result is not None:
            return result
    result = fn(*args, **kwargs)
    _write(path, result)
    return result
