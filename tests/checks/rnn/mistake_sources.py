"""Student-style sources of the named mistakes of rnn.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` holds correct
implementations written differently (another cache, loops instead of slices,
np.split, one concatenated product), which must get full marks.
"""

_BACKWARD_HEAD = """
        def rnn_backward(dHs, cache):
            X, h0, Wx, Wh, Hs = cache
            dHs = np.asarray(dHs, dtype=float)
            N, T, D = X.shape
            dX = np.zeros_like(X)
            dWx = np.zeros_like(Wx)
            dWh = np.zeros_like(Wh)
            db = np.zeros(Wh.shape[0])
            dh_next = np.zeros_like(h0)
            for t in range(T - 1, -1, -1):
                h_prev = h0 if t == 0 else Hs[:, t - 1]
"""

WRONG = {
    "rnn_cell_sigmoid_instead_of_tanh": [("rnn_cell_forward", """
        def rnn_cell_forward(x, h_prev, Wx, Wh, b):
            return _sigmoid(np.dot(x, Wx) + np.dot(h_prev, Wh) + b)
        """)],
    "rnn_forward_ignores_h0": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X = np.asarray(X, dtype=float)
            h0 = np.asarray(h0, dtype=float)
            N, T, D = X.shape
            h = np.zeros((N, np.shape(Wh)[0]))
            Hs = []
            for t in range(T):
                h = rnn_cell_forward(X[:, t, :], h, Wx, Wh, b)
                Hs.append(h)
            Hs = np.stack(Hs, axis=1)
            return Hs, (X, h0, np.asarray(Wx, float), np.asarray(Wh, float), Hs)
        """)],
    "bptt_missing_recurrent_term": [("rnn_backward", _BACKWARD_HEAD + """
                da = dHs[:, t] * (1 - Hs[:, t] ** 2)
                dWx += X[:, t].T @ da
                dWh += h_prev.T @ da
                db += da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh_next, dWx, dWh, db
        """)],
    "bptt_missing_tanh_derivative": [("rnn_backward", _BACKWARD_HEAD + """
                da = dHs[:, t] + dh_next
                dWx += X[:, t].T @ da
                dWh += h_prev.T @ da
                db += da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh_next, dWx, dWh, db
        """)],
    "bptt_weight_gradients_not_summed": [("rnn_backward", _BACKWARD_HEAD + """
                da = (dHs[:, t] + dh_next) * (1 - Hs[:, t] ** 2)
                dWx = X[:, t].T @ da
                dWh = h_prev.T @ da
                db = da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh_next, dWx, dWh, db
        """)],
    "rnn_cell_relu_instead_of_tanh": [("rnn_cell_forward", """
        def rnn_cell_forward(x, h_prev, Wx, Wh, b):
            a = np.asarray(x, float) @ Wx + np.asarray(h_prev, float) @ Wh + b
            return np.where(a > 0, a, 0.0)
        """)],
    "rnn_forward_off_by_one": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h = np.asarray(X, float), np.asarray(h0, float)
            Hs = np.zeros((X.shape[0], X.shape[1], np.shape(Wh)[0]))
            for t in range(X.shape[1]):
                Hs[:, t] = h
                h = rnn_cell_forward(X[:, t], h, Wx, Wh, b)
            return Hs, (X, np.asarray(h0, float), np.asarray(Wx, float), np.asarray(Wh, float),
                        Hs)
        """)],
    "rnn_forward_reversed_time": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h = np.asarray(X, float), np.asarray(h0, float)
            Hs = np.zeros((X.shape[0], X.shape[1], np.shape(Wh)[0]))
            for t in reversed(range(X.shape[1])):
                h = rnn_cell_forward(X[:, t], h, Wx, Wh, b)
                Hs[:, t] = h
            return Hs, (X, np.asarray(h0, float), np.asarray(Wx, float), np.asarray(Wh, float),
                        Hs)
        """)],
    "lstm_gate_order_candidate_second": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, c_z, f_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * np.tanh(c_z)
            return _sigmoid(o_z) * np.tanh(c), c
        """)],
    "lstm_forget_gate_on_h_prev": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * h_prev + _sigmoid(i_z) * np.tanh(c_z)
            return _sigmoid(o_z) * np.tanh(c), c
        """)],
    "lstm_gate_order": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            H = np.shape(h_prev)[1]
            Z = np.dot(x, W) + np.dot(h_prev, U) + b
            i = _sigmoid(Z[:, 0:H])
            f = _sigmoid(Z[:, H:2*H])
            o = _sigmoid(Z[:, 2*H:3*H])
            g = np.tanh(Z[:, 3*H:4*H])
            c = f * c_prev + i * g
            return o * np.tanh(c), c
        """)],
    "lstm_gate_order_forget_first": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            f_z, i_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * np.tanh(c_z)
            return _sigmoid(o_z) * np.tanh(c), c
        """)],
    "lstm_candidate_sigmoid": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * _sigmoid(c_z)
            return _sigmoid(o_z) * np.tanh(c), c
        """)],
    "lstm_returns_c_instead_of_h": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * np.tanh(c_z)
            h = _sigmoid(o_z) * np.tanh(c)
            return c, h
        """)],
    "lstm_h_without_tanh": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * np.tanh(c_z)
            return _sigmoid(o_z) * c, c
        """)],
    "gru_reset_after_product": [("gru_cell_forward", """
        def gru_cell_forward(x, h_prev, W, U, b):
            H = np.shape(h_prev)[1]
            Wz, Wr, Wh_ = W[:, :H], W[:, H:2*H], W[:, 2*H:]
            Uz, Ur, Uh = U[:, :H], U[:, H:2*H], U[:, 2*H:]
            bz, br, bh = b[:H], b[H:2*H], b[2*H:]
            z = _sigmoid(x @ Wz + h_prev @ Uz + bz)
            r = _sigmoid(x @ Wr + h_prev @ Ur + br)
            h_tilde = np.tanh(x @ Wh_ + r * (h_prev @ Uh) + bh)
            return (1 - z) * h_prev + z * h_tilde
        """)],
    "gru_update_gate_roles_swapped": [("gru_cell_forward", """
        def gru_cell_forward(x, h_prev, W, U, b):
            H = np.shape(h_prev)[1]
            z = _sigmoid(x @ W[:, :H] + h_prev @ U[:, :H] + b[:H])
            r = _sigmoid(x @ W[:, H:2*H] + h_prev @ U[:, H:2*H] + b[H:2*H])
            h_tilde = np.tanh(x @ W[:, 2*H:] + (r * h_prev) @ U[:, 2*H:] + b[2*H:])
            return z * h_prev + (1 - z) * h_tilde
        """)],
    "gru_gate_order": [("gru_cell_forward", """
        def gru_cell_forward(x, h_prev, W, U, b):
            H = np.shape(h_prev)[1]
            r = _sigmoid(x @ W[:, :H] + h_prev @ U[:, :H] + b[:H])
            z = _sigmoid(x @ W[:, H:2*H] + h_prev @ U[:, H:2*H] + b[H:2*H])
            h_tilde = np.tanh(x @ W[:, 2*H:] + (r * h_prev) @ U[:, 2*H:] + b[2*H:])
            return (1 - z) * h_prev + z * h_tilde
        """)],
    "rnn_sigmoid_overflow": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            sig = lambda a: 1 / (1 + np.exp(-a))
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = sig(f_z) * c_prev + sig(i_z) * np.tanh(c_z)
            return sig(o_z) * np.tanh(c), c
        """)],

    "rnn_cell_recurrent_weights_transposed": [("rnn_cell_forward", """
        def rnn_cell_forward(x, h_prev, Wx, Wh, b):
            x, h_prev = np.asarray(x, float), np.asarray(h_prev, float)
            return np.tanh(x @ np.asarray(Wx) + h_prev @ np.asarray(Wh).T + b)
        """)],
    "rnn_forward_no_recurrence": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h0 = np.asarray(X, float), np.asarray(h0, float)
            Hs = np.stack([rnn_cell_forward(X[:, t], h0, Wx, Wh, b)
                           for t in range(X.shape[1])], axis=1)
            return Hs, (X, h0, np.asarray(Wx, float), np.asarray(Wh, float), Hs)
        """)],
    "rnn_forward_time_major": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h = np.asarray(X, float), np.asarray(h0, float)
            Hs = np.zeros((X.shape[1], X.shape[0], np.shape(Wh)[0]))
            for t in range(X.shape[1]):
                h = rnn_cell_forward(X[:, t], h, Wx, Wh, b)
                Hs[t] = h
            return Hs, (X, np.asarray(h0, float), np.asarray(Wx, float), np.asarray(Wh, float),
                        Hs.transpose(1, 0, 2))
        """)],
    "rnn_forward_includes_h0": [("rnn_forward", """
        def rnn_forward(X, h0, Wx, Wh, b):
            X, h = np.asarray(X, float), np.asarray(h0, float)
            states = [h]
            for t in range(X.shape[1]):
                h = rnn_cell_forward(X[:, t], h, Wx, Wh, b)
                states.append(h)
            Hs = np.stack(states, axis=1)
            return Hs, (X, np.asarray(h0, float), np.asarray(Wx, float), np.asarray(Wh, float),
                        Hs[:, 1:])
        """)],
    "bptt_dh0_before_the_cell": [("rnn_backward", _BACKWARD_HEAD + """
                dh = dHs[:, t] + dh_next
                da = dh * (1 - Hs[:, t] ** 2)
                dWx += X[:, t].T @ da
                dWh += h_prev.T @ da
                db += da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh, dWx, dWh, db
        """)],
    "bptt_dWh_uses_h_t": [("rnn_backward", _BACKWARD_HEAD + """
                da = (dHs[:, t] + dh_next) * (1 - Hs[:, t] ** 2)
                dWx += X[:, t].T @ da
                dWh += Hs[:, t].T @ da
                db += da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh_next, dWx, dWh, db
        """)],
    "bptt_recurrent_weights_not_transposed": [("rnn_backward", _BACKWARD_HEAD + """
                da = (dHs[:, t] + dh_next) * (1 - Hs[:, t] ** 2)
                dWx += X[:, t].T @ da
                dWh += h_prev.T @ da
                db += da.sum(axis=0)
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh
            return dX, dh_next, dWx, dWh, db
        """)],
    "bptt_db_not_summed_over_samples": [("rnn_backward", _BACKWARD_HEAD + """
                da = (dHs[:, t] + dh_next) * (1 - Hs[:, t] ** 2)
                dWx += X[:, t].T @ da
                dWh += h_prev.T @ da
                db = db + da
                dX[:, t] = da @ Wx.T
                dh_next = da @ Wh.T
            return dX, dh_next, dWx, dWh, db
        """)],
    "lstm_h_from_previous_memory": [("lstm_cell_forward", """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            i_z, f_z, c_z, o_z = np.split(x @ W + h_prev @ U + b, 4, axis=1)
            c = _sigmoid(f_z) * c_prev + _sigmoid(i_z) * np.tanh(c_z)
            return _sigmoid(o_z) * np.tanh(c_prev), c
        """)],
    "gru_reset_not_applied": [("gru_cell_forward", """
        def gru_cell_forward(x, h_prev, W, U, b):
            H = np.shape(h_prev)[1]
            z = _sigmoid(x @ W[:, :H] + h_prev @ U[:, :H] + b[:H])
            r = _sigmoid(x @ W[:, H:2*H] + h_prev @ U[:, H:2*H] + b[H:2*H])
            h_tilde = np.tanh(x @ W[:, 2*H:] + h_prev @ U[:, 2*H:] + b[2*H:])
            return (1 - z) * h_prev + z * h_tilde
        """)],
}

RIGHT = {
    "rnn_cell_forward": """
        def rnn_cell_forward(x, h_prev, Wx, Wh, b):
            a = np.einsum("nd,dh->nh", np.asarray(x, float), np.asarray(Wx, float))
            a = a + np.asarray(h_prev, float) @ np.asarray(Wh, float) + np.asarray(b, float)
            return np.tanh(a)
        """,
    "rnn_forward": """
        def rnn_forward(X, h0, Wx, Wh, b):
            X = np.asarray(X, dtype=float)
            h = np.array(h0, dtype=float)
            states, inputs, previous = [], [], []
            for x in np.moveaxis(X, 1, 0):
                previous.append(h)
                h = rnn_cell_forward(x, h, Wx, Wh, b)
                states.append(h)
                inputs.append(x)
            Hs = np.stack(states, axis=1)
            return Hs, {"xs": inputs, "prev": previous, "hs": states,
                        "Wx": np.asarray(Wx, float), "Wh": np.asarray(Wh, float)}
        """,
    "rnn_backward": """
        def rnn_backward(dHs, cache):
            dHs = np.asarray(dHs, dtype=float)
            Wx, Wh = cache["Wx"], cache["Wh"]
            T = len(cache["xs"])
            dxs = [None] * T
            dWx, dWh, db = 0.0, 0.0, 0.0
            carry = 0.0
            for t in reversed(range(T)):
                da = (dHs[:, t] + carry) * (1.0 - np.square(cache["hs"][t]))
                dWx = dWx + cache["xs"][t].T.dot(da)
                dWh = dWh + cache["prev"][t].T.dot(da)
                db = db + np.sum(da, axis=0)
                dxs[t] = da.dot(Wx.T)
                carry = da.dot(Wh.T)
            return np.stack(dxs, axis=1), carry, dWx, dWh, db
        """,
    "lstm_cell_forward": """
        def lstm_cell_forward(x, h_prev, c_prev, W, U, b):
            stacked = np.vstack([np.asarray(W, float), np.asarray(U, float)])
            Z = np.hstack([np.asarray(x, float), np.asarray(h_prev, float)]) @ stacked + b
            i, f, g, o = np.split(Z, 4, axis=-1)
            c = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
            return _sigmoid(o) * np.tanh(c), c
        """,
    "gru_cell_forward": """
        def gru_cell_forward(x, h_prev, W, U, b):
            x, h_prev = np.asarray(x, float), np.asarray(h_prev, float)
            W, U, b = np.asarray(W, float), np.asarray(U, float), np.asarray(b, float)
            H = h_prev.shape[1]
            gates = _sigmoid(x @ W[:, :2 * H] + h_prev @ U[:, :2 * H] + b[:2 * H])
            z, r = gates[:, :H], gates[:, H:]
            cand = np.tanh(x @ W[:, 2 * H:] + (r * h_prev) @ U[:, 2 * H:] + b[2 * H:])
            return h_prev + z * (cand - h_prev)
        """,
}
