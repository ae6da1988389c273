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
# The JSON part of a message (the value tree without array data): decoding it builds Python
# objects, so it is capped on its own (a few MiB hold every legitimate reply many times over).
MAX_HEADER_BYTES = 4 * 1024 * 1024
ALLOWED_KINDS = "biufc"
_HEADER = struct.Struct(">Q")


class WireError(ValueError):
    """A value that cannot cross the process boundary, or a malformed message."""


_PLAIN = frozenset((type(None), bool, str))
_JSON = json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode
_MAX_DEPTH = 64


_ENCODABLE = {}     # dtype -> its string, for the dtypes already accepted (a few)


def _plain_dtype(dtype) -> bool:
    """Whether arrays of ``dtype`` may cross (either way): numbers, not records or objects."""
    return (dtype.kind in ALLOWED_KINDS and dtype.fields is None and not dtype.hasobject
            and dtype.subdtype is None)


def _dtype_str(dtype):
    text = _ENCODABLE.get(dtype)
    if text is None:
        if not _plain_dtype(dtype):
            raise WireError(f"array of dtype {dtype} cannot be sent")
        text = dtype.str
        if len(_ENCODABLE) < 64:
            _ENCODABLE[dtype] = text
    return text


_FLOATS, _INTS = frozenset((float,)), frozenset((int,))


def _plain_numbers(values) -> bool:
    """Whether a list holds only finite floats, or only ints that fit 64 bits: JSON as it is
    (a finite sum means every term is finite)."""
    kinds = set(map(type, values))
    if kinds == _FLOATS:
        return math.isfinite(sum(values))
    if kinds == _INTS:
        return -2**63 < min(values) and max(values) < 2**63
    return False


def _encode_value(value, buffers, state, depth=0):
    kind = type(value)
    if kind is np.ndarray:
        text = _dtype_str(value.dtype)
        data = value.tobytes()
        offset = state["size"]
        buffers.append(data)
        state["size"] = size = offset + len(data)
        if size > MAX_MESSAGE_BYTES:
            raise WireError("message too large")
        return {"__nd__": [text, list(value.shape), offset, len(data)]}
    if kind in _PLAIN:
        return value
    if depth > _MAX_DEPTH:
        raise WireError("value nested too deeply")
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if kind is int:
        return value if abs(value) < 2**63 else {"__bigint__": str(value)}
    if kind is list:
        if value and _plain_numbers(value):      # a list of numbers (a listified array) as is
            return value
        depth += 1
        return [_encode_value(v, buffers, state, depth) for v in value]
    if kind is tuple:
        depth += 1
        return {"__tuple__": [_encode_value(v, buffers, state, depth) for v in value]}
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str or key.startswith("__"):
                raise WireError("dict keys must be plain strings")
            out[key] = _encode_value(item, buffers, state, depth + 1)
        return {"__dict__": out}
    if isinstance(value, np.generic):
        node = _encode_value(np.asarray(value), buffers, state, depth + 1)
        if not isinstance(node, dict) or "__nd__" not in node:
            raise WireError(f"values of type {kind.__name__} cannot be sent")
        node["__scalar__"] = True
        return node
    if isinstance(value, np.ndarray):
        raise WireError(f"ndarray subclass {kind.__name__} cannot be sent")
    if isinstance(value, np.random.Generator):
        if not isinstance(value.bit_generator, np.random.PCG64):
            raise WireError("only PCG64 random generators can be sent")
        return {"__rng__": _encode_value(value.bit_generator.state, buffers, state, depth + 1)}
    if isinstance(value, (bool, str)):          # subclasses: sent as the plain value
        return bool(value) if isinstance(value, bool) else str(value)
    if isinstance(value, int):
        return _encode_value(int(value), buffers, state, depth)
    if isinstance(value, float):
        return _encode_value(float(value), buffers, state, depth)
    if isinstance(value, (list, tuple)):
        return _encode_value((list if isinstance(value, list) else tuple)(value), buffers, state,
                             depth)
    raise WireError(f"values of type {kind.__name__} cannot be sent")


def encode(value):
    """Encode a plain-data value tree into bytes."""
    buffers = []
    try:
        tree = _encode_value(value, buffers, {"size": 0})
        header = _JSON(tree)
    except RecursionError:
        raise WireError("value nested too deeply") from None
    except (TypeError, ValueError) as exc:
        raise WireError(f"value cannot be sent: {exc}") from None
    head = header.encode("utf-8")
    return _HEADER.pack(len(head)) + head + b"".join(buffers)


_DTYPES = {}        # dtype strings already accepted (a few: '<f8', '<i8', '|b1', ...)


def _dtype(dtype_str):
    try:
        dtype = np.dtype(dtype_str)
    except (TypeError, ValueError) as exc:
        raise WireError(f"malformed dtype: {exc}") from None
    if not _plain_dtype(dtype):
        raise WireError(f"array of dtype {dtype} refused")
    if len(_DTYPES) < 64:
        _DTYPES[dtype_str] = dtype
    return dtype


