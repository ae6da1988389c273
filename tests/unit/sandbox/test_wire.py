"""The wire codec carries plain data only, exactly, and refuses everything else."""

import pickle

import numpy as np
import pytest

from grader.sandbox import wire


def roundtrip(value):
    return wire.decode(wire.encode(value))


def test_arrays_of_every_numeric_dtype_round_trip_exactly():
    for dtype in ("float64", "float32", "int64", "int8", "uint16", "bool", "complex128"):
        arr = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
        got = roundtrip(arr)
        assert got.dtype == arr.dtype and got.shape == arr.shape
        np.testing.assert_array_equal(got, arr)


def test_nested_structures_keep_tuples_lists_dicts_and_special_floats():
    value = {"params": [(np.eye(2), np.zeros(2))], "h": [0.5, float("nan"), float("inf")],
             "n": None, "flag": True, "big": 2**80, "s": "ñ"}
    got = roundtrip(value)
    assert isinstance(got["params"][0], tuple)
    np.testing.assert_array_equal(got["params"][0][0], np.eye(2))
    assert np.isnan(got["h"][1]) and got["h"][2] == float("inf")
    assert got["big"] == 2**80 and got["s"] == "ñ" and got["flag"] is True


def test_numpy_scalars_come_back_as_numpy_scalars():
    got = roundtrip(np.int64(7))
    assert got == 7 and isinstance(got, np.int64)


def test_zero_d_arrays_stay_arrays():
    got = roundtrip(np.array(3))
    assert isinstance(got, np.ndarray) and got.shape == ()


def test_random_generators_cross_with_their_state():
    rng = np.random.default_rng(42)
    rng.random(3)
    clone = roundtrip(rng)
    np.testing.assert_array_equal(clone.random(5), rng.random(5))


@pytest.mark.parametrize("value", [
    np.array([object()], dtype=object),
    np.ma.masked_array([1.0, 2.0]),
    np.array([("a", 1)], dtype=[("name", "U1"), ("v", "i4")]),
    np.array(["text"]),
    object(),
    {1: "non-string key"},
    {"__nd__": "forged key"},
    lambda: None,
])
def test_encode_refuses_values_that_are_not_plain_data(value):
    with pytest.raises(wire.WireError):
        wire.encode(value)


def test_decode_refuses_a_pickle_payload():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    with pytest.raises(wire.WireError):
        wire.decode(pickle.dumps(Evil()))


def test_decode_refuses_forged_object_dtype_and_out_of_range_buffers():
    forged = wire.encode(np.zeros(2)).replace(b"<f8", b"|O8")
    with pytest.raises(wire.WireError):
        wire.decode(forged)
    header = b'{"__nd__": ["<f8", [1000], 0, 8000]}'
    with pytest.raises(wire.WireError):
        wire.decode(len(header).to_bytes(8, "big") + header + b"\0" * 8)


def _frame(header: bytes, payload: bytes = b"") -> bytes:
    return len(header).to_bytes(8, "big") + header + payload


def test_decode_refuses_absurdly_nested_messages_with_a_wire_error():
    deep = b"[" * 5000 + b"]" * 5000
    with pytest.raises(wire.WireError):
        wire.decode(_frame(deep))
    nested = b'{"__tuple__": ' * 200 + b"[]" + b"}" * 200
    with pytest.raises(wire.WireError):
        wire.decode(_frame(nested))


