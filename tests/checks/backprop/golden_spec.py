"""Golden inputs for backprop.py."""

import numpy as np

from grader.devtools.golden import distinct_mistakes
from grader.mutants import mistakes_of, variants

backward_variants = mistakes_of("backprop").backward_variants

# output_delta: the docstring example (0.8 vs 1 gives -0.2), confident right and wrong
# answers, and a two-output case (K = 2).
A_L_BINARY = np.array([[0.8], [0.2], [0.5], [0.99], [0.01]])
Y_BINARY = np.array([[1.0], [0.0], [1.0], [0.0], [1.0]])
A_L_TWO = np.array([[0.9, 0.3], [0.25, 0.6], [0.5, 0.05]])
Y_TWO = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])

# hidden_delta: a SQUARE, non-symmetric W_next first (W_next and W_next.T have the same
# shape there, so forgetting the transpose gives wrong values instead of a shape error),
# then a rectangular one, then the same with a dropout mask (rate 0.5: values 0 and 2).
SQUARE = {
    "delta_next": np.array([[0.5, -1.0], [0.25, 0.75], [-0.6, 0.2]]),
    "W_next": np.array([[1.0, -2.0], [0.5, 3.0]]),
    "Z": np.array([[0.0, 1.0], [-1.5, 0.5], [2.0, -0.25]]),
}
RECT = {
    "delta_next": np.array([[0.3, -0.2], [-0.5, 0.1], [0.05, 0.4], [0.7, -0.6]]),
    "W_next": np.array([[0.8, -1.2], [0.4, 0.9], [-1.5, 0.3]]),
    "Z": np.array([[0.0, 1.0, -1.0], [2.0, -0.5, 0.25], [-2.0, 0.75, 1.5], [0.1, -3.0, 0.6]]),
}
MASK = np.array([[2.0, 0.0, 2.0], [0.0, 2.0, 2.0], [2.0, 2.0, 0.0], [2.0, 0.0, 0.0]])

# layer_gradients: N = 4 samples, a layer with 2 inputs and 3 outputs.
DELTA = np.array([[0.5, -0.25, 1.0], [0.1, 0.4, -0.3], [-0.7, 0.2, 0.6], [0.3, -0.9, 0.05]])
A_PREV = np.array([[0.2, 0.9], [0.6, 0.1], [0.35, 0.8], [0.95, 0.45]])




def _net(rng, sizes, n):
    X = rng.normal(size=(n, sizes[0]))
    Y = (rng.random((n, sizes[-1])) < 0.5).astype(np.float64)
    params = [(rng.normal(0.0, 1.0, size=(a, b)), rng.normal(0.0, 0.5, size=b))
              for a, b in zip(sizes[:-1], sizes[1:])]
    return X, Y, params


def _backward_case(ref, X, Y, params, masks=None):
    _, cache = ref.backprop.forward(X, params, masks)
    expected = ref.backprop.backward(params, cache, Y)
    return {"X": X, "Y": Y, "params": params, "masks": masks, "cache": cache,
            "expected": expected,
            "mistakes": distinct_mistakes(backward_variants(ref, params, cache, Y), expected)}


def _case(ref, func, **inputs):
    expected = getattr(ref.backprop, func)(**inputs)
    return {**inputs, "expected": expected,
            "mistakes": distinct_mistakes(variants(ref, "backprop", func, **inputs), expected)}


def record(ref):
    rng = np.random.default_rng(20240611)
    X1, Y1, p1 = _net(rng, [2, 3, 2, 1], 5)
    X2, Y2, p2 = _net(rng, [2, 4, 1], 6)
    Y2[:2] = [[0.0], [1.0]]  # both classes present
    mask2 = [np.where(rng.random((6, 4)) < 0.5, 0.0, 2.0)]
    return {
        "output_delta": {
            "binary": _case(ref, "output_delta", A_L=A_L_BINARY, Y=Y_BINARY),
            "two_outputs": _case(ref, "output_delta", A_L=A_L_TWO, Y=Y_TWO),
        },
        "hidden_delta": {
            "square": _case(ref, "hidden_delta", **SQUARE),
            "rectangular": _case(ref, "hidden_delta", **RECT),
            "masked": _case(ref, "hidden_delta", **RECT, mask=MASK),
        },
        "layer_gradients": _case(ref, "layer_gradients", delta=DELTA, A_prev=A_PREV),
        "backward": {
            "net_2_3_2_1": _backward_case(ref, X1, Y1, p1),
            "net_2_4_1_masked": _backward_case(ref, X2, Y2, p2, mask2),
        },
    }
