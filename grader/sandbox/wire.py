"""Plain-data codec between the judge and a worker process (never pickle).

A message is ``[8-byte big-endian header length][JSON header][raw buffers]``.
The JSON header holds the value tree; numpy arrays are replaced by
``{"__nd__": [dtype, shape, offset, nbytes]}`` that point into the buffers.
Only bool/int/uint/float/complex dtypes cross; objects, strings-in-arrays,
structured dtypes and ndarray subclasses are refused on both sides.

This module must stay importable with the standard library and numpy alone:
its source is also sent verbatim into the worker (see runner.py).
"""

import json
import math
import struct

import numpy as np

MAX_MESSAGE_BYTES = 512 * 1024 * 1024
ALLOWED_KINDS = "biufc"
_HEADER = struct.Struct(">Q")


class WireError(ValueError):
    """A value that cannot cross the process boundary, or a malformed message."""


def _encode_value(value, buffers, state):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else {"__bigint__": str(value)}
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return {"__float__": repr(value)}
    if isinstance(value, np.generic):
        return _encode_value(np.asarray(value), buffers, state) | {"__scalar__": True}
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray:
            raise WireError(f"ndarray subclass {type(value).__name__} cannot be sent")
        if value.dtype.kind not in ALLOWED_KINDS or value.dtype.fields is not None:
            raise WireError(f"array of dtype {value.dtype} cannot be sent")
        data = np.ascontiguousarray(value).tobytes()
        offset = state["size"]
        buffers.append(data)
        state["size"] += len(data)
        if state["size"] > MAX_MESSAGE_BYTES:
            raise WireError("message too large")
        return {"__nd__": [value.dtype.str, list(value.shape), offset, len(data)]}
    if isinstance(value, np.random.Generator):
        if not isinstance(value.bit_generator, np.random.PCG64):
            raise WireError("only PCG64 random generators can be sent")
        return {"__rng__": _encode_value(value.bit_generator.state, buffers, state)}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode_value(v, buffers, state) for v in value]}
    if isinstance(value, list):
        return [_encode_value(v, buffers, state) for v in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or key.startswith("__"):
                raise WireError("dict keys must be plain strings")
            out[key] = _encode_value(item, buffers, state)
        return {"__dict__": out}
    raise WireError(f"values of type {type(value).__name__} cannot be sent")


def encode(value):
    """Encode a plain-data value tree into bytes."""
    buffers = []
    header = json.dumps(_encode_value(value, buffers, {"size": 0}), allow_nan=False)
    head = header.encode("utf-8")
    return _HEADER.pack(len(head)) + head + b"".join(buffers)


def _decode_value(node, payload):
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if isinstance(node, list):
        return [_decode_value(v, payload) for v in node]
    if not isinstance(node, dict) or len(node) not in (1, 2):
        raise WireError("malformed message")
    if "__nd__" in node:
        dtype_str, shape, offset, nbytes = node["__nd__"]
        dtype = np.dtype(dtype_str)
        if dtype.kind not in ALLOWED_KINDS or dtype.fields is not None or dtype.hasobject:
            raise WireError(f"array of dtype {dtype} refused")
        shape = tuple(int(s) for s in shape)
        if any(s < 0 for s in shape) or offset < 0 or offset + nbytes > len(payload):
            raise WireError("malformed array")
        count = math.prod(shape)
        if count * dtype.itemsize != nbytes:
            raise WireError("array size does not match its shape")
        arr = np.frombuffer(payload, dtype=dtype, count=count, offset=offset).reshape(shape).copy()
        if node.get("__scalar__"):
            return arr[()]
        return arr
    if len(node) != 1:
        raise WireError("malformed message")
    if "__tuple__" in node:
        return tuple(_decode_value(v, payload) for v in node["__tuple__"])
    if "__dict__" in node:
        return {str(k): _decode_value(v, payload) for k, v in node["__dict__"].items()}
    if "__rng__" in node:
        bitgen = np.random.PCG64()
        try:
            bitgen.state = _decode_value(node["__rng__"], payload)
        except (TypeError, ValueError, KeyError) as exc:
            raise WireError(f"malformed random generator state: {exc}") from None
        return np.random.Generator(bitgen)
    if "__float__" in node:
        text = node["__float__"]
        if text not in ("nan", "inf", "-inf"):
            raise WireError("malformed float")
        return float(text)
    if "__bigint__" in node:
        return int(node["__bigint__"])
    raise WireError("malformed message")


def decode(data):
    """Decode bytes produced by :func:`encode`; raises WireError on anything else."""
    if len(data) < _HEADER.size:
        raise WireError("truncated message")
    (head_len,) = _HEADER.unpack_from(data)
    if head_len > len(data) - _HEADER.size:
        raise WireError("truncated message")
    try:
        header = json.loads(data[_HEADER.size:_HEADER.size + head_len].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireError(f"malformed header: {exc}") from None
    payload = memoryview(data)[_HEADER.size + head_len:]
    return _decode_value(header, payload)


def write_message(fd_write, value):
    """Send one framed message on a file descriptor (blocking)."""
    import os
    body = encode(value)
    frame = _HEADER.pack(len(body)) + body
    view = memoryview(frame)
    while view:
        written = os.write(fd_write, view)
        view = view[written:]


def read_exact(fd_read, size):
    import os
    chunks = []
    remaining = size
    while remaining:
        chunk = os.read(fd_read, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(fd_read):
    """Read one framed message (blocking). The worker side uses this."""
    (size,) = _HEADER.unpack(read_exact(fd_read, _HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise WireError("message too large")
    return decode(read_exact(fd_read, size))