@pytest.mark.parametrize("header", [
    b'{"__nd__": ["<f8", [-1], 0, 0]}',
    b'{"__nd__": ["(2,)f8", [1], 0, 16]}',
    b'{"__nd__": ["<M8[s]", [1], 0, 8]}',
    b'{"__nd__": "nonsense"}',
    b'{"__nd__": ["<f8", [true], 0, 8]}',
    b'{"__nd__": ["<f8", [1.0], 0, 8]}',
    b'{"__nd__": ["<f8", ["1"], 0, 8]}',
    b'{"__nd__": [8, [1], 0, 8]}',
    b'{"__nd__": ["<f8", [1], "0", 8]}',
    b'{"__nd__": ["<f8", [1], 0, 8.0]}',
    b'{"__nd__": ["<f8", [1], 0, 8], "__scalar__": false}',
    b'{"__nd__": ["<f8", [], 0, 8], "__scalar__": true, "x": 1}',
    b'{"__nd__": ["<f8", [1], 0, 8], "__scalar__": true}',
    b'{"__nd__": ["<f8", [2], 8, 16]}',
    b'{"__bigint__": "12x"}',
    b'{"__float__": "1e999"}',
    b'{"__rng__": {"__dict__": {"state": 3}}}',
    b'{"__unknown__": 1}',
    b'{"__dict__": {"a": 1}, "extra": 2}',
    b"\xff\xfe not json",
    # misplaced tags and arrays out of order (lists and dict bodies are decoded in place)
    b'{"__dict__": [1]}',                                       # a body that is not a dict
    b'{"__dict__": "a"}',
    b'{"__tuple__": {"a": 1}}',                                 # a tuple that is not a list
    b'{"__dict__": {"a": {"b": 1}}}',                           # a plain dict as a value
    b'[{"a": 1}]',
    b'{"__dict__": {"a": {"__unknown__": 1}}}',
    b'{"__tuple__": [{"__nd__": ["<f8", [1], 0, 8], "__scalar__": 1}]}',
    b'{"__dict__": {"k": {"__nd__": ["<f8", [1], 0, 8]}, "k": {"__nd__": ["<f8", [1], 8, 8]}}}',
    b'[{"__nd__": ["<f8", [1], 0, 8]}, {"__dict__": {"a": {"__nd__": ["<f8", [1], 0, 8]}}}]',
    b'[{"__tuple__": [{"__nd__": ["<f8", [1], 8, 8]}]}, {"__nd__": ["<f8", [1], 0, 8]}]',
    b'{"__dict__": {"a": {"__nd__": ["<f8", [1], 0, 8]}, "b": {"__nd__": ["<f8", [1], 16, 8]}}}',
    b"\xef\xbb\xbf[]",                                          # a UTF-8 byte order mark
    b"[] []",
    b"[]x",
    b"",
])
def test_decode_turns_every_malformed_message_into_a_wire_error(header):
    with pytest.raises(wire.WireError):
        wire.decode(_frame(header, b"\0" * 24))


def test_random_garbage_never_escapes_as_anything_but_a_wire_error():
    rng = np.random.default_rng(0)
    refused = 0
    for _ in range(300):
        data = rng.integers(0, 256, size=int(rng.integers(0, 64)), dtype=np.uint8).tobytes()
        try:
            wire.decode(data)     # any exception but WireError fails the test
        except wire.WireError:
            refused += 1
    assert refused == 300         # random bytes are never a valid message


def test_ndarray_subclasses_and_object_arrays_never_cross():
    class Sub(np.ndarray):
        pass

    for value in (np.zeros(2).view(Sub), np.array([None], dtype=object), np.ma.masked_array([1.0])):
        with pytest.raises(wire.WireError):
            wire.encode(value)


def test_lists_of_numbers_keep_every_kind_of_element_through_the_fast_path():
    cases = [
        [0.5, -1.25, 3.0],
        [1.0, float("nan"), 2.0],
        [1e308, 1e308],                              # finite, but their sum is not
        [float("inf"), -float("inf")],
        [1, 2, 2**63, -2**63 - 1],                   # beyond 64 bits
        [1, 2.5, True, None],
        [np.float64(1.5), 2.0],                      # a numpy scalar stays one
        [[1.0, 2.0], [3.0, float("-inf")]],
        [],
    ]
    for value in cases:
        back = wire.decode(wire.encode(value))
        assert len(back) == len(value)
        for got, sent in zip(back, value):
            assert type(got) is type(sent), (value, got)
            if isinstance(sent, list):
                assert len(got) == len(sent)
                assert all(np.isnan(g) if np.isnan(s) else g == s for g, s in zip(got, sent))
            elif isinstance(sent, float) and np.isnan(sent):
                assert np.isnan(got)
            else:
                assert got == sent


