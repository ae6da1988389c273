"""Callbacks into the judge are bounded before the reference runs."""

import numpy as np
import pytest

from grader.sandbox.callbacks import (MAX_ARRAY_ELEMENTS, MAX_PAIR_ELEMENTS, CallbackRefused,
                                      check_callback_args)
from grader.sandbox.runner import Worker


@pytest.mark.parametrize("args", [
    (np.zeros((4096, 1)), np.zeros((1, 4096))),                 # broadcasts to 4096 x 4096
    (np.zeros((1, 8192)), np.zeros((1, 8192))),                 # delta @ A_prev.T: 8192 x 8192
    (np.zeros(MAX_ARRAY_ELEMENTS + 1),),
    (np.zeros((2,) * 6),),
    ([[0] * 200] * 200,),
    ("x" * 10_000,),
], ids=["broadcast", "outer-product", "too-many-elements", "too-many-dims", "too-many-items",
        "long-text"])
def test_arguments_outside_the_contracts_shapes_are_refused(args):
    with pytest.raises(CallbackRefused):
        check_callback_args(args, {})


def test_the_shapes_the_course_uses_pass():
    X = np.zeros((64, 1797))                      # digits: the largest data set
    W1, A1 = np.zeros((64, 64)), np.zeros((64, 1797))
    Y = np.zeros((1, 1797))
    check_callback_args([X, {"W1": W1, "b1": np.zeros((64, 1))}], {})
    check_callback_args([A1, X, Y], {"mask": None})
    assert MAX_PAIR_ELEMENTS >= 1797 * 1797


SOURCE = b'''
import numpy as np
import __main__

def ask(n):
    delta = __main__._callback_proxy("backprop", "output_delta")
    return delta(np.zeros((n, 1)), np.zeros((1, n)))
'''


@pytest.mark.sandbox
def test_a_worker_cannot_make_the_judge_compute_a_quadratic_callback():
    ran = []

    def reference(module, func):
        def output_delta(a, y):
            ran.append((a.shape, y.shape))
            return a - y
        return output_delta

    w = Worker({"mod.py": SOURCE}, substitute={"backprop": ["output_delta"]},
               reference=reference).start()
    try:
        small = w.call("mod", "ask", 3)
        assert small.status == "ok" and small.value.shape == (3, 3)
        big = w.call("mod", "ask", 20_000)
        assert big.status == "error" and "CallbackRefused" in big.info["message"]
        assert ran == [((3, 1), (1, 3))]                # the reference never ran on it
    finally:
        w.kill()


def test_three_arguments_that_pass_every_pair_check_can_still_broadcast_into_a_square():
    """Why the reference also runs with a bounded address space: pairs miss this."""
    delta_next, w_next, z = np.ones((1, 2)), np.ones((8192, 2)), np.zeros((8192, 1))
    check_callback_args([delta_next, w_next, z], {})           # accepted...
    assert (delta_next @ w_next.T).shape == (1, 8192)          # ...yet (1, n) * (n, 1) is n x n


def test_the_reference_cannot_allocate_beyond_its_headroom_and_the_limit_comes_back():
    import resource

    from grader.sandbox.callbacks import bounded_address_space

    before = resource.getrlimit(resource.RLIMIT_AS)
    with pytest.raises(MemoryError):
        with bounded_address_space(64 * 1024 * 1024):
            np.ones((8192, 8192))                              # 512 MiB
    with bounded_address_space(64 * 1024 * 1024):
        assert np.ones((1024, 1024)).sum() == 1024 * 1024      # 8 MiB: fine
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert np.ones((8192, 8192)).shape == (8192, 8192)         # unbounded again


def test_the_address_space_gauge_reads_proc_once_per_so_many_callbacks(monkeypatch):
    from grader.sandbox import callbacks

    readings = []
    monkeypatch.setattr(callbacks, "_vm_size", lambda: readings.append(1) or 1 << 30)
    gauge = callbacks.AddressSpaceGauge(every=4)
    assert [gauge() for _ in range(9)] == [1 << 30] * 9
    assert len(readings) == 3                  # callbacks 1, 5 and 9


def test_an_array_nested_too_deeply_is_refused_like_any_other_value():
    from grader.sandbox.callbacks import MAX_DEPTH, CallbackRefused, check_callback_args

    def nested(levels):
        value = np.zeros(2)
        for _ in range(levels):
            value = [value]
        return value

    check_callback_args([nested(MAX_DEPTH - 1)], {})        # the array at depth MAX_DEPTH
    with pytest.raises(CallbackRefused):
        check_callback_args([nested(MAX_DEPTH)], {})


def test_what_the_reference_answers_is_counted_like_arguments_and_bounded_by_size():
    from grader.sandbox.callbacks import MAX_DEPTH, MAX_ITEMS, MAX_TOTAL_BYTES, value_size

    A, cache = np.zeros((8, 3)), [(np.zeros((8, 2)), None), (np.zeros((8, 3)), np.ones((8, 3)))]
    answer = (A, cache)
    # the same count as for arguments: bytes of the arrays, and 64 per value (there, the
    # argument list and the keyword dict are two values more)
    assert value_size(answer) == check_callback_args([answer], {}) - 128
    assert value_size({"loss": 0.5, "history": [1.0, 2.0]}) == 64 * 7 + len("losshistory")
    with pytest.raises(CallbackRefused):                # more bytes than all arguments may have
        value_size([np.zeros(MAX_TOTAL_BYTES // 16), np.zeros(MAX_TOTAL_BYTES // 16 + 1)])
    with pytest.raises(CallbackRefused):
        value_size([0.0] * (MAX_ITEMS + 1))
    nested = np.zeros(2)
    for _ in range(MAX_DEPTH):
        nested = [nested]
    value_size(nested)                                  # an array MAX_DEPTH lists deep
    with pytest.raises(CallbackRefused):
        value_size([nested])
    with pytest.raises(CallbackRefused):
        value_size(["x" * 10_000])
    with pytest.raises(CallbackRefused):
        value_size([object()])                          # nothing that cannot cross


def test_a_shape_argument_is_bounded_like_an_array_and_texts_count_their_length():
    """revHost2: dropout_mask((5200, 5200), ...) made the reference allocate 216 MB in the
    judge; 1000-character strings counted 64 bytes each against the recording bound."""
    from grader.sandbox.callbacks import MAX_ARRAY_ELEMENTS, value_size

    rng = np.random.default_rng(0)
    check_callback_args([(1797, 64), 0.5, rng], {})           # the course's largest shape
    for shape in [(5200, 5200), [4096, 4096], (2, 1024, 1024)]:
        with pytest.raises(CallbackRefused):
            check_callback_args([shape, 0.5, rng], {})
    with pytest.raises(CallbackRefused):
        check_callback_args([], {"shape": (MAX_ARRAY_ELEMENTS + 1,)})
    check_callback_args([5200, 5200], {})                       # two numbers, not a shape
    texts = ["1" * 1000] * 10
    assert check_callback_args([texts], {}) - check_callback_args([["1"] * 10], {}) == 9990
    assert value_size(texts) - value_size(["1"] * 10) == 9990
