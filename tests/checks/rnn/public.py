"""Public checks of rnn.py: recorded values, finite differences and the cells' own properties.

No solution here: expected values come from golden.json, BPTT is checked against
centred differences of the student's own rnn_forward, and the gates against what
a saturated gate must do.
"""

import numpy as np

from grader import config
from grader.checks.expect import (close, diagnose, expect_array, expect_finite_shape,
                                  expect_true, expect_unchanged, fail, naming, same)
from grader.checks.feedback import show

FD_EPS = config.FINITE_DIFF_EPS
FD_ATOL = 1e-6      # centred differences of O(1) values: error ~1e-9, any mistake >> 1e-3


def _case(golden):
    return {k: np.asarray(v, dtype=np.float64) for k, v in golden["inputs"].items()}


def _diagnose_parts(got, expected, mistakes):
    """The mistake the whole value matches; else the one whose first wrong part matches."""
    name = diagnose(got, mistakes)
    if name is not None:
        return name
    for k, (g, e) in enumerate(zip(got, expected)):
        if not same(g, e):
            return next((m for m, v in (mistakes or {}).items()
                         if v is not None and len(v) > k and not same(v[k], e)
                         and same(g, v[k])), None)
    return None


def _expect_tuple(got, expected, *, call, names, mistakes=None):
    """``got`` is a tuple/list of ``len(expected)`` arrays equal to ``expected``."""
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        fail("feedback.rnn_wrong_structure", call=call, expected=f"({', '.join(names)})",
             got=show(got))
    with naming(_diagnose_parts(got, expected, mistakes)):
        for name, g, e in zip(names, got, expected):
            expect_array(g, e, call=f"{call} -> {name}")


def _sequence(student, case, *, X=None, h0=None, Wx=None, Wh=None, b=None, call="rnn_forward"):
    args = [case[k] if v is None else v for k, v in
            (("X", X), ("h0", h0), ("Wx", Wx), ("Wh", Wh), ("b", b))]
    got = student.rnn.rnn_forward(*args)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.rnn_wrong_structure", call=call, expected="(Hs, cache)", got=show(got))
    return got


def test_rnn_cell_forward_matches_reference_values(student, golden):
    case = _case(golden)
    got = student.rnn.rnn_cell_forward(case["X"][:, 0], case["h0"], case["Wx"], case["Wh"],
                                       case["b"])
    expect_array(got, golden["rnn_cell_forward"]["expected"],
                 call="rnn_cell_forward(x, h_prev, Wx, Wh, b)  [N=2, D=3, H=4]",
                 mistakes=golden["rnn_cell_forward"]["mistakes"])


def test_rnn_forward_matches_reference_values(student, golden):
    case = _case(golden)
    Hs, _ = _sequence(student, case)
    expect_array(Hs, golden["rnn_forward"]["expected"],
                 call="rnn_forward(X, h0, Wx, Wh, b) -> Hs  [X.shape = (2, 5, 3), H = 4]",
                 mistakes=golden["rnn_forward"]["mistakes"])


def test_rnn_forward_applies_the_cell_at_every_step(student, golden):
    """Hs[:, t] = rnn_cell_forward(X[:, t], Hs[:, t-1]), h0 before the first step."""
    case = _case(golden)
    Hs, _ = _sequence(student, case)
    Hs = expect_finite_shape(Hs, (2, 5, 4), call="rnn_forward(X, h0, Wx, Wh, b) -> Hs")
    h_prev = case["h0"]
    for t in range(Hs.shape[1]):
        step = student.rnn.rnn_cell_forward(case["X"][:, t], h_prev, case["Wx"], case["Wh"],
                                            case["b"])
        expect_array(Hs[:, t], step,
                     call=f"rnn_forward(...) -> Hs[:, {t}] vs rnn_cell_forward(X[:, {t}], "
                          + ("h0" if t == 0 else f"Hs[:, {t - 1}]") + ", ...)")
        h_prev = Hs[:, t]


def test_rnn_backward_matches_reference_values(student, golden):
    case = _case(golden)
    _, cache = _sequence(student, case)
    got = student.rnn.rnn_backward(case["dHs"], cache)
    _expect_tuple(got, golden["rnn_backward"]["expected"],
                  call="rnn_backward(dHs, cache)  [dHs.shape = (2, 5, 4)]",
                  names=("dX", "dh0", "dWx", "dWh", "db"),
                  mistakes=golden["rnn_backward"]["mistakes"])