def test_arrays_cannot_share_bytes_so_a_message_never_decodes_into_more_than_itself():
    """The hostile review's amplifier: many arrays pointing at one block of bytes."""
    block = np.zeros(1024).tobytes()
    node = b'{"__nd__": ["<f8", [1024], 0, 8192]}'
    with pytest.raises(wire.WireError):
        wire.decode(_frame(b"[" + b",".join([node] * 100) + b"]", block))
    with pytest.raises(wire.WireError):                 # out of order
        wire.decode(_frame(b'[{"__nd__": ["<f8", [1], 8, 8]}, {"__nd__": ["<f8", [1], 0, 8]}]',
                           np.arange(2.0).tobytes()))
    two = wire.decode(_frame(b'[{"__nd__": ["<f8", [1], 0, 8]}, {"__nd__": ["<f8", [1], 8, 8]}]',
                             np.arange(2.0).tobytes()))
    assert [float(a[0]) for a in two] == [0.0, 1.0]


def test_encode_writes_the_same_bytes_as_ever():
    """Byte for byte, as the codec has always written it: the header's text (separators,
    escapes, tags, numbers) and the arrays' bytes after it."""
    value = {"s": "é\"\\\n\ud800", "n": None, "t": (True, False),
             "f": [0.5, float("nan"), -float("inf")], "i": [2**63 - 1, -2**63 + 1, 2**63, -2**63],
             "e": {}, "x": np.float32(1.5), "a": np.arange(3, dtype="<i2"),
             "l": [[1.0, 2.0], [3, 4]]}
    header = (b'{"__dict__":{"s":"\\u00e9\\"\\\\\\n\\ud800","n":null,'
              b'"t":{"__tuple__":[true,false]},"f":[0.5,{"__float__":"nan"},{"__float__":"-inf"}],'
              b'"i":[9223372036854775807,-9223372036854775807,{"__bigint__":"9223372036854775808"},'
              b'{"__bigint__":"-9223372036854775808"}],"e":{"__dict__":{}},'
              b'"x":{"__nd__":["<f4",[],0,4],"__scalar__":true},"a":{"__nd__":["<i2",[3],4,6]},'
              b'"l":[[1.0,2.0],[3,4]]}}')
    expected = _frame(header, b"\x00\x00\xc0?\x00\x00\x01\x00\x02\x00")
    assert wire.encode(value) == expected
    assert wire.framed(value) == len(expected).to_bytes(8, "big") + expected


def test_the_header_writer_without_the_c_encoder_writes_the_same_text(monkeypatch):
    """_JSON calls json's C encoder directly; where that is missing, or refuses the arguments
    it is given, JSONEncoder.encode writes the header instead, and all write the same text."""
    import json
    trees = []
    for value in ({"a": [1, 2.5, None, True, "x\u00e9\ud800"], "b": (np.zeros(2), 2**70)}, [[]],
                  "s", 1.5, {"g": np.random.default_rng(3), "f": [float("inf"), 2**63, -0.0]}):
        trees.append(wire._encode_value(value, wire._Arrays()))
    expected = [json.JSONEncoder(allow_nan=False, separators=(",", ":")).encode(t) for t in trees]
    assert [wire._JSON(t) for t in trees] == expected
    real = json.encoder.c_make_encoder

    def other_signature(markers, *args):
        if markers is None:                 # what _header_writer passes (JSONEncoder: a dict)
            raise TypeError("unexpected arguments")
        return real(markers, *args)

    for make in (None, other_signature):
        monkeypatch.setattr(json.encoder, "c_make_encoder", make)
        fallback = wire._header_writer()
        assert [fallback(t) for t in trees] == expected


