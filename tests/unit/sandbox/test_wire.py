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
])
def test_decode_turns_every_malformed_message_into_a_wire_error(header):
    with pytest.raises(wire.WireError):
        wire.decode(_frame(header, b"\0" * 16))


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
