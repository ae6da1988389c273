"""Public checks of losses.py: recorded values, finite differences of the correct losses
(written here from their definitions, never the student's own), rows of softmax summing to 1 without overflow, one_hot's ValueError, and the
contract's promises (lists accepted, nothing modified in place, no warnings)."""

import numpy as np

from grader import config
from grader.checks.unit_support import (call_clean, expect_scalar, expect_true_derivative,
                                        expect_value_error)
from grader.checks.expect import as_array, expect_array, expect_true, same

EX = "losses"
FD_EPS = config.FINITE_DIFF_EPS
FD_MAX_REL_ERROR = 1e-6     # a scalar loss differenced entry by entry


def softmax_warning_mistake(Z):
    """``f(warnings) -> mistake``: which softmax mistake a warning on ``Z`` shows.

    Only exp of an unshifted Z overflows (Z - max is never above 0). A row far below the
    array's one maximum underflows to exp(...) = 0 everywhere, then 0/0: an "invalid value"
    warning with no overflow is that shift only where an unshifted exp would have overflowed.
    """
    Z = np.asarray(Z, dtype=float)
    with np.errstate(all="ignore"):
        unshifted_overflows = bool(np.isinf(np.exp(Z)).any())
        a_row_vanishes = Z.ndim == 2 and bool((np.exp(Z.max(axis=1) - Z.max()) == 0).any())

    def choose(warnings):
        text = " ".join(str(w.get("message", "")) for w in warnings)
        if "overflow" in text:
            return "softmax_without_max_shift"
        if "invalid" in text and a_row_vanishes and unshifted_overflows:
            return "softmax_global_max_shift"
        return None
    return choose


def _golden(student, golden, case, scalar=False, call=None):
    c = golden[case]
    func = case.removesuffix("_small")
    got = getattr(student.losses, func)(*c["args"])
    call = call or f"{func}(...)"
    if scalar:
        return expect_scalar(got, c["expected"], call=call, mistakes=c["mistakes"])
    return expect_array(got, c["expected"], call=call, mistakes=c["mistakes"])


def _true_mse(A, Y):
    """The mean squared error from its definition: the independent reference."""
    return float(np.mean((np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)) ** 2))


def _true_softmax_cross_entropy(Z, Y):
    """Mean cross-entropy of softmax(Z) against one-hot Y, from the definition (log-sum-exp)."""
    Z, Y = np.asarray(Z, dtype=float), np.asarray(Y, dtype=float)
    log_p = Z - Z.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return float(-np.sum(Y * log_p) / Z.shape[0])


def _finite_difference(loss, X, call, analytic, of, name, own=None, true=None, own_at=None):
    """Centred differences of the CORRECT scalar ``loss`` at ``X``, entry by entry, against
    ``analytic``; ``own()``/``true``: the student's loss and the correct one, for the note
    that their own loss is wrong too."""
    numeric = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        step = np.zeros_like(X)
        step[index] = FD_EPS
        numeric[index] = (float(loss(X + step)) - float(loss(X - step))) / (2 * FD_EPS)
    expect_true_derivative(analytic, numeric, call=call, of=of, tol=FD_MAX_REL_ERROR,
                           floor=1e-9, at=lambda i: f"{name}[{', '.join(map(str, i))}]",
                           own=own, true=true, own_at=lambda i: own_at)


def test_mse_matches_reference_values(student, golden):
    _golden(student, golden, "mse", scalar=True, call="mse(A, Y)  [A.shape = (2, 3)]")
    got = student.losses.mse(np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0],
                                                                           [3.0, 0.0]]))
    expect_scalar(got, 5.0, call="mse([[1, 2], [3, 4]], [[1, 0], [3, 0]])")


def test_mse_gradient_matches_finite_differences(student, golden):
    c = golden["mse_gradient"]
    got = _golden(student, golden, "mse_gradient", call="mse_gradient(A, Y)  [A.shape = (2, 3)]")
    A, Y = c["args"]
    _finite_difference(lambda a: _true_mse(a, Y), A, "mse_gradient(A, Y)", got, "mse", "A",
                       own=lambda: [float(student.losses.mse(A, Y))], true=[_true_mse(A, Y)],
                       own_at="A, Y")


def test_softmax_rows_sum_to_one_without_overflow(student, golden):
    Z = golden["softmax"]["args"][0]
    got = call_clean(student, EX, "softmax", Z, call="softmax(Z)",
                     inputs="Z = [[2, 1, 0.1], [-1, 3, 0.5], [1000, 0, -1000], "
                            "[-1000, -999, -1000]]",
                     names=["Z"], mistake_if_warns=softmax_warning_mistake(Z))
    _golden(student, golden, "softmax_small", call="softmax(Z)  [Z.shape = (2, 3)]")
    arr = expect_array(got, golden["softmax"]["expected"], call="softmax(Z)  [Z.shape = (4, 3)]",
                       mistakes=golden["softmax"]["mistakes"])
    expect_array(arr.sum(axis=1), np.ones(Z.shape[0]), call="softmax(Z).sum(axis=1)")


