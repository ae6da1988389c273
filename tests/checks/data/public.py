"""Public checks of data.py: split sizes without floating-point truncation, parts that
cover every sample once with rows of X and Y together, the ValueError cases, standardize
fitted on the training set only, and the contract's promises (lists accepted, nothing
modified in place, no warnings).

X's first column holds each row's index, so that every row returned can be traced back to
the sample it came from: parts that overlap, rows lost, X and Y no longer paired, sizes
lost to truncation and rows out of order are each named precisely.
"""

import math

import numpy as np

from grader.checks.unit_support import call_clean, expect_value_error
from grader.checks.expect import as_array, fail
from grader.checks.feedback import show


def traceable_data(rng, n, d=2, k=1):
    """``X`` (n, d) whose first column is the row index; ``Y`` (n, k) tied to the index."""
    X = np.hstack([np.arange(n, dtype=float)[:, None], rng.normal(size=(n, d - 1))])
    Y = np.hstack([np.arange(n, dtype=float)[:, None] * 10.0 + 0.5,
                   rng.normal(size=(n, k - 1))])
    return X, Y


def expected_sizes(n, fractions):
    n_train = math.floor(fractions[0] * n + 1e-9)
    n_val = math.floor(fractions[1] * n + 1e-9)
    return [n_train, n_val, n - n_train - n_val]


def sizes_mistake(sizes, want, n, fractions):
    """The named mistake whose sizes (all three) are ``sizes``, when exactly one is."""
    def rest(a, b):
        return [a, b, n - a - b]
    floor_test = int(np.floor(fractions[2] * n + 1e-9))
    candidates = {
        "split_sizes_truncated": rest(int(fractions[0] * n), int(fractions[1] * n)),
        "split_sizes_rounded": rest(int(round(fractions[0] * n)), int(round(fractions[1] * n))),
        "split_test_size_floored": [want[0], want[1], floor_test],
        "split_remainder_to_train": [n - want[1] - floor_test, want[1], floor_test],
    }
    matching = [name for name, value in candidates.items() if value == sizes and value != want]
    if len(matching) == 1:
        return matching[0]
    if not matching and sum(sizes) > n:
        return "split_parts_overlap"
    return None


def check_split(got, X, Y, fractions, *, call, shuffled):
    """Fail naming what is wrong with ``got``; returns the row order (indices) it used."""
    n = X.shape[0]
    if not isinstance(got, (list, tuple)) or len(got) != 6:
        fail("feedback.data_split_return", call=call, got=show(got))
    parts = []
    for j, name in enumerate(("X_train", "Y_train", "X_val", "Y_val", "X_test", "Y_test")):
        arr = as_array(got[j], call=f"{call} -> {name}").astype(float)
        width = X.shape[1] if j % 2 == 0 else Y.shape[1]
        if arr.ndim != 2 or arr.shape[1] != width:
            fail("feedback.data_split_part_shape", call=call, name=name, got=str(arr.shape),
                 width=width)
        parts.append(arr)
    sizes = [parts[0].shape[0], parts[2].shape[0], parts[4].shape[0]]
    if [parts[1].shape[0], parts[3].shape[0], parts[5].shape[0]] != sizes:
        fail("feedback.data_split_xy_lengths", call=call, x=show(sizes),
             y=show([parts[1].shape[0], parts[3].shape[0], parts[5].shape[0]]))
    want = expected_sizes(n, fractions)
    if sizes != want:
        fail("feedback.data_split_sizes", call=call, n=n, fractions=show(list(fractions)),
             got=show(sizes), expected=show(want), mistake=sizes_mistake(sizes, want, n, fractions))
    order = []
    for Xp, Yp, name in ((parts[0], parts[1], "train"), (parts[2], parts[3], "val"),
                         (parts[4], parts[5], "test")):
        for r in range(Xp.shape[0]):
            i = Xp[r, 0]
            if not (float(i).is_integer() and 0 <= i < n) or not np.array_equal(Xp[r], X[int(i)]):
                fail("feedback.data_split_unknown_row", call=call, part=name,
                     row=show(Xp[r].tolist()))
            i = int(i)
            if not np.array_equal(Yp[r], Y[i]):
                fail("feedback.data_split_rows_unpaired", call=call, part=name,
                     x=show(X[i].tolist()), y=show(Yp[r].tolist()), expected=show(Y[i].tolist()),
                     mistake="split_xy_shuffled_separately")
            order.append(i)
    counts = np.bincount(order, minlength=n)
    if counts.max(initial=0) > 1:
        i = int(np.argmax(counts))
        fail("feedback.data_split_overlap", call=call, index=i, count=int(counts[i]),
             mistake="split_parts_overlap")
    if counts.min(initial=1) == 0:
        fail("feedback.data_split_missing", call=call,
             missing=show([int(i) for i in np.flatnonzero(counts == 0)]))
    if not shuffled and order != list(range(n)):
        fail("feedback.data_split_not_in_order", call=call, got=show(order))
    if shuffled and n >= 8 and order == list(range(n)):
        fail("feedback.data_split_not_shuffled", call=call)
    return order


