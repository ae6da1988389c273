"""Student-style sources of the named mistakes of backprop.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` (where present)
holds correct implementations written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

_OUTPUT_DELTA = """\
def output_delta(A_L, Y):
    A_L, Y = np.asarray(A_L, dtype=float), np.asarray(Y, dtype=float)
"""
_HIDDEN_DELTA = """\
def hidden_delta(delta_next, W_next, Z, mask=None):
    delta_next = np.asarray(delta_next, dtype=float)
    W_next, Z = np.asarray(W_next, dtype=float), np.asarray(Z, dtype=float)
"""
_MASK = """\
    if mask is not None:
        delta = delta * np.asarray(mask, dtype=float)
    return delta
"""
_LAYER_GRADIENTS = """\
def layer_gradients(delta, A_prev):
    delta, A_prev = np.asarray(delta, dtype=float), np.asarray(A_prev, dtype=float)
    n = delta.shape[0]
"""

# mistake name -> [(function, wrong source), ...]
WRONG = {
    "output_delta_sign_flipped": [("output_delta", _OUTPUT_DELTA + "    return Y - A_L\n")],
    "output_delta_extra_sigma_prime": [("output_delta", _OUTPUT_DELTA
                                        + "    return (A_L - Y) * A_L * (1 - A_L)\n")],
    "hidden_delta_missing_sigma_prime": [("hidden_delta", _HIDDEN_DELTA
                                          + "    delta = delta_next @ W_next.T\n" + _MASK)],
    "hidden_delta_no_transpose": [("hidden_delta", _HIDDEN_DELTA
                                   + "    delta = (delta_next @ W_next) * sigmoid_derivative(Z)\n"
                                   + _MASK)],
    "hidden_delta_sigma_prime_of_activation": [(
        "hidden_delta", _HIDDEN_DELTA
        + "    delta = (delta_next @ W_next.T) * sigmoid_derivative(sigmoid(Z))\n" + _MASK)],
    "hidden_delta_derivative_of_activation": [(
        "hidden_delta", _HIDDEN_DELTA + "    delta = (delta_next @ W_next.T) * Z * (1 - Z)\n"
        + _MASK)],
    "hidden_delta_ignores_mask": [
        ("hidden_delta", _HIDDEN_DELTA
         + "    return (delta_next @ W_next.T) * sigmoid_derivative(Z)\n"),
        # the same mistake made in backward: the cache's mask is not passed on
        ("backward", """
        def backward(params, cache, Y):
            grads = []
            A_prev, Z, _ = cache[-1]
            delta = output_delta(sigmoid(Z), Y)
            grads.append(layer_gradients(delta, A_prev))
            for l in range(len(params) - 2, -1, -1):
                A_prev, Z, mask = cache[l]
                delta = hidden_delta(delta, params[l + 1][0], Z)
                grads.append(layer_gradients(delta, A_prev))
            return grads[::-1]
        """),
    ],
    "layer_gradients_summed": [("layer_gradients", _LAYER_GRADIENTS
                                + "    return A_prev.T @ delta, delta.sum(axis=0)\n")],
    "layer_gradients_dw_summed": [("layer_gradients", _LAYER_GRADIENTS
                                   + "    return A_prev.T @ delta, delta.mean(axis=0)\n")],
    "layer_gradients_db_summed": [("layer_gradients", _LAYER_GRADIENTS
                                   + "    return A_prev.T @ delta / n, delta.sum(axis=0)\n")],
    "layer_gradients_dw_transposed": [("layer_gradients", _LAYER_GRADIENTS
                                       + "    return delta.T @ A_prev / n, delta.mean(axis=0)\n")],
    "layer_gradients_db_keepdims": [("layer_gradients", _LAYER_GRADIENTS + (
        "    return A_prev.T @ delta / n, delta.mean(axis=0, keepdims=True)\n"))],
    "layer_gradients_db_wrong_axis": [("layer_gradients", _LAYER_GRADIENTS
                                       + "    return A_prev.T @ delta / n, delta.mean(axis=1)\n")],
    "backward_output_uses_z": [("backward", """
        def backward(params, cache, Y):
            grads = [None] * len(params)
            A_prev, Z, _ = cache[-1]
            delta = output_delta(Z, Y)
            grads[-1] = layer_gradients(delta, A_prev)
            for l in range(len(params) - 2, -1, -1):
                A_prev, Z, mask = cache[l]
                delta = hidden_delta(delta, params[l + 1][0], Z, mask)
                grads[l] = layer_gradients(delta, A_prev)
            return grads
        """)],
    "backward_grads_reversed": [("backward", """
        def backward(params, cache, Y):
            grads = []
            A_prev, Z, _ = cache[-1]
            delta = output_delta(sigmoid(Z), Y)
            grads.append(layer_gradients(delta, A_prev))
            for l in range(len(params) - 2, -1, -1):
                A_prev, Z, mask = cache[l]
                delta = hidden_delta(delta, params[l + 1][0], Z, mask)
                grads.append(layer_gradients(delta, A_prev))
            return grads
        """)],
    "backward_wrong_layer_weights": [("backward", """
        def backward(params, cache, Y):
            grads = [None] * len(params)
            A_prev, Z, _ = cache[-1]
            delta = output_delta(sigmoid(Z), Y)
            grads[-1] = layer_gradients(delta, A_prev)
            for l in range(len(params) - 2, -1, -1):
                A_prev, Z, mask = cache[l]
                delta = hidden_delta(delta, params[l][0], Z, mask)
                grads[l] = layer_gradients(delta, A_prev)
            return grads
        """)],
    "modified_in_place": [("layer_gradients", _LAYER_GRADIENTS + """\
    delta /= n   # divides the caller's array too
    return A_prev.T @ delta, delta.sum(axis=0)
""")],
}

# Correct implementations written differently from the reference: full marks.
RIGHT = {
    "output_delta": _OUTPUT_DELTA + "    return -(Y - A_L)\n",
    "hidden_delta": _HIDDEN_DELTA + """\
    s = 1.0 / (1.0 + np.exp(-np.clip(Z, -500, 500)))
    back = np.einsum("nk,jk->nj", delta_next, W_next)
    return back * s * (1 - s) * (1.0 if mask is None else np.asarray(mask, dtype=float))
""",
    "layer_gradients": _LAYER_GRADIENTS + """\
    dW = np.zeros((A_prev.shape[1], delta.shape[1]))
    for i in range(n):
        dW += np.outer(A_prev[i], delta[i])
    return dW / n, np.sum(delta, axis=0) / n
""",
    "backward": """
def backward(params, cache, Y):
    grads = []
    delta = None
    for l in reversed(range(len(params))):
        A_prev, Z, mask = cache[l]
        if delta is None:
            delta = output_delta(sigmoid(Z), Y)
        else:
            delta = hidden_delta(delta, params[l + 1][0], Z, mask)
        dW, db = layer_gradients(delta, A_prev)
        grads.insert(0, (dW, db))
    return grads
""",
}