def test_one_hot_values_and_value_errors(student, golden):
    _golden(student, golden, "one_hot", call="one_hot([2, 0, 1, 1], 3)")
    got = as_array(student.losses.one_hot([1, 0], 2), call="one_hot([1, 0], 2)")
    expect_true(got.dtype == np.float64, "feedback.wrong_dtype", call="one_hot([1, 0], 2)",
                expected="float64", got=str(got.dtype))
    for labels, why in (([0, 3], "3 >= K = 3"), ([-1, 1], "-1 < 0")):
        expect_value_error(student, EX, "one_hot", labels, 3, call=f"one_hot({labels}, 3)",
                           why=why, mistake="one_hot_without_value_error")


def test_categorical_cross_entropy_matches_reference_values_and_clips(student, golden):
    c = golden["categorical_cross_entropy"]
    call_clean(student, EX, "categorical_cross_entropy", *c["args"],
               call="categorical_cross_entropy(P, Y)",
               inputs="P = [[0.7, 0.2, 0.1], [0, 1, 0], [0.25, 0.25, 0.5]]",
               names=["P", "Y"], mistake_if_warns="cce_without_clipping")
    _golden(student, golden, "categorical_cross_entropy", scalar=True,
            call="categorical_cross_entropy(P, Y)  [P[Y == 1] = 0]")
    got = student.losses.categorical_cross_entropy([[0.5, 0.5], [0.9, 0.1]], [[1, 0], [1, 0]])
    expect_scalar(got, -(np.log(0.5) + np.log(0.9)) / 2,
                  call="categorical_cross_entropy([[0.5, 0.5], [0.9, 0.1]], [[1, 0], [1, 0]])")
    # P = 1 where Y is 1: only the upper bound of the clip makes the loss -log(1 - 1e-7).
    # The mistakes already ruled out by the first case (their values there differ from the
    # reference's, and the student's did not) are not named here.
    certain = golden["categorical_cross_entropy_certain"]
    ruled_out = {k for k, v in c["mistakes"].items() if not same(v, c["expected"])}
    got = student.losses.categorical_cross_entropy(*certain["args"])
    expect_scalar(got, certain["expected"],
                  call="categorical_cross_entropy(P, Y)  [P = Y = [[1, 0, 0], [0, 1, 0]]]",
                  mistakes={k: v for k, v in certain["mistakes"].items() if k not in ruled_out})


def test_softmax_cross_entropy_gradient_matches_finite_differences(student, golden):
    c = golden["softmax_cross_entropy_gradient"]
    got = _golden(student, golden, "softmax_cross_entropy_gradient",
                  call="softmax_cross_entropy_gradient(Z, Y)  [Z.shape = (2, 3)]")
    Z, Y = c["args"]
    _finite_difference(
        lambda z: _true_softmax_cross_entropy(z, Y), Z, "softmax_cross_entropy_gradient(Z, Y)",
        got, "categorical_cross_entropy(softmax(Z), Y)", "Z")


def test_lists_accepted_arguments_unchanged_no_warnings(student):
    A = np.array([[0.2, 0.9], [0.6, 0.1], [0.3, 0.3]])
    Y = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    Z = np.array([[800.0, -800.0], [0.5, -0.5], [-700.0, -710.0]])
    for func, args, names in (("mse", (A, Y), "AY"), ("mse_gradient", (A, Y), "AY"),
                              ("softmax", (Z,), "Z"), ("one_hot", (np.array([1, 0, 0]), 2), "lK"),
                              ("categorical_cross_entropy", (A, Y), "PY"),
                              ("softmax_cross_entropy_gradient", (Z, Y), "ZY")):
        call = f"{func}(...)"
        arg_names = ["labels" if n == "l" else n for n in names]
        inputs = ", ".join(f"{n} = {np.asarray(a).tolist()}" if n != "K" else f"K = {a}"
                           for n, a in zip(arg_names, args))
        warns = softmax_warning_mistake(Z) if func.startswith("softmax") else None
        value = call_clean(student, EX, func, *args, call=call, names=arg_names, inputs=inputs,
                           mistake_if_warns=warns)
        listed = getattr(student.losses, func)(
            *[a.tolist() if isinstance(a, np.ndarray) else a for a in args])
        expect_array(listed, as_array(value, call=call), call=f"{func}(lists)")