# -- standardize -----------------------------------------------------------------------------
def check_standardize(got, args, expected, *, call, mistakes=None):
    """``got`` is ``(*standardized, mean, std)``; a zero std may be returned as 0 or as 1."""
    from grader.checks.expect import diagnose, expect_array, naming

    count = len(args) + 2
    if not isinstance(got, (list, tuple)) or len(got) != count:
        fail("feedback.data_standardize_return", call=call, count=count, inputs=len(args),
             got=show(got))
    def mistake():                  # diagnosed only when the check fails
        if mistakes is None:
            return None
        trimmed = {k: v[:-1] for k, v in mistakes.items()}     # the std's 0-or-1 aside
        return diagnose(list(got)[:-1], trimmed)

    with naming(mistake):
        for j, (g, e) in enumerate(zip(got[:-2], expected[:-2])):
            name = "X_train_std" if j == 0 else f"others_std[{j - 1}]"
            arr = as_array(g, call=f"{call} -> {name}")
            if not np.all(np.isfinite(arr.astype(float))):
                fail("feedback.not_finite", call=f"{call} -> {name}", index="-",
                     value=show(arr.tolist()), mistake="standardize_divides_by_zero_std")
            expect_array(arr, e, call=f"{call} -> {name}")
        expect_array(got[-2], expected[-2], call=f"{call} -> mean")
        std = as_array(got[-1], call=f"{call} -> std").astype(float)
        want = np.asarray(expected[-1], dtype=float)
        if std.shape == want.shape:
            std = np.where((want == 0) & (std == 1.0), 0.0, std)
        expect_array(std, want, call=f"{call} -> std")


def test_split_sizes_survive_floating_point_truncation(student):
    rng = np.random.default_rng(0)
    for n, fractions in ((90, (0.7, 0.15, 0.15)), (100, (0.58, 0.29, 0.13)),
                         (20, (0.7, 0.15, 0.15)), (7, (0.5, 0.25, 0.25))):
        X, Y = traceable_data(rng, n)
        call = f"train_val_test_split(X, Y, {fractions})  [N = {n}]"
        got = student.data.train_val_test_split(X, Y, fractions)
        check_split(got, X, Y, fractions, call=call, shuffled=False)


def test_split_with_an_rng_covers_every_sample_once_with_rows_paired(student):
    rng = np.random.default_rng(1)
    for n in (20, 33):
        X, Y = traceable_data(rng, n, d=3, k=2)
        call = f"train_val_test_split(X, Y, rng=rng)  [N = {n}]"
        got = call_clean(student, "data", "train_val_test_split", X, Y, (0.7, 0.15, 0.15),
                         np.random.default_rng(n), call=call, names=["X", "Y"])
        order = check_split(got, X, Y, (0.7, 0.15, 0.15), call=call, shuffled=True)
        again = student.data.train_val_test_split(X, Y, (0.7, 0.15, 0.15),
                                                  np.random.default_rng(n))
        if check_split(again, X, Y, (0.7, 0.15, 0.15), call=call, shuffled=True) != order:
            fail("feedback.data_split_not_reproducible", call=call)


def test_split_default_fractions_are_70_15_15(student):
    X, Y = traceable_data(np.random.default_rng(2), 40)
    got = student.data.train_val_test_split(X, Y)
    check_split(got, X, Y, (0.7, 0.15, 0.15), call="train_val_test_split(X, Y)  [N = 40]",
                shuffled=False)


def test_split_rejects_bad_fractions(student):
    X, Y = traceable_data(np.random.default_rng(3), 10)
    for fractions, why in (((0.8, 0.15, 0.15), "the sum is 1.1"),
                           ((0.7, 0.3, 0.0), "a fraction is 0"),
                           ((1.2, -0.1, -0.1), "negative fractions"),
                           ((0.7, 0.3), "two numbers, not three")):
        expect_value_error(student, "data", "train_val_test_split", X, Y, fractions,
                           call=f"train_val_test_split(X, Y, {fractions})", why=why,
                           mistake="split_without_value_error")


def test_standardize_uses_training_statistics_only(student, golden):
    c = golden["standardize"]
    got = call_clean(student, "data", "standardize", *c["args"],
                     call="standardize(X_train, X_val, X_test)",
                     names=["X_train", "X_val", "X_test"])
    check_standardize(got, c["args"], c["expected"], call="standardize(X_train, X_val, X_test)",
                      mistakes=c["mistakes"])


def test_standardize_divides_constant_columns_by_one(student):
    X_train = np.array([[0.0, 3.0], [2.0, 3.0]])
    X_test = np.array([[4.0, 5.0]])
    got = call_clean(student, "data", "standardize", X_train, X_test,
                     call="standardize([[0, 3], [2, 3]], [[4, 5]])", names=["X_train", "X_test"],
                     mistake_if_warns="standardize_divides_by_zero_std")
    expected = [np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([[3.0, 2.0]]),
                np.array([1.0, 3.0]), np.array([1.0, 0.0])]
    check_standardize(got, [X_train, X_test], expected,
                      call="standardize([[0, 3], [2, 3]], [[4, 5]])")
    alone = student.data.standardize(X_train)
    check_standardize(alone, [X_train], [expected[0], expected[2], expected[3]],
                      call="standardize([[0, 3], [2, 3]])")


def test_lists_accepted_arguments_unchanged(student):
    X, Y = traceable_data(np.random.default_rng(4), 12)
    got = call_clean(student, "data", "train_val_test_split", X, Y, (0.5, 0.25, 0.25),
                     call="train_val_test_split(X, Y, (0.5, 0.25, 0.25))", names=["X", "Y"])
    listed = student.data.train_val_test_split(X.tolist(), Y.tolist(), [0.5, 0.25, 0.25])
    check_split(listed, X, Y, (0.5, 0.25, 0.25),
                call="train_val_test_split(lists, lists, [0.5, 0.25, 0.25])", shuffled=False)
    del got
    A = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 1.0]])
    B = np.array([[0.0, 0.0]])
    call_clean(student, "data", "standardize", A, B, call="standardize(X_train, X_test)",
               names=["X_train", "X_test"])
    from_lists = student.data.standardize(A.tolist(), B.tolist())
    check_standardize(from_lists, [A, B], [(A - A.mean(0)) / A.std(0), (B - A.mean(0)) / A.std(0),
                                           A.mean(0), A.std(0)],
                      call="standardize(lists)")