def test_arrays_that_are_not_c_contiguous_are_sent_in_c_order():
    """A C-contiguous array's buffer is joined into the message as it is; any other is copied
    out in C order: the same bytes either way."""
    base = np.arange(24.0).reshape(4, 6)
    cases = [base[:, ::2], base.T, np.asfortranarray(base), base[1:3], base.astype(">f8"),
             np.zeros((0, 3)), np.array(5, dtype=np.int8), base.view(np.complex128)]
    for arr in cases:
        assert wire.encode(arr) == wire.encode(np.ascontiguousarray(arr).reshape(arr.shape))
        got = roundtrip([arr, (arr,)])
        for back in (got[0], got[1][0]):
            assert back.dtype == arr.dtype and back.shape == arr.shape
            assert back.flags.c_contiguous and back.flags.owndata and back.flags.writeable
            np.testing.assert_array_equal(back, arr)


def test_decoded_arrays_own_their_bytes_whatever_buffer_the_message_is_in():
    """The judge decodes a bytearray (its frame reader's buffer), the worker bytes."""
    message = wire.encode({"a": np.arange(3.0), "b": [np.ones((2, 2), np.int32)]})
    for data in (message, bytearray(message), memoryview(message)):
        got = wire.decode(data)
        np.testing.assert_array_equal(got["a"], np.arange(3.0))
        np.testing.assert_array_equal(got["b"][0], np.ones((2, 2), np.int32))
        assert got["a"].flags.owndata and got["a"].flags.writeable
    data = bytearray(message)
    got = wire.decode(data)
    data[-1] ^= 0xFF                                    # the message's bytes are not shared
    assert got["b"][0][1, 1] == 1


def test_values_inside_containers_are_encoded_as_they_would_be_alone():
    """Lists, tuples and dicts take their plain items in their own loop: every other kind
    (subclasses, numbers JSON cannot hold, numpy scalars) still goes through the full rules."""
    import enum

    class Text(str):
        pass

    class Number(int):
        pass

    class Real(float):
        pass

    class Level(enum.IntEnum):
        HIGH = 3

    class Items(list):
        pass

    odd = [Text("t"), Number(4), Real(2.5), Level.HIGH, Real("nan"), Number(2**64), Items([1.0]),
           np.float64(1.5), 2**63 - 1, 2**63, -2**63 + 1, -2**63, float("-inf"), -0.0]
    plain = ["t", 4, 2.5, 3, float("nan"), 2**64, [1.0], np.float64(1.5), 2**63 - 1, 2**63,
             -2**63 + 1, -2**63, float("-inf"), -0.0]
    for wrap in (list, tuple, lambda items: {f"k{i}": v for i, v in enumerate(items)}):
        assert wire.encode(wrap(odd)) == wire.encode(wrap(plain))
        back = roundtrip(wrap(odd))
        items = list(back.values()) if isinstance(back, dict) else list(back)
        assert [type(v) for v in items] == [type(v) for v in plain]
        assert items[9] == 2**63 and items[11] == -2**63 and np.isnan(items[4])
        assert str(items[13]) == "-0.0"
    for wrap in (list, tuple, lambda items: {"k": items[0]}):
        for bad in (object(), {1: 2}, {"__x": 1}, np.array(["s"])):
            with pytest.raises(wire.WireError):
                wire.encode(wrap([bad]))


def _nest(kind: str, levels: int, leaf):
    for _ in range(levels):
        leaf = [leaf] if kind == "list" else (leaf,) if kind == "tuple" else {"k": leaf}
    return leaf


