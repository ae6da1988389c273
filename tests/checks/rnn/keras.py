"""Keras checks of rnn.py: the student's cells against Keras in float64.

SimpleRNNCell, SimpleRNN(return_sequences=True) and its automatic
differentiation (for rnn_backward), LSTMCell, and GRUCell(reset_after=False)
with the update-gate blocks negated (grader/baseline/rnn.py). The inputs are
fixed; Keras's values come from the baseline's disk cache. Without
TensorFlow/Keras and without a cached value the checks are skipped.
Tolerance: grader.baseline.BASELINE_RTOL / BASELINE_ATOL.
"""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.rnn import inputs, keras_results_or_skip
from grader.checks.expect import close, expect_finite_shape, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras


def _expect_like_keras(got, expected, *, call, what):
    expected = np.asarray(expected, dtype=np.float64)
    arr = expect_finite_shape(got, expected.shape, call=call).astype(np.float64)
    if close(arr, expected, BASELINE_RTOL, BASELINE_ATOL):
        return
    diff = np.abs(arr - expected)
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    fail("feedback.rnn_keras_values", call=call, what=what, rtol=BASELINE_RTOL,
         atol=BASELINE_ATOL, expected=show(expected), got=show(arr),
         max_error=f"{diff[index]:.3g}", index=str(tuple(int(i) for i in index)))


def _pair(got, call, names):
    if not isinstance(got, (list, tuple)) or len(got) != len(names):
        fail("feedback.rnn_wrong_structure", call=call, expected=f"({', '.join(names)})",
             got=show(got))
    return got


def test_simple_rnn_forward_and_bptt_match_keras(student):
    case = inputs()
    args = (case["X"], case["h0"], case["Wx"], case["Wh"], case["b"])
    cell = student.rnn.rnn_cell_forward(case["X"][:, 0], *args[1:])
    Hs, cache = _pair(student.rnn.rnn_forward(*args), "rnn_forward", ("Hs", "cache"))
    grads = _pair(student.rnn.rnn_backward(case["dHs"], cache), "rnn_backward(dHs, cache)",
                  ("dX", "dh0", "dWx", "dWh", "db"))
    keras = keras_results_or_skip()
    _expect_like_keras(cell, keras["cell"], call="rnn_cell_forward(x, h_prev, Wx, Wh, b)",
                       what="keras.layers.SimpleRNNCell")
    _expect_like_keras(Hs, keras["sequence"]["Hs"], call="rnn_forward(X, h0, Wx, Wh, b) -> Hs",
                       what="keras.layers.SimpleRNN(H, return_sequences=True)")
    for name, grad in zip(("dX", "dh0", "dWx", "dWh", "db"), grads):
        _expect_like_keras(grad, keras["sequence"][name],
                           call=f"rnn_backward(dHs, cache) -> {name}",
                           what="autodiff of sum(SimpleRNN(X) * dHs)")


def test_lstm_and_gru_cells_match_keras(student):
    case = inputs()
    x = case["X"][:, 0]
    h, c = _pair(student.rnn.lstm_cell_forward(x, case["h0"], case["c0"], case["W4"], case["U4"],
                                               case["b4"]), "lstm_cell_forward", ("h", "c"))
    gru = student.rnn.gru_cell_forward(x, case["h0"], case["W3"], case["U3"], case["b3"])
    keras = keras_results_or_skip()
    _expect_like_keras(h, keras["lstm"][0], call="lstm_cell_forward(...) -> h",
                       what="keras.layers.LSTMCell")
    _expect_like_keras(c, keras["lstm"][1], call="lstm_cell_forward(...) -> c",
                       what="keras.layers.LSTMCell")
    _expect_like_keras(gru, keras["gru"], call="gru_cell_forward(x, h_prev, W, U, b)",
                       what="keras.layers.GRUCell(reset_after=False), z blocks negated")
