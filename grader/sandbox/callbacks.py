"""What a worker may ask the judge to compute: bounded BEFORE the reference runs.

A worker calls back into the judge for substituted dependencies (the trusted
reference evaluated in the judge). The arguments come from student code, so
they are checked first, against the shapes the exercise contract allows and
a size cap; only then does the reference run:

- only plain numbers, booleans, None, short strings, numpy arrays of numbers,
  and lists / tuples / dicts of those (what the contract's functions take);
- every array at most ``MAX_ARRAY_ELEMENTS`` elements, at most ``MAX_NDIM``
  dimensions, each dimension at most ``MAX_DIM`` (the course's largest data
  set, digits, is 1797 x 64); all arguments together at most ``MAX_TOTAL_BYTES``;
- a shape argument (a tuple or list of at most ``MAX_NDIM`` ints, dropout_mask's) at
  most ``MAX_ARRAY_ELEMENTS`` elements, like an array; a string counts its length;
- no pair of array arguments may combine into more than ``MAX_PAIR_ELEMENTS``,
  by broadcasting (``(n, 1)`` with ``(1, n)`` is ``n x n``) or by a matrix
  product in any orientation: what made the judge grow quadratically.

Pairs do not see every way three or more arguments combine (``hidden_delta`` on
``(1, 2)``, ``(n, 2)`` and ``(n, 1)`` is ``(1, n) * (n, 1)``: n x n, though every pair is
small), so the reference also runs with a bounded address space
(:func:`bounded_address_space`): what it would allocate beyond
``REFERENCE_HEADROOM_BYTES`` is a MemoryError, an error of the student's call.

A refused callback is an error of the student's call (a ValueError the
student's code sees), never work for the judge. The reference's own result is
bounded by the same total size, number of values and depth (:func:`value_size`;
not by shapes: no code of the judge combines it), so the judge's memory per
callback stays within a few times ``MAX_TOTAL_BYTES``.
"""

from __future__ import annotations

import math
import os

import numpy as np

try:
    import resource
except ImportError:                 # Windows: no address-space bound there
    resource = None

MAX_ARRAY_ELEMENTS = 1 << 20        # 8 MiB of float64 per array
MAX_PAIR_ELEMENTS = 1 << 22         # 32 MiB of float64: what two arguments may combine into
MAX_TOTAL_BYTES = 32 * 1024 * 1024  # all arguments of one callback
MAX_DIM = 16_384
MAX_NDIM = 4
MAX_ITEMS = 10_000                  # list / tuple / dict entries, all levels together
MAX_STRING = 1_000
MAX_DEPTH = 8
# What the reference may allocate while answering one callback, beyond what the judge holds:
# arguments and results are at most 32 MiB each, and the reference's intermediates a few times
# that.
REFERENCE_HEADROOM_BYTES = 256 * 1024 * 1024


class CallbackRefused(ValueError):
    """The arguments of a callback are outside the contract's shapes or the size cap."""