@pytest.mark.parametrize("kind", ["list", "tuple", "dict"])
def test_nesting_stops_at_the_same_depth_on_both_sides(kind):
    """Containers nest 65 deep (the outermost at depth 0, the innermost at _MAX_DEPTH), not
    66, whether sent or received. Among the items of the innermost one, text, None, bools and
    arrays may still sit, but a number is refused when sending (as _encode_value has always
    refused one past _MAX_DEPTH, unless its list holds numbers only and is kept whole)."""
    assert wire._MAX_DEPTH == 64
    built = {"list": list, "tuple": tuple, "dict": dict}[kind]
    for leaf in ("s", None, True, np.zeros(2)):
        assert type(roundtrip(_nest(kind, 65, leaf))) is built
        with pytest.raises(wire.WireError):
            wire.encode(_nest(kind, 66, leaf))
    for leaf in ([1.0], ["s"], (), {}):                 # a container, one level deeper
        assert type(roundtrip(_nest(kind, 64, leaf))) is built
        with pytest.raises(wire.WireError):
            wire.encode(_nest(kind, 65, leaf))
    assert roundtrip(_nest(kind, 63, ["s", 1.5])) == _nest(kind, 63, ["s", 1.5])
    with pytest.raises(wire.WireError):
        wire.encode(_nest(kind, 64, ["s", 1.5]))
    # decode: the same containers, written by hand
    open_, close = {"list": (b"[", b"]"), "tuple": (b'{"__tuple__":[', b"]}"),
                    "dict": (b'{"__dict__":{"k":', b"}}")}[kind]
    for leaf in (b"1", b'"s"', b"null", b'{"__nd__":["<f8",[1],0,8]}', b"[]", b"[1.5]",
                 b'{"__tuple__":[]}', b'{"__float__":"nan"}'):
        deepest = 64 if leaf.startswith((b"[", b'{"__t', b'{"__f')) else 65
        wire.decode(_frame(open_ * deepest + leaf + close * deepest, b"\0" * 8))
        with pytest.raises(wire.WireError):
            wire.decode(_frame(open_ * (deepest + 1) + leaf + close * (deepest + 1), b"\0" * 8))


def test_decode_keeps_what_it_always_accepted():
    """Whitespace around the header (json's own), keys beginning with "__" inside a dict's body
    (plain keys there: only encode refuses them), and of duplicate keys the last (json keeps
    that one; the others are never read)."""
    assert wire.decode(_frame(b' \n[1, "a"]\t ')) == [1, "a"]
    got = wire.decode(_frame(b'{"__dict__": {"__nd__": [1, 2], "__tuple__": [3], "a": '
                             b'{"__tuple__": [{"__dict__": {"__float__": "x"}}]}}}'))
    assert got == {"__nd__": [1, 2], "__tuple__": [3], "a": ({"__float__": "x"},)}
    got = wire.decode(_frame(b'{"__dict__": {"k": {"__nd__": "never read"}, "k": '
                             b'{"__nd__": ["<f8", [1], 0, 8]}}}', np.float64(2.5).tobytes()))
    assert list(got) == ["k"] and got["k"].tolist() == [2.5]


def test_arrays_nested_anywhere_are_read_in_the_order_of_the_header():
    value = {"a": [(np.arange(2.0), {"b": np.arange(3)}), np.ones(1, bool)],
             "c": (np.float32(4),), "d": {"e": [[np.zeros((2, 0))]]}}
    message = wire.encode(value)
    got = wire.decode(message)
    np.testing.assert_array_equal(got["a"][0][1]["b"], np.arange(3))
    assert got["c"][0] == np.float32(4) and got["d"]["e"][0][0].shape == (2, 0)
    # the same arrays with the bytes of the first two swapped: refused
    text = message[8:8 + int.from_bytes(message[:8], "big")]
    first, second = b'"<f8",[2],0,16', b'"<i8",[3],16,24'
    assert first in text and second in text
    swapped = text.replace(first, b'"<f8",[2],24,16').replace(second, b'"<i8",[3],0,24')
    with pytest.raises(wire.WireError):
        wire.decode(_frame(swapped, message[8 + len(text):]))
