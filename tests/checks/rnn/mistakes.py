"""Mistakes in rnn.py, as wrong variants of the reference (``make(ref)`` -> the wrong function).

Every variant of ``rnn_backward`` takes the reference's cache ``(X, h0, Wx, Wh, Hs)``.
"""

import numpy as np

from grader.mutants import Mutant


def _f64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=np.float64)))


def _rnn_cell_sigmoid(ref):
    def rnn_cell_forward(x, h_prev, Wx, Wh, b):
        x, h_prev, Wx, Wh, b = _f64(x, h_prev, Wx, Wh, b)
        return _sigmoid(x @ Wx + h_prev @ Wh + b)
    return rnn_cell_forward


def _rnn_cell_Wh_transposed(ref):
    def rnn_cell_forward(x, h_prev, Wx, Wh, b):
        x, h_prev, Wx, Wh, b = _f64(x, h_prev, Wx, Wh, b)
        return np.tanh(x @ Wx + h_prev @ Wh.T + b)
    return rnn_cell_forward


def _rnn_forward_variant(kind):
    def make(ref):
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h0, Wx, Wh, b = _f64(X, h0, Wx, Wh, b)
            states, h = [], h0
            for t in range(X.shape[1]):
                h = np.tanh(X[:, t] @ Wx + (h0 if kind == "no_recurrence" else h) @ Wh + b)
                states.append(h)
            if kind == "time_major":
                return np.stack(states, axis=0), None
            if kind == "includes_h0":
                return np.stack([h0] + states, axis=1), None
            return np.stack(states, axis=1), None
        return rnn_forward
    return make


def _rnn_cell_relu(ref):
    def rnn_cell_forward(x, h_prev, Wx, Wh, b):
        x, h_prev, Wx, Wh, b = _f64(x, h_prev, Wx, Wh, b)
        return np.maximum(x @ Wx + h_prev @ Wh + b, 0.0)
    return rnn_cell_forward


def _rnn_forward_shifted(kind):
    """``"off_by_one"``: Hs[:, t] holds the state BEFORE step t (h0, h1, ..., h_{T-1});
    ``"reversed"``: the steps run from the last input to the first."""
    def make(ref):
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h0, Wx, Wh, b = _f64(X, h0, Wx, Wh, b)
            T = X.shape[1]
            order = range(T - 1, -1, -1) if kind == "reversed" else range(T)
            states, h = [None] * T, h0
            for t in order:
                h_new = np.tanh(X[:, t] @ Wx + h @ Wh + b)
                states[t] = h if kind == "off_by_one" else h_new
                h = h_new
            return np.stack(states, axis=1), None
        return rnn_forward
    return make


def _rnn_forward_ignores_h0(ref):
    def rnn_forward(X, h0, Wx, Wh, b):
        return ref.rnn.rnn_forward(X, np.zeros_like(np.asarray(h0, dtype=np.float64)), Wx, Wh, b)
    return rnn_forward


def _bptt(recurrent=True, tanh_prime=True, summed=True, dh0_before_cell=False,
          dWh_with_h_t=False, Wh_transposed=True, db_summed_over_samples=True):
    """``rnn_backward`` of the reference's cache, with one part of BPTT done wrong."""
    def rnn_backward(dHs, cache):
        X, h0, Wx, Wh, Hs = cache
        dHs = np.asarray(dHs, dtype=np.float64)
        T = X.shape[1]
        dX = np.zeros_like(X)
        dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
        dh_next = np.zeros_like(h0)
        for t in reversed(range(T)):
            h_prev = Hs[:, t - 1] if t > 0 else h0
            if dWh_with_h_t:
                h_prev = Hs[:, t]
            dh = dHs[:, t] + (dh_next if recurrent else 0.0)
            da = dh * (1.0 - Hs[:, t] ** 2) if tanh_prime else dh
            da_sum = da.sum(axis=0) if db_summed_over_samples else da
            if summed:
                dWx, dWh, db = dWx + X[:, t].T @ da, dWh + h_prev.T @ da, db + da_sum
            else:
                dWx, dWh, db = X[:, t].T @ da, h_prev.T @ da, da_sum
            dX[:, t] = da @ Wx.T
            dh_next = da @ (Wh.T if Wh_transposed else Wh)
            if dh0_before_cell and t == 0:
                dh_next = dh
        return dX, dh_next, dWx, dWh, db
    return lambda ref: rnn_backward


def _lstm(order="ifco", candidate=np.tanh, swap_outputs=False, tanh_on_c=True,
          h_from_c_prev=False, forget_on_h=False):
    """``lstm_cell_forward`` reading the blocks in ``order`` (letters i, f, c, o), and so on."""
    def make(ref):
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            x, h_prev, c_prev, W, U, b = _f64(x, h_prev, c_prev, W, U, b)
            H = h_prev.shape[1]
            Z = x @ W + h_prev @ U + b
            block = {name: Z[:, k * H:(k + 1) * H] for k, name in enumerate(order)}
            i, f, o = _sigmoid(block["i"]), _sigmoid(block["f"]), _sigmoid(block["o"])
            c = f * (h_prev if forget_on_h else c_prev) + i * candidate(block["c"])
            h = o * np.tanh(c) if tanh_on_c else o * c
            if h_from_c_prev:
                h = o * np.tanh(c_prev)
            return (c, h) if swap_outputs else (h, c)
        return lstm_cell_forward
    return make