class _Payload:
    """A message's array bytes, and where the next array's must start."""
    __slots__ = ("view", "next")

    def __init__(self, view):
        self.view, self.next = view, 0


def _decode_array(spec, payload, scalar):
    if type(spec) is not list or len(spec) != 4:
        raise WireError("malformed array")
    dtype_str, shape, offset, nbytes = spec
    dtype = _DTYPES.get(dtype_str) if type(dtype_str) is str else None
    if dtype is None:
        if type(dtype_str) is not str or len(dtype_str) > 8:
            raise WireError("malformed array")
        dtype = _dtype(dtype_str)
    if type(shape) is not list or type(offset) is not int or type(nbytes) is not int \
            or len(shape) > 32:
        raise WireError("malformed array")
    count = 1
    for s in shape:
        if type(s) is not int or s < 0:
            raise WireError("malformed array shape")
        count *= s
    # Each array has its own bytes, in the order the encoder wrote them: no two arrays share
    # bytes, so what a message decodes into is never more than the message itself (a header
    # pointing 95 000 arrays at one 8 MiB block would otherwise decode into 760 GiB).
    if offset != payload.next or nbytes < 0 or offset + nbytes > len(payload.view):
        raise WireError("malformed array (its bytes are not the next ones of the message)")
    if count * dtype.itemsize != nbytes:
        raise WireError("array size does not match its shape")
    payload.next = offset + nbytes
    arr = np.frombuffer(payload.view, dtype, count, offset).reshape(shape).copy()
    if scalar:
        if arr.shape != ():
            raise WireError("malformed scalar")
        return arr[()]
    return arr


_NUMBERS = frozenset((int, float))


def _decode_value(node, payload, depth=0):
    kind = type(node)
    if kind is dict:
        if "__nd__" in node:
            size = len(node)
            if size == 1:
                return _decode_array(node["__nd__"], payload, False)
            if size != 2 or node.get("__scalar__") is not True:
                raise WireError("malformed message")
            return _decode_array(node["__nd__"], payload, True)
    elif kind is list:
        if depth > _MAX_DEPTH:
            raise WireError("message nested too deeply")
        if _NUMBERS.issuperset(map(type, node)):    # numbers only: as JSON gave them
            return node
        depth += 1
        return [_decode_value(v, payload, depth) for v in node]
    elif kind in _PLAIN or kind is int or kind is float:
        return node
    if depth > _MAX_DEPTH:
        raise WireError("message nested too deeply")
    if kind is not dict or len(node) != 1:
        raise WireError("malformed message")
    (tag, body), = node.items()
    if tag == "__tuple__" and type(body) is list:
        depth += 1
        return tuple([_decode_value(v, payload, depth) for v in body])
    if tag == "__dict__" and type(body) is dict:
        return {k: _decode_value(v, payload, depth + 1) for k, v in body.items()}
    if tag == "__rng__":
        bitgen = np.random.PCG64(np.random.SeedSequence(0))   # its state is set next
        try:
            bitgen.state = _decode_value(body, payload, depth + 1)
        except (TypeError, ValueError, KeyError, OverflowError) as exc:
            raise WireError(f"malformed random generator state: {exc}") from None
        return np.random.Generator(bitgen)
    if tag == "__float__":
        if body not in ("nan", "inf", "-inf"):
            raise WireError("malformed float")
        return float(body)
    if tag == "__bigint__" and type(body) is str and len(body) <= 4000:
        try:
            return int(body)
        except ValueError:
            raise WireError("malformed integer") from None
    raise WireError("malformed message")


def decode(data):
    """Decode bytes produced by :func:`encode`; raises WireError on anything else."""
    if len(data) < _HEADER.size:
        raise WireError("truncated message")
    (head_len,) = _HEADER.unpack_from(data)
    if head_len > len(data) - _HEADER.size:
        raise WireError("truncated message")
    if head_len > MAX_HEADER_BYTES:
        raise WireError("message header too large")
    try:
        header = json.loads(bytes(data[_HEADER.size:_HEADER.size + head_len]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError(f"malformed header: {exc}") from None
    except RecursionError:
        raise WireError("message nested too deeply") from None
    payload = _Payload(memoryview(data)[_HEADER.size + head_len:])
    try:
        return _decode_value(header, payload)
    except WireError:
        raise
    except RecursionError:
        raise WireError("message nested too deeply") from None
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, MemoryError) as exc:
        raise WireError(f"malformed message: {type(exc).__name__}") from None


def framed(value) -> bytes:
    """One framed message: its length, then ``encode(value)``."""
    body = encode(value)
    return _HEADER.pack(len(body)) + body


def write_message(fd_write, value):
    """Send one framed message on a file descriptor (blocking)."""
    import os
    view = memoryview(framed(value))
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