def _true_rnn_forward(X, h0, Wx, Wh, b):
    """Hs of h_t = tanh(x_t Wx + h_{t-1} Wh + b), written here from the definition: the
    independent reference whose differences give the true gradient (never the student's)."""
    h, Hs = h0, []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        Hs.append(h)
    return np.stack(Hs, axis=1)


def test_rnn_backward_matches_finite_differences_of_rnn_forward(student):
    """d sum(Hs * dHs) / d(X, h0, Wx, Wh, b) by centred differences of the CORRECT forward
    (the backward gets the cache of the student's own forward)."""
    rng = np.random.default_rng(2718)
    N, T, D, H = 2, 3, 2, 3
    args = [rng.normal(size=(N, T, D)), rng.normal(scale=0.5, size=(N, H)),
            rng.normal(scale=0.6, size=(D, H)), rng.normal(scale=0.6, size=(H, H)),
            rng.normal(scale=0.3, size=H)]
    dHs = rng.normal(size=(N, T, H))
    names = ("X", "h0", "Wx", "Wh", "b")
    Hs, cache = _sequence(student, dict(zip(names, args)))
    expect_finite_shape(Hs, dHs.shape, call="rnn_forward(X, h0, Wx, Wh, b) -> Hs")
    grads = student.rnn.rnn_backward(dHs, cache)
    if not isinstance(grads, (list, tuple)) or len(grads) != 5:
        fail("feedback.rnn_wrong_structure", call="rnn_backward(dHs, cache)",
             expected="(dX, dh0, dWx, dWh, db)", got=show(grads))

    def loss(values):
        return float(np.sum(_true_rnn_forward(*values) * dHs))

    true_Hs = _true_rnn_forward(*args)
    own_Hs = np.asarray(Hs, dtype=np.float64)
    own_wrong = not close(own_Hs, true_Hs)
    gap = np.abs(own_Hs - true_Hs)
    own_at = tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), gap.shape))
    note = {"own_at": str(list(own_at)), "own": f"{own_Hs[own_at]:.10g}",
            "true": f"{true_Hs[own_at]:.10g}"} if own_wrong else {}

    for k, name in enumerate(names):
        analytic = expect_finite_shape(grads[k], args[k].shape,
                                       call=f"rnn_backward(dHs, cache) -> d{name}")
        for index in np.ndindex(args[k].shape):
            plus = [a.copy() for a in args]
            minus = [a.copy() for a in args]
            plus[k][index] += FD_EPS
            minus[k][index] -= FD_EPS
            numeric = (loss(plus) - loss(minus)) / (2 * FD_EPS)
            expect_true(abs(analytic[index] - numeric) <= FD_ATOL,
                        "feedback.rnn_bptt_fd_forward_wrong" if own_wrong
                        else "feedback.rnn_bptt_fd",
                        call="rnn_backward(dHs, cache)", name=f"d{name}", index=str(index),
                        analytic=f"{analytic[index]:.10g}", numeric=f"{numeric:.10g}",
                        tol=f"{FD_ATOL:g}", **note)


def test_lstm_cell_forward_matches_reference_values(student, golden):
    case = _case(golden)
    got = student.rnn.lstm_cell_forward(case["X"][:, 0], case["h0"], case["c0"], case["W4"],
                                        case["U4"], case["b4"])
    _expect_tuple(got, golden["lstm_cell_forward"]["expected"],
                  call="lstm_cell_forward(x, h_prev, c_prev, W, U, b)  [H = 4, W.shape = (3, 16)]",
                  names=("h", "c"), mistakes=golden["lstm_cell_forward"]["mistakes"])


def test_gru_cell_forward_matches_reference_values(student, golden):
    case = _case(golden)
    got = student.rnn.gru_cell_forward(case["X"][:, 0], case["h0"], case["W3"], case["U3"],
                                       case["b3"])
    expect_array(got, golden["gru_cell_forward"]["expected"],
                 call="gru_cell_forward(x, h_prev, W, U, b)  [H = 4, W.shape = (3, 12)]",
                 mistakes=golden["gru_cell_forward"]["mistakes"])


