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
# What JSON gives back as it is, and what decode returns as it is: scalars need no walking.
_SCALARS = frozenset((type(None), bool, str, int, float))
_BIG = 2**63        # ints this large (either sign) cross as text, beyond what JSON readers keep
_MAX_DEPTH = 64


def _header_writer():
    """The function that writes a header tree as JSON: the json module's C encoder, made once
    and called as ``JSONEncoder.encode`` calls it (which makes a new one for every call, a third
    of the time a small header takes), or ``JSONEncoder.encode`` itself where that encoder is
    missing or takes other arguments; the same text either way. No circular check: a header
    tree is built by _encode_value, whose containers are new, and a list it keeps as it is
    holds numbers only."""
    encoder = json.JSONEncoder(allow_nan=False, separators=(",", ":"))
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        chunks = make(None, encoder.default, json.encoder.encode_basestring_ascii, None,
                      ":", ",", False, False, False)
    except TypeError:                      # no C encoder (make is None), or another signature
        return encoder.encode
    return lambda tree: "".join(chunks(tree, 0))


_JSON = _header_writer()


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
    """Whether a non-empty list holds only finite floats, or only ints that fit 64 bits: JSON
    as it is (a finite sum means every term is finite). Its first item says which to look for,
    so that a list of anything else costs one look."""
    first = type(values[0])
    if first is float:
        return _FLOATS.issuperset(map(type, values)) and math.isfinite(sum(values))
    if first is int:
        return (_INTS.issuperset(map(type, values))
                and -_BIG < min(values) and max(values) < _BIG)
    return False


class _Arrays:
    """The array bytes of a message being encoded, in the order of their nodes, and their size."""
    __slots__ = ("parts", "size")

    def __init__(self):
        self.parts, self.size = [], 0

    def add(self, value):
        """The header node of the array ``value``, whose bytes come after those added before."""
        text = _dtype_str(value.dtype)
        # A C-contiguous array's own buffer is joined into the message (its bytes copied once,
        # not twice); any other array is copied out in C order first.
        self.parts.append(value if value.flags.c_contiguous else value.tobytes())
        offset, nbytes = self.size, value.nbytes
        self.size = size = offset + nbytes
        if size > MAX_MESSAGE_BYTES:
            raise WireError("message too large")
        return {"__nd__": [text, list(value.shape), offset, nbytes]}


def _encode_value(value, arrays, depth=0):
    kind = type(value)
    if kind is np.ndarray:
        return arrays.add(value)
    if kind in _PLAIN:
        return value
    if depth > _MAX_DEPTH:
        raise WireError("value nested too deeply")
    if kind is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if kind is int:
        return value if abs(value) < _BIG else {"__bigint__": str(value)}
    if kind is list:
        if value and _plain_numbers(value):      # a list of numbers (a listified array) as is
            return value
        return _encode_items(value, arrays, depth + 1)
    if kind is tuple:
        return {"__tuple__": _encode_items(value, arrays, depth + 1)}
    if kind is dict:
        return {"__dict__": _encode_dict(value, arrays, depth + 1)}
    if isinstance(value, np.generic):
        node = _encode_value(np.asarray(value), arrays, depth + 1)
        if not isinstance(node, dict) or "__nd__" not in node:
            raise WireError(f"values of type {kind.__name__} cannot be sent")
        node["__scalar__"] = True
        return node
    if isinstance(value, np.ndarray):
        raise WireError(f"ndarray subclass {kind.__name__} cannot be sent")
    if isinstance(value, np.random.Generator):
        if not isinstance(value.bit_generator, np.random.PCG64):
            raise WireError("only PCG64 random generators can be sent")
        return {"__rng__": _encode_value(value.bit_generator.state, arrays, depth + 1)}
    if isinstance(value, (bool, str)):          # subclasses: sent as the plain value
        return bool(value) if isinstance(value, bool) else str(value)
    if isinstance(value, int):
        return _encode_value(int(value), arrays, depth)
    if isinstance(value, float):
        return _encode_value(float(value), arrays, depth)
    if isinstance(value, (list, tuple)):
        return _encode_value((list if isinstance(value, list) else tuple)(value), arrays,
                             depth)
    raise WireError(f"values of type {kind.__name__} cannot be sent")


# Most items of a list, tuple or dict are leaves that JSON writes as they are (text, None,
# bools, finite floats, ints within 64 bits) or arrays: _encode_items and _encode_dict take
# those in their loop, as _encode_value would, instead of one call each. Past _MAX_DEPTH,
# where _encode_value refuses numbers (and containers), every item goes through it.

def _encode_items(values, arrays, depth):
    """The items of a list or tuple, at ``depth``, encoded (as a new list)."""
    leaves = depth <= _MAX_DEPTH
    out = []
    for item in values:
        kind = type(item)
        if leaves and (kind in _PLAIN or (kind is float and math.isfinite(item))
                       or (kind is int and -_BIG < item < _BIG)):
            out.append(item)
        elif kind is np.ndarray:
            out.append(arrays.add(item))
        else:
            out.append(_encode_value(item, arrays, depth))
    return out


