"""Golden inputs for dropout.py.

Only dropout_backward is deterministic; the masks are random and are checked
by their properties (see tests/checks/public/test_dropout.py).
"""

import numpy as np

from grader.mutants import variants

# (dout, mask): the docstring's example, masks of rate 0.5 and 0.2 (kept units
# scaled by 1/(1 - rate) = 2 and 1.25), and no mask at all (evaluation).
_DOUT = np.array([[0.5, -1.0, 2.0, 0.25], [-3.0, 1.5, -0.75, 4.0], [1.0, 1.0, -2.0, 0.1]])
BACKWARD_CASES = [
    (np.array([[1.0, 1.0]]), np.array([[0.0, 2.0]])),
    (_DOUT, np.array([[2.0, 0.0, 2.0, 0.0], [0.0, 2.0, 2.0, 0.0], [2.0, 2.0, 0.0, 2.0]])),
    (_DOUT, np.array([[1.25, 1.25, 0.0, 1.25], [1.25, 0.0, 1.25, 1.25],
                      [0.0, 1.25, 1.25, 1.25]])),
    (_DOUT, None),
]
# dout = [[1, 1]] with mask [[0, 2]] gives [[0, 2]] (the docstring's example), by hand.
HAND = np.array([[0.0, 2.0]])


def record(ref):
    cases = []
    for dout, mask in BACKWARD_CASES:
        cases.append({
            "dout": dout, "mask": mask,
            "expected": np.asarray(ref.dropout.dropout_backward(dout, mask), dtype=float),
            "mistakes": {k: v for k, v in variants(ref, "dropout", "dropout_backward", dout,
                                                    mask).items() if v is not None},
        })
    if not np.array_equal(cases[0]["expected"], HAND):
        raise AssertionError("the reference disagrees with the docstring's example")
    return {"backward": cases}