def test_gru_with_a_closed_update_gate_keeps_the_previous_state(student, golden):
    """A bias of -40 on the z blocks gives z ≈ 0: the course's GRU then returns h_prev."""
    case = _case(golden)
    H = 4
    b = case["b3"].copy()
    b[:H] = -40.0
    W, U = case["W3"].copy(), case["U3"].copy()
    W[:, :H] = U[:, :H] = 0.0
    got = student.rnn.gru_cell_forward(case["X"][:, 0], case["h0"], W, U, b)
    arr = expect_finite_shape(got, case["h0"].shape, call="gru_cell_forward(...) with z ≈ 0")
    if not np.allclose(arr, case["h0"], rtol=0, atol=1e-12):
        # with z ≈ 0, swapped roles (h = z h_prev + (1 - z) h~) return the candidate h~:
        # named only when that is what came back (blocks read in another order are not it)
        x, h = case["X"][:, 0], case["h0"]
        r = 1.0 / (1.0 + np.exp(-(x @ W[:, H:2 * H] + h @ U[:, H:2 * H] + b[H:2 * H])))
        candidate = np.tanh(x @ W[:, 2 * H:] + (r * h) @ U[:, 2 * H:] + b[2 * H:])
        swapped = np.allclose(arr, candidate, rtol=1e-9, atol=1e-12)
        fail("feedback.rnn_gru_closed_update", call="gru_cell_forward(x, h_prev, W, U, b)",
             expected=show(case["h0"]), got=show(arr),
             mistake="gru_update_gate_roles_swapped" if swapped else None)


def test_cells_accept_lists_and_do_not_modify_arguments(student, golden):
    case = _case(golden)
    x = case["X"][:, 1]
    calls = (
        ("rnn_cell_forward", (x, case["h0"], case["Wx"], case["Wh"], case["b"])),
        ("rnn_forward", (case["X"], case["h0"], case["Wx"], case["Wh"], case["b"])),
        ("lstm_cell_forward", (x, case["h0"], case["c0"], case["W4"], case["U4"], case["b4"])),
        ("gru_cell_forward", (x, case["h0"], case["W3"], case["U3"], case["b3"])),
    )
    for func, args in calls:
        outcome = student.call("rnn", func, *args, return_args=True)
        for name, before, after in zip(("arg1", "arg2", "arg3", "arg4", "arg5", "arg6"), args,
                                       outcome.args_after or [None] * len(args)):
            expect_unchanged(before, after, call=f"{func}(...)", argument=name)
        from_lists = getattr(student.rnn, func)(*[a.tolist() for a in args])
        value = outcome.value[0] if func == "rnn_forward" else outcome.value
        got = from_lists[0] if func == "rnn_forward" else from_lists
        if isinstance(value, (list, tuple)):
            _expect_tuple(got, value, call=f"{func}(lists)", names=("h", "c"))
        else:
            expect_array(got, value, call=f"{func}(lists)")
    _, cache = student.rnn.rnn_forward(*calls[1][1])
    outcome = student.call("rnn", "rnn_backward", case["dHs"], cache, return_args=True)
    expect_unchanged(case["dHs"], (outcome.args_after or [None])[0], call="rnn_backward(dHs, cache)",
                     argument="dHs")
    expect_unchanged(cache, (outcome.args_after or [None, None])[1],
                     call="rnn_backward(dHs, cache)", argument="cache")


def test_gates_emit_no_warnings_on_large_inputs(student, golden):
    """Pre-activations of ±1000: a naive 1 / (1 + exp(-z)) overflows; the given _sigmoid does not."""
    case = _case(golden)
    x = 1000.0 * np.sign(case["X"][:, 0])
    calls = (
        ("rnn_cell_forward", (x, case["h0"], case["Wx"], case["Wh"], case["b"])),
        ("lstm_cell_forward", (x, case["h0"], case["c0"], case["W4"], case["U4"], case["b4"])),
        ("gru_cell_forward", (x, case["h0"], case["W3"], case["U3"], case["b3"])),
    )
    for func, args in calls:
        outcome = student.call("rnn", func, *args)
        warnings = outcome.info.get("warnings") or []
        if warnings:
            fail("feedback.warning_emitted", call=f"{func}(x, ...)", inputs="x = ±1000",
                 warning=f"{warnings[0]['category']}: {warnings[0]['message']}",
                 mistake="rnn_sigmoid_overflow")