def _walk(value, arrays, state, depth=0):
    if depth > MAX_DEPTH:
        raise CallbackRefused("arguments nested too deeply")
    state["items"] += 1
    if state["items"] > MAX_ITEMS:
        raise CallbackRefused(f"more than {MAX_ITEMS} values in the arguments")
    kind = type(value)                    # the common cases first (a training run's callbacks
    if kind is np.ndarray:                # come by the hundred), then every other type
        _array(value, arrays, state)
        return
    if kind is list or kind is tuple:
        depth += 1
        if depth > MAX_DEPTH and value:
            raise CallbackRefused("arguments nested too deeply")
        if depth > 1 and 0 < len(value) <= MAX_NDIM and all(type(v) is int for v in value) \
                and math.prod(abs(v) for v in value) > MAX_ARRAY_ELEMENTS:
            # an argument that is a shape (dropout_mask's): what the reference would
            # allocate from it is bounded like an array argument
            raise CallbackRefused(f"a shape of more than {MAX_ARRAY_ELEMENTS} elements")
        for item in value:
            if type(item) is np.ndarray:   # an array in a list: counted here, one call less
                state["items"] += 1
                _array(item, arrays, state)
            else:
                _walk(item, arrays, state, depth)
        if state["items"] > MAX_ITEMS:
            raise CallbackRefused(f"more than {MAX_ITEMS} values in the arguments")
        return
    if kind in _PLAIN_SCALARS:
        return
    if value is None or isinstance(value, (bool, int, float, complex, np.generic)):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2 ** 63:
            raise CallbackRefused("an integer argument is too large")
        return
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise CallbackRefused("a text argument is too long")
        state["bytes"] += len(value)          # counted by its size, like an array
        return
    if isinstance(value, np.ndarray):
        _array(value, arrays, state)
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _walk(item, arrays, state, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(key, arrays, state, depth + 1)
            _walk(item, arrays, state, depth + 1)
        return
    if isinstance(value, np.random.Generator):
        return
    raise CallbackRefused(f"an argument of type {type(value).__name__}")


_PLAIN_SCALARS = frozenset((bool, float, complex, type(None)))


def _array(value: np.ndarray, arrays: list, state: dict):
    shape = value.shape
    size = value.size
    if len(shape) > MAX_NDIM or size > MAX_ARRAY_ELEMENTS or (shape and max(shape) > MAX_DIM):
        if len(shape) > MAX_NDIM:
            raise CallbackRefused(f"an array with {len(shape)} dimensions (at most {MAX_NDIM})")
        if max(shape) > MAX_DIM:
            raise CallbackRefused(f"an array of shape {shape} (no dimension above {MAX_DIM})")
        raise CallbackRefused(f"an array of {size} elements (at most {MAX_ARRAY_ELEMENTS})")
    state["bytes"] += value.nbytes
    arrays.append(value)


def _pair_bound(a: np.ndarray, b: np.ndarray) -> int:
    """The largest array one elementwise or matrix operation on a and b can produce."""
    largest = max(a.size, b.size)
    try:
        largest = max(largest, math.prod(np.broadcast_shapes(a.shape, b.shape)))
    except ValueError:
        pass
    if a.ndim >= 1 and b.ndim >= 1:
        da = a.shape[-2:] if a.ndim >= 2 else (1, a.shape[0])
        db = b.shape[-2:] if b.ndim >= 2 else (b.shape[0], 1)
        for p, q in (da, da[::-1]):
            for r, s in (db, db[::-1]):
                if q == r:
                    largest = max(largest, p * s)
        if a.ndim == 1 and b.ndim == 1:
            largest = max(largest, a.shape[0] * b.shape[0])   # np.outer
    return largest


def check_callback_args(args, kwargs) -> int:
    """Raise CallbackRefused unless ``args``/``kwargs`` fit the contract's shapes and sizes.

    Returns their size: the bytes of their arrays, and 64 per value of any kind."""
    arrays: list = []
    state = {"items": 0, "bytes": 0}
    _walk(list(args), arrays, state)
    _walk(dict(kwargs), arrays, state)
    if state["bytes"] > MAX_TOTAL_BYTES:
        raise CallbackRefused(f"arguments of {state['bytes']} bytes "
                              f"(at most {MAX_TOTAL_BYTES})")
    if len(arrays) > 64:
        raise CallbackRefused("more than 64 arrays in the arguments")
    arrays.sort(key=lambda x: x.size, reverse=True)
    for i, a in enumerate(arrays):
        for b in arrays[i + 1:]:
            if a.size * b.size <= MAX_PAIR_ELEMENTS:
                break                     # no operation on the two can be larger: nor on smaller
            if _pair_bound(a, b) > MAX_PAIR_ELEMENTS:
                raise CallbackRefused(
                    f"arrays of shapes {a.shape} and {b.shape} combine into more than "
                    f"{MAX_PAIR_ELEMENTS} elements: not shapes the exercise takes")
    return state["bytes"] + 64 * state["items"]


def value_size(value) -> int:
    """The size of what the reference answered (bytes of its arrays, and 64 per value, as
    check_callback_args counts arguments); CallbackRefused past MAX_TOTAL_BYTES, MAX_ITEMS
    or MAX_DEPTH, or for a type that cannot cross. Only sizes are checked: no code of the
    judge combines the reference's values, so their shapes bound nothing (a training run
    asks this of every step's answer)."""
    state = [0, 0]                      # bytes, values
    _size(value, state, 0)
    if state[0] > MAX_TOTAL_BYTES:
        raise CallbackRefused(f"a result of {state[0]} bytes (at most {MAX_TOTAL_BYTES})")
    return state[0] + 64 * state[1]


def _size(value, state, depth):
    kind = type(value)
    state[1] += 1
    if kind is np.ndarray:
        state[0] += value.nbytes
        return
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH:
            raise CallbackRefused("a result nested too deeply")
        for item in value:
            if type(item) is np.ndarray:
                state[0] += item.nbytes
                state[1] += 1
            else:
                _size(item, state, depth + 1)
    elif kind in _PLAIN_SCALARS or kind is int:
        return
    elif kind is dict:
        if depth >= MAX_DEPTH:
            raise CallbackRefused("a result nested too deeply")
        for key, item in value.items():
            _size(key, state, depth + 1)
            _size(item, state, depth + 1)
    elif kind is str:
        if len(value) > MAX_STRING:
            raise CallbackRefused("a text in the result is too long")
        state[0] += len(value)
    elif not isinstance(value, (np.generic, np.random.Generator)):
        raise CallbackRefused(f"a result of type {kind.__name__}")
    if state[1] > MAX_ITEMS:
        raise CallbackRefused(f"more than {MAX_ITEMS} values in the result")


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _vm_size() -> int | None:
    """The address space this process holds now (Linux: /proc/self/statm's first field,
    VmSize in pages; reading it costs a tenth of /proc/self/status), else None."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split(None, 1)[0]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


class AddressSpaceGauge:
    """This process's address space, read from /proc at most every ``every`` readings.

    The callbacks of one student call come by the hundred (a training run asks the
    reference for every step); between two of them the judge holds only bounded
    messages, so a reading a few callbacks old still bounds what the reference may
    allocate (its error is what the judge allocated since, far below the headroom).
    """

    def __init__(self, every: int = 64):
        self.every, self.count, self.size = every, 0, None

    def __call__(self) -> int | None:
        if self.size is None or self.count >= self.every:
            self.size, self.count = _vm_size(), 0
        self.count += 1
        return self.size


def bounded_address_space(headroom: int = REFERENCE_HEADROOM_BYTES, gauge=None):
    """``with bounded_address_space():`` runs the block with at most ``headroom`` bytes of
    address space more than this process holds (RLIMIT_AS, restored afterwards): a larger
    allocation is a MemoryError.

    ``gauge``: what this process holds (an AddressSpaceGauge); default: read it now.
    Where the limit cannot be set (no /proc, a platform without RLIMIT_AS) the block runs
    unbounded; grading requires Linux, where it can.
    """
    return _AddressSpaceBound(headroom, gauge)


class _AddressSpaceBound:
    """The context manager of bounded_address_space (a class, not a generator: a training
    run asks it of every callback)."""

    __slots__ = ("headroom", "gauge", "restore")

    def __init__(self, headroom: int, gauge):
        self.headroom, self.gauge, self.restore = headroom, gauge, None

    def __enter__(self):
        if resource is None:
            return self
        try:
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        except (AttributeError, OSError, ValueError):
            return self
        size = (self.gauge or _vm_size)()
        if size is None:
            return self
        limit = size + self.headroom
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return self                       # already as strict
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (OSError, ValueError):
            return self
        self.restore = (soft, hard)
        return self

    def __exit__(self, *exc) -> bool:
        if self.restore is not None:
            restore, self.restore = self.restore, None
            resource.setrlimit(resource.RLIMIT_AS, restore)
        return False