def _encode_dict(value, arrays, depth):
    """The body of a dict whose values are at ``depth``: its keys checked, its values encoded."""
    leaves = depth <= _MAX_DEPTH
    out = {}
    for key, item in value.items():
        if type(key) is not str or key.startswith("__"):
            raise WireError("dict keys must be plain strings")
        kind = type(item)
        if leaves and (kind in _PLAIN or (kind is float and math.isfinite(item))
                       or (kind is int and -_BIG < item < _BIG)):
            out[key] = item
        elif kind is np.ndarray:
            out[key] = arrays.add(item)
        else:
            out[key] = _encode_value(item, arrays, depth)
    return out


def _encode_parts(value):
    """A message as the byte strings it is made of (its header's length, its header, each
    array's bytes) and their total size: joined by encode, or by framed behind the frame's
    length, in one copy."""
    arrays = _Arrays()
    try:
        header = _JSON(_encode_value(value, arrays))
    except RecursionError:
        raise WireError("value nested too deeply") from None
    except (TypeError, ValueError) as exc:
        raise WireError(f"value cannot be sent: {exc}") from None
    head = header.encode("utf-8")
    return [_HEADER.pack(len(head)), head, *arrays.parts], _HEADER.size + len(head) + arrays.size


def encode(value):
    """Encode a plain-data value tree into bytes."""
    return b"".join(_encode_parts(value)[0])


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
    """A message, where its array bytes start in it, and where the next array's bytes must
    start (counted from there)."""
    __slots__ = ("data", "start", "next")

    def __init__(self, data, start):
        self.data, self.start, self.next = data, start, 0


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
    start = payload.start + offset
    if offset != payload.next or nbytes < 0 or start + nbytes > len(payload.data):
        raise WireError("malformed array (its bytes are not the next ones of the message)")
    if count * dtype.itemsize != nbytes:
        raise WireError("array size does not match its shape")
    payload.next = offset + nbytes
    # A view of the message's own bytes (numpy reads the buffer of bytes or a bytearray
    # sooner than a memoryview's), copied into an array of its own.
    arr = np.ndarray(shape, dtype, payload.data, start).copy()
    if scalar:
        if arr.shape != ():
            raise WireError("malformed scalar")
        return arr[()]
    return arr


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
        return _decode_items(node, payload, depth + 1)
    elif kind in _SCALARS:
        return node
    if depth > _MAX_DEPTH:
        raise WireError("message nested too deeply")
    if kind is not dict or len(node) != 1:
        raise WireError("malformed message")
    (tag, body), = node.items()
    if tag == "__dict__" and type(body) is dict:
        return _decode_dict(body, payload, depth + 1)
    if tag == "__tuple__" and type(body) is list:
        return tuple(_decode_items(body, payload, depth + 1))
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


# The lists and dicts of a parsed header are decoded in place, in their order (that of the
# header's text, so arrays come in the order of their bytes): json made them for this message
# alone. Their scalars stay as they are, so a list or dict of scalars only is kept whole after
# one look at the types of its items, in C.

def _decode_items(values, payload, depth):
    """A list of the header whose items are at ``depth``, decoded."""
    if not _SCALARS.issuperset(map(type, values)):
        for i, item in enumerate(values):
            if type(item) not in _SCALARS:
                values[i] = _decode_value(item, payload, depth)
    return values


def _decode_dict(body, payload, depth):
    """The body of a ``__dict__`` whose values are at ``depth``, decoded (any keys, as ever)."""
    if not _SCALARS.issuperset(map(type, body.values())):
        for key, item in body.items():
            if type(item) not in _SCALARS:
                body[key] = _decode_value(item, payload, depth)
    return body


_PARSE = json.JSONDecoder().raw_decode


def _parse_header(text):
    """``json.loads(text)``, less its two whitespace searches when the text is one JSON value
    and nothing else (as encode writes it); any other text goes to json.loads, which returns
    the same value or raises the same error it always did."""
    try:
        tree, end = _PARSE(text)
    except ValueError:
        return json.loads(text)
    if end == len(text):
        return tree
    del tree            # not held while json.loads builds its own (rev7h F2: a 4 MiB header)
    return json.loads(text)


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
        header = _parse_header(str(data[_HEADER.size:_HEADER.size + head_len], "utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise WireError(f"malformed header: {exc}") from None
    except RecursionError:
        raise WireError("message nested too deeply") from None
    payload = _Payload(data, _HEADER.size + head_len)
    try:
        return _decode_value(header, payload)
    except WireError:
        raise
    except RecursionError:
        raise WireError("message nested too deeply") from None
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, MemoryError) as exc:
        raise WireError(f"malformed message: {type(exc).__name__}") from None


def framed(value) -> bytes:
    """One framed message: its length, then ``encode(value)`` (both joined in one copy)."""
    parts, size = _encode_parts(value)
    return b"".join([_HEADER.pack(size), *parts])


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
