"""Public checks of more_activations.py: recorded values, finite differences, the contract's
promises (lists accepted, nothing modified in place, no warning for any finite z, shapes)."""

import numpy as np

from grader import config
from grader.checks.unit_support import call_clean, expect_true_derivative
from grader.checks.expect import as_array, expect_array, fail

EX = "more_activations"
FUNCS = ("leaky_relu", "leaky_relu_derivative", "swish", "swish_derivative")
FD_EPS = config.FINITE_DIFF_EPS
FD_MAX_REL_ERROR = config.FINITE_DIFF_MAX_REL_ERROR
# Away from the kink of leaky ReLU at 0.
Z_SMOOTH = np.array([-5.0, -3.2, -1.1, -0.4, -0.05, 0.05, 0.3, 0.9, 2.2, 4.7])
WIDE = np.array([-1e4, -1000.0, -745.0, -710.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 710.0, 745.0,
                 1000.0, 1e4])


def _values(student, golden, func):
    case = golden[func]
    args = list(case["args"])
    shown = "".join(f", {a:g}" for a in args)
    got = getattr(getattr(student, EX), func)(case["z"], *args)
    expect_array(got, case["expected"], call=f"{func}(z{shown})", mistakes=case["mistakes"])
    got = getattr(getattr(student, EX), func)(case["z_matrix"], *args)
    expect_array(got, case["expected_matrix"], call=f"{func}(Z{shown})  [Z.shape = (2, 3)]")


def _true_leaky_relu(z, alpha=0.01):
    """Leaky ReLU from its definition (the independent reference; Z_SMOOTH avoids the kink)."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def _true_swish(z):
    """swish(z) = z σ(z) from its definition, σ written with tanh (no overflow)."""
    z = np.asarray(z, dtype=float)
    return z * 0.5 * (1.0 + np.tanh(0.5 * z))


TRUE = {"leaky_relu": _true_leaky_relu, "swish": _true_swish}


def _matches_difference(student, func, of, args=()):
    """``func`` against centred differences of the CORRECT ``of`` (never the student's own)."""
    shown = "".join(f", {a:g}" for a in args)
    analytic = as_array(getattr(getattr(student, EX), func)(Z_SMOOTH, *args),
                        call=f"{func}(z{shown})")
    if analytic.shape != Z_SMOOTH.shape:
        fail("feedback.wrong_shape", call=f"{func}(z{shown})", expected=str(Z_SMOOTH.shape),
             got=str(analytic.shape))
    f = TRUE[of]
    plus = np.asarray(f(Z_SMOOTH + FD_EPS, *args), dtype=float)
    minus = np.asarray(f(Z_SMOOTH - FD_EPS, *args), dtype=float)
    numeric = (plus - minus) / (2 * FD_EPS)
    expect_true_derivative(analytic, numeric, call=f"{func}(z{shown})", of=of,
                           tol=FD_MAX_REL_ERROR, at=lambda i: f"z = {Z_SMOOTH[i]:g}",
                           own=lambda: getattr(getattr(student, EX), of)(Z_SMOOTH, *args),
                           true=f(Z_SMOOTH, *args))


def test_leaky_relu_matches_reference_values(student, golden):
    _values(student, golden, "leaky_relu")
    case = golden["leaky_relu_default"]
    got = student.more_activations.leaky_relu(case["z"])
    expect_array(got, case["expected"], call="leaky_relu([-1, 0, 2])  [alpha = 0.01]",
                 mistakes=case["mistakes"])


def test_leaky_relu_derivative_is_alpha_at_and_below_zero(student, golden):
    _values(student, golden, "leaky_relu_derivative")
    case = golden["leaky_relu_derivative_default"]
    got = student.more_activations.leaky_relu_derivative(case["z"])
    expect_array(got, case["expected"],
                 call="leaky_relu_derivative([-1, 0, 2])  [alpha = 0.01]",
                 mistakes=case["mistakes"])


def test_leaky_relu_derivative_matches_finite_differences(student):
    _matches_difference(student, "leaky_relu_derivative", "leaky_relu", (0.3,))


def test_swish_matches_reference_values(student, golden):
    _values(student, golden, "swish")


def test_swish_derivative_matches_finite_differences(student, golden):
    _values(student, golden, "swish_derivative")
    _matches_difference(student, "swish_derivative", "swish")


def test_no_warning_for_any_finite_z(student):
    for func in FUNCS:
        got = call_clean(student, EX, func, WIDE, call=f"{func}(z)",
                         inputs="z = [-1e4, -1000, -745, ..., 745, 1000, 1e4]", names=["z"],
                         mistake_if_warns="overflow_in_exp")
        arr = as_array(got, call=f"{func}(z)")
        if arr.shape != WIDE.shape or not np.all(np.isfinite(arr.astype(float))):
            fail("feedback.clause_not_finite_on_wide_range", call=f"{func}(z)",
                 got=str(arr.tolist()))


def test_lists_accepted_shapes_kept_arguments_unchanged(student):
    z = np.array([[[-2.0, 0.0], [0.5, 3.0]], [[-0.25, 1.0], [7.0, -9.0]]])
    for func in FUNCS:
        value = call_clean(student, EX, func, z, call=f"{func}(z)", names=["z"])
        arr = as_array(value, call=f"{func}(z)  [z.shape = (2, 2, 2)]")
        if arr.shape != z.shape:
            fail("feedback.wrong_shape", call=f"{func}(z)  [z.shape = (2, 2, 2)]",
                 expected=str(z.shape), got=str(arr.shape))
        if arr.dtype.kind != "f":
            fail("feedback.wrong_dtype", call=f"{func}(z)", expected="float64",
                 got=str(arr.dtype))
        from_list = getattr(getattr(student, EX), func)(z.tolist())
        expect_array(from_list, arr, call=f"{func}(list)")
        one = as_array(getattr(getattr(student, EX), func)(np.array([-0.5])),
                       call=f"{func}(np.array([-0.5]))")
        scalar = getattr(getattr(student, EX), func)(-0.5)
        expect_array(scalar, one.reshape(-1)[0], call=f"{func}(-0.5)")
