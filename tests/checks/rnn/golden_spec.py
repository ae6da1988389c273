"""Golden inputs for rnn.py: every size different (N=2, T=5, D=3, H=4) so a transposed
product or a wrong axis shows, weights of scale ~0.6 and non-zero biases so no gate or
tanh saturates, and every named mistake changes the values."""

import numpy as np

from grader.mutants import variants

N, T, D, H = 2, 5, 3, 4


def inputs() -> dict:
    rng = np.random.default_rng(31415)
    return {
        "X": rng.normal(size=(N, T, D)), "h0": rng.normal(scale=0.5, size=(N, H)),
        "c0": rng.normal(scale=0.5, size=(N, H)),
        "Wx": rng.normal(scale=0.6, size=(D, H)), "Wh": rng.normal(scale=0.6, size=(H, H)),
        "b": rng.normal(scale=0.3, size=H), "dHs": rng.normal(size=(N, T, H)),
        "W4": rng.normal(scale=0.6, size=(D, 4 * H)), "U4": rng.normal(scale=0.6, size=(H, 4 * H)),
        "b4": rng.normal(scale=0.3, size=4 * H),
        "W3": rng.normal(scale=0.6, size=(D, 3 * H)), "U3": rng.normal(scale=0.6, size=(H, 3 * H)),
        "b3": rng.normal(scale=0.3, size=3 * H),
    }


def _mistakes(ref, func, *args, pick=lambda v: v):
    from grader.checks.expect import same

    expected = pick(getattr(ref.rnn, func)(*args))
    found = {k: pick(v) for k, v in variants(ref, "rnn", func, *args).items() if v is not None}
    return {k: v for k, v in found.items() if not same(v, expected, rtol=1e-12, atol=0.0)}


def record(ref):
    case = inputs()
    x = case["X"][:, 0]
    cell_args = (x, case["h0"], case["Wx"], case["Wh"], case["b"])
    seq_args = (case["X"], case["h0"], case["Wx"], case["Wh"], case["b"])
    Hs, cache = ref.rnn.rnn_forward(*seq_args)
    lstm_args = (x, case["h0"], case["c0"], case["W4"], case["U4"], case["b4"])
    gru_args = (x, case["h0"], case["W3"], case["U3"], case["b3"])
    return {
        "inputs": case,
        "rnn_cell_forward": {"expected": ref.rnn.rnn_cell_forward(*cell_args),
                             "mistakes": _mistakes(ref, "rnn_cell_forward", *cell_args)},
        "rnn_forward": {"expected": Hs,
                        "mistakes": _mistakes(ref, "rnn_forward", *seq_args,
                                              pick=lambda v: v[0])},
        "rnn_backward": {"expected": list(ref.rnn.rnn_backward(case["dHs"], cache)),
                         "mistakes": {k: list(v) for k, v in _mistakes(
                             ref, "rnn_backward", case["dHs"], cache).items()}},
        "lstm_cell_forward": {"expected": list(ref.rnn.lstm_cell_forward(*lstm_args)),
                              "mistakes": {k: list(v) for k, v in _mistakes(
                                  ref, "lstm_cell_forward", *lstm_args).items()}},
        "gru_cell_forward": {"expected": ref.rnn.gru_cell_forward(*gru_args),
                             "mistakes": _mistakes(ref, "gru_cell_forward", *gru_args)},
    }
