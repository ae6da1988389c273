"""The reference rnn.py agrees with finite differences and keeps the API's promises.

The comparisons with Keras (SimpleRNNCell, SimpleRNN and its autodiff, LSTMCell,
GRUCell(reset_after=False)) are in tests/unit/baseline/test_rnn_baseline.py.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

from tests.unit.conftest import SOLUTIONS_DIR, import_isolated

FD_STEP = 1e-6
FD_ATOL = 1e-7      # centred differences of a smooth function of O(1) values


@pytest.fixture(scope="module")
def rnn():
    return import_isolated(SOLUTIONS_DIR, ("rnn",)).rnn


def _case(seed=0, N=3, T=4, D=2, H=5):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(N, T, D)), rng.normal(scale=0.5, size=(N, H)),
            rng.normal(scale=0.6, size=(D, H)), rng.normal(scale=0.6, size=(H, H)),
            rng.normal(scale=0.3, size=H)), rng.normal(size=(N, T, H))


def _numeric_gradient(f, args, k):
    """d f(*args) / d args[k] by centred differences, entry by entry."""
    grad = np.zeros_like(args[k])
    for index in np.ndindex(args[k].shape):
        plus = [a.copy() for a in args]
        minus = [a.copy() for a in args]
        plus[k][index] += FD_STEP
        minus[k][index] -= FD_STEP
        grad[index] = (f(*plus) - f(*minus)) / (2 * FD_STEP)
    return grad


@pytest.mark.parametrize("seed", [0, 1])
def test_rnn_backward_matches_finite_differences(rnn, seed):
    args, dHs = _case(seed)
    _, cache = rnn.rnn_forward(*args)
    grads = rnn.rnn_backward(dHs, cache)
    assert len(grads) == 5

    def loss(*a):
        return float(np.sum(rnn.rnn_forward(*a)[0] * dHs))

    for k, (name, analytic) in enumerate(zip(("dX", "dh0", "dWx", "dWh", "db"), grads)):
        assert analytic.shape == args[k].shape, name
        np.testing.assert_allclose(analytic, _numeric_gradient(loss, args, k), atol=FD_ATOL,
                                   rtol=0, err_msg=name)


def test_rnn_forward_is_the_cell_applied_step_by_step(rnn):
    (X, h0, Wx, Wh, b), _ = _case(2)
    Hs, _ = rnn.rnn_forward(X, h0, Wx, Wh, b)
    h = h0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ Wx + h @ Wh + b)
        np.testing.assert_allclose(Hs[:, t], h, rtol=1e-12, atol=1e-15)


def test_lstm_with_a_closed_forget_gate_and_open_input_gate_keeps_only_the_candidate(rnn):
    """Biases of ±50 saturate the gates: i = o = 1, f = 0, so c = tanh(Z_c), h = tanh(c)."""
    rng = np.random.default_rng(3)
    N, D, H = 2, 3, 4
    x, h_prev, c_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H)), rng.normal(size=(N, H))
    W, U = rng.normal(size=(D, 4 * H)), rng.normal(size=(H, 4 * H))
    W[:, :2 * H] = W[:, 3 * H:] = U[:, :2 * H] = U[:, 3 * H:] = 0.0
    b = np.concatenate([np.full(H, 50.0), np.full(H, -50.0), np.zeros(H), np.full(H, 50.0)])
    h, c = rnn.lstm_cell_forward(x, h_prev, c_prev, W, U, b)
    candidate = np.tanh(x @ W[:, 2 * H:3 * H] + h_prev @ U[:, 2 * H:3 * H])
    np.testing.assert_allclose(c, candidate, atol=1e-12)
    np.testing.assert_allclose(h, np.tanh(candidate), atol=1e-12)


def test_gru_with_a_closed_update_gate_keeps_the_previous_state(rnn):
    rng = np.random.default_rng(4)
    N, D, H = 2, 3, 4
    x, h_prev = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    W, U = rng.normal(size=(D, 3 * H)), rng.normal(size=(H, 3 * H))
    W[:, :H] = U[:, :H] = 0.0
    b = np.concatenate([np.full(H, -50.0), np.zeros(2 * H)])
    np.testing.assert_allclose(rnn.gru_cell_forward(x, h_prev, W, U, b), h_prev, atol=1e-15)


def test_functions_accept_lists_do_not_modify_arguments_and_emit_no_warnings(rnn):
    (X, h0, Wx, Wh, b), dHs = _case(5)
    before = [a.copy() for a in (X, h0, Wx, Wh, b, dHs)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Hs, cache = rnn.rnn_forward(X.tolist(), h0.tolist(), Wx.tolist(), Wh.tolist(), b.tolist())
        rnn.rnn_backward(dHs.tolist(), cache)
        rnn.rnn_cell_forward(1000 * X[:, 0], h0, Wx, Wh, b)
        rnn.lstm_cell_forward(X[:, 0], h0, h0, np.full((2, 20), 1000.0), np.zeros((5, 20)),
                              np.zeros(20))
        rnn.gru_cell_forward(X[:, 0], h0, np.full((2, 15), -1000.0), np.zeros((5, 15)),
                             np.zeros(15))
    assert Hs.shape == (3, 4, 5) and Hs.dtype == np.float64
    for a, a0 in zip((X, h0, Wx, Wh, b, dHs), before):
        np.testing.assert_array_equal(a, a0)
