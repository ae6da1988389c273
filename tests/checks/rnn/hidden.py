"""Hidden checks of rnn.py: seeded random sizes and values, compared with the reference."""

import numpy as np

from grader.checks.expect import Lazy, diagnose, expect_array, fail, naming, same
from grader.checks.feedback import show
from grader.mutants import variants


def _sizes(rng):
    # N, T, D, H from 2 up: a size of 1 hides a mean taken for a sum (N), a gradient not
    # summed over time or a missing recurrent term (T), a transpose (D, H)
    return tuple(int(v) for v in rng.integers(2, 7, size=4))


def _weights(rng, D, H, blocks=1):
    return (rng.normal(scale=0.7, size=(D, blocks * H)), rng.normal(scale=0.7, size=(H, blocks * H)),
            rng.normal(scale=0.4, size=blocks * H))


def _diagnose_parts(got, expected, mistakes):
    """The mistake the whole value matches; else the one whose first wrong part matches."""
    name = diagnose(got, mistakes)
    if name is not None:
        return name
    for k, (g, e) in enumerate(zip(got, expected)):
        if not same(g, e):
            return next((m for m, v in (mistakes.items() if mistakes is not None else ())
                         if v is not None and len(v) > k and not same(v[k], e)
                         and same(g, v[k])), None)
    return None


def _expect_tuple(got, expected, *, call, names, mistakes):
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        fail("feedback.rnn_wrong_structure", call=call, expected=f"({', '.join(names)})",
             got=show(got))
    with naming(lambda: _diagnose_parts(got, expected, mistakes)):
        for name, g, e in zip(names, got, expected):
            expect_array(g, e, call=f"{call} -> {name}")


def test_rnn_cell_and_sequence_on_seeded_inputs(student, reference, rng):
    N, T, D, H = _sizes(rng)
    X, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, b = _weights(rng, D, H)
    shapes = f"[N={N}, T={T}, D={D}, H={H}]"
    args = (X[:, 0], h0, Wx, Wh, b)
    expect_array(student.rnn.rnn_cell_forward(*args), reference.rnn.rnn_cell_forward(*args),
                 call=f"rnn_cell_forward(x, h_prev, Wx, Wh, b)  {shapes}",
                 mistakes=variants(reference, "rnn", "rnn_cell_forward", *args))
    got = student.rnn.rnn_forward(X, h0, Wx, Wh, b)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.rnn_wrong_structure", call="rnn_forward", expected="(Hs, cache)",
             got=show(got))
    wrong = Lazy(lambda: {k: v[0] for k, v in variants(reference, "rnn", "rnn_forward", X, h0,
                                                        Wx, Wh, b).items() if v is not None})
    expect_array(got[0], reference.rnn.rnn_forward(X, h0, Wx, Wh, b)[0],
                 call=f"rnn_forward(X, h0, Wx, Wh, b) -> Hs  {shapes}", mistakes=wrong)


def test_rnn_backward_on_seeded_inputs(student, reference, rng):
    N, T, D, H = _sizes(rng)
    T = max(T, 2)       # the recurrent term needs two steps
    X, h0 = rng.normal(size=(N, T, D)), rng.normal(size=(N, H))
    Wx, Wh, b = _weights(rng, D, H)
    dHs = rng.normal(size=(N, T, H))
    _, ref_cache = reference.rnn.rnn_forward(X, h0, Wx, Wh, b)
    expected = reference.rnn.rnn_backward(dHs, ref_cache)
    wrong = Lazy(lambda: {k: v for k, v in variants(reference, "rnn", "rnn_backward", dHs,
                                                     ref_cache).items() if v is not None})
    got = student.rnn.rnn_forward(X, h0, Wx, Wh, b)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.rnn_wrong_structure", call="rnn_forward", expected="(Hs, cache)",
             got=show(got))
    _expect_tuple(student.rnn.rnn_backward(dHs, got[1]), expected,
                  call=f"rnn_backward(dHs, cache)  [N={N}, T={T}, D={D}, H={H}]",
                  names=("dX", "dh0", "dWx", "dWh", "db"), mistakes=wrong)


def test_lstm_and_gru_cells_on_seeded_inputs(student, reference, rng):
    N, _, D, H = _sizes(rng)
    x, h_prev, c_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    shapes = f"[N={N}, D={D}, H={H}]"
    lstm_args = (x, h_prev, c_prev, *_weights(rng, D, H, 4))
    _expect_tuple(student.rnn.lstm_cell_forward(*lstm_args),
                  reference.rnn.lstm_cell_forward(*lstm_args),
                  call=f"lstm_cell_forward(x, h_prev, c_prev, W, U, b)  {shapes}", names=("h", "c"),
                  mistakes=variants(reference, "rnn", "lstm_cell_forward", *lstm_args))
    gru_args = (x, h_prev, *_weights(rng, D, H, 3))
    expect_array(student.rnn.gru_cell_forward(*gru_args), reference.rnn.gru_cell_forward(*gru_args),
                 call=f"gru_cell_forward(x, h_prev, W, U, b)  {shapes}",
                 mistakes=variants(reference, "rnn", "gru_cell_forward", *gru_args))