def _gru(order="zrh", reset_after=False, swapped=False, reset=True):
    def make(ref):
        def gru_cell_forward(x, h_prev, W, U, b):
            x, h_prev, W, U, b = _f64(x, h_prev, W, U, b)
            H = h_prev.shape[1]
            cols = {name: slice(k * H, (k + 1) * H) for k, name in enumerate(order)}
            z = _sigmoid(x @ W[:, cols["z"]] + h_prev @ U[:, cols["z"]] + b[cols["z"]])
            r = _sigmoid(x @ W[:, cols["r"]] + h_prev @ U[:, cols["r"]] + b[cols["r"]])
            gated = r * h_prev if reset else h_prev
            recurrent = r * (h_prev @ U[:, cols["h"]]) if reset_after else gated @ U[:, cols["h"]]
            h_tilde = np.tanh(x @ W[:, cols["h"]] + recurrent + b[cols["h"]])
            return z * h_prev + (1 - z) * h_tilde if swapped else (1 - z) * h_prev + z * h_tilde
        return gru_cell_forward
    return make


MUTANTS = {m.name: m for m in (
    Mutant("rnn_cell_sigmoid_instead_of_tanh", "rnn", "rnn_cell_forward", _rnn_cell_sigmoid),
    Mutant("rnn_cell_recurrent_weights_transposed", "rnn", "rnn_cell_forward",
           _rnn_cell_Wh_transposed),
    Mutant("rnn_forward_ignores_h0", "rnn", "rnn_forward", _rnn_forward_ignores_h0),
    Mutant("rnn_forward_no_recurrence", "rnn", "rnn_forward", _rnn_forward_variant("no_recurrence")),
    Mutant("rnn_forward_time_major", "rnn", "rnn_forward", _rnn_forward_variant("time_major")),
    Mutant("rnn_forward_includes_h0", "rnn", "rnn_forward", _rnn_forward_variant("includes_h0")),
    Mutant("bptt_missing_recurrent_term", "rnn", "rnn_backward", _bptt(recurrent=False)),
    Mutant("bptt_missing_tanh_derivative", "rnn", "rnn_backward", _bptt(tanh_prime=False)),
    Mutant("bptt_weight_gradients_not_summed", "rnn", "rnn_backward", _bptt(summed=False)),
    Mutant("bptt_dh0_before_the_cell", "rnn", "rnn_backward", _bptt(dh0_before_cell=True)),
    Mutant("bptt_dWh_uses_h_t", "rnn", "rnn_backward", _bptt(dWh_with_h_t=True)),
    Mutant("bptt_recurrent_weights_not_transposed", "rnn", "rnn_backward",
           _bptt(Wh_transposed=False)),
    Mutant("bptt_db_not_summed_over_samples", "rnn", "rnn_backward",
           _bptt(db_summed_over_samples=False)),
    Mutant("rnn_cell_relu_instead_of_tanh", "rnn", "rnn_cell_forward", _rnn_cell_relu),
    Mutant("rnn_forward_off_by_one", "rnn", "rnn_forward", _rnn_forward_shifted("off_by_one")),
    Mutant("rnn_forward_reversed_time", "rnn", "rnn_forward", _rnn_forward_shifted("reversed")),
    Mutant("lstm_gate_order", "rnn", "lstm_cell_forward", _lstm(order="ifoc")),
    Mutant("lstm_gate_order_candidate_second", "rnn", "lstm_cell_forward", _lstm(order="icfo")),
    Mutant("lstm_forget_gate_on_h_prev", "rnn", "lstm_cell_forward", _lstm(forget_on_h=True)),
    Mutant("lstm_gate_order_forget_first", "rnn", "lstm_cell_forward", _lstm(order="fico")),
    Mutant("lstm_candidate_sigmoid", "rnn", "lstm_cell_forward", _lstm(candidate=_sigmoid)),
    Mutant("lstm_returns_c_instead_of_h", "rnn", "lstm_cell_forward", _lstm(swap_outputs=True)),
    Mutant("lstm_h_without_tanh", "rnn", "lstm_cell_forward", _lstm(tanh_on_c=False)),
    Mutant("lstm_h_from_previous_memory", "rnn", "lstm_cell_forward", _lstm(h_from_c_prev=True)),
    Mutant("gru_reset_after_product", "rnn", "gru_cell_forward", _gru(reset_after=True)),
    Mutant("gru_update_gate_roles_swapped", "rnn", "gru_cell_forward", _gru(swapped=True)),
    Mutant("gru_gate_order", "rnn", "gru_cell_forward", _gru(order="rzh")),
    Mutant("gru_reset_not_applied", "rnn", "gru_cell_forward", _gru(reset=False)),
)}
