"""Golden inputs for perceptron.py.

The course's perceptron is g(1 + 3*x1 - 2*x2): w = (3, -2), b = 1. The update
steps below are worked by hand (HAND_UPDATES); ``record`` refuses to write a
golden file when the reference disagrees with them.
"""

import numpy as np

from grader.datasets import and_gate, or_gate, pass_fail, xor
from grader.mutants import variants

COURSE_W = np.array([3.0, -2.0])
COURSE_B = 1.0

# z = 1 + 3*x1 - 2*x2 for each row: -6, 4, 0 (not > 0), 5, -1, 0.5; and the
# same rows without the bias: -7, 3, -1, 4, -2, -0.5.
PREDICT_X = np.array([[-1.0, 2.0], [1.0, 0.0], [0.0, 0.5], [2.0, 1.0], [0.0, 1.0],
                      [0.0, 0.25]])
PREDICT_HAND = np.array([0, 1, 0, 1, 0, 1])

# (w, b, x, d, lr) -> (w_new, b_new), by hand: y = step(x.w + b), e = d - y.
HAND_UPDATES = [
    # the docstring's example: z = 0 -> y = 0, e = 1
    ((np.array([0.0, 0.0]), 0.0, np.array([1.0, 2.0]), 1, 0.5), (np.array([0.5, 1.0]), 0.5)),
    # the course example x = (-1, 2): z = -6 -> y = 0; with d = 1, e = 1
    ((COURSE_W, COURSE_B, np.array([-1.0, 2.0]), 1, 0.1), (np.array([2.9, -1.8]), 1.1)),
    # x = (1, 0): z = 4 -> y = 1; with d = 0, e = -1: move away from x
    ((COURSE_W, COURSE_B, np.array([1.0, 0.0]), 0, 0.5), (np.array([2.5, -2.0]), 0.5)),
    # x = (2, 1): z = 5 -> y = 1 = d, e = 0: nothing changes
    ((COURSE_W, COURSE_B, np.array([2.0, 1.0]), 1, 0.5), (np.array([3.0, -2.0]), 1.0)),
    # x = (0, 0.5): z = 0 -> y = 0; with d = 1, e = 1
    ((COURSE_W, COURSE_B, np.array([0.0, 0.5]), 1, 1.0), (np.array([3.0, -1.5]), 2.0)),
]

# One epoch from w = 0, b = 0 in row order, lr = 0.5, by hand:
# (1,0) d=1: z=0 -> y=0, wrong: w=(0.5,0), b=0.5; (0,1) d=0: z=0.5 -> y=1, wrong:
# w=(0.5,-0.5), b=0; (1,1) d=0: z=0 -> y=0, right. errors = [2].
# (Visited bottom-up it would make 1 mistake; started from other weights, others.)
FIRST_EPOCH_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
FIRST_EPOCH_D = np.array([1, 0, 0])
FIRST_EPOCH_HAND = (np.array([0.5, -0.5]), 0.0, [2])

# OR with lr = 1 (the docstring's example): errors = [1, 2, 1, 0], w = (1, 1), b = 0.
OR_HAND = (np.array([1.0, 1.0]), 0.0, [1, 2, 1, 0])


def _labels(Y):
    return np.asarray(Y).ravel().astype(np.int64)


def _train_cases():
    cases = {
        "or": (*or_gate(), 1.0, 100),
        "and": (*and_gate(), 1.0, 100),
        "and_budget": (*and_gate(), 0.5, 3),     # AND needs 6 epochs: stopped by the budget
        "pass_fail": (*pass_fail(), 1.0, 100),
        "xor": (*xor(), 1.0, 50),
    }
    out = {name: (X, _labels(Y), lr, epochs) for name, (X, Y, lr, epochs) in cases.items()}
    out["first_epoch"] = (FIRST_EPOCH_X, FIRST_EPOCH_D, 0.5, 1)
    return out


def _as_train_result(value):
    w, b, errors = value
    return {"w": np.asarray(w, dtype=float), "b": float(b), "errors": [int(e) for e in errors]}


def _same_result(a, b):
    return (a["errors"] == b["errors"] and np.allclose(a["w"], b["w"], rtol=1e-12, atol=1e-12)
            and abs(a["b"] - b["b"]) <= 1e-12)


def _check_hand(got, want, what):
    if not all(np.allclose(g, h, rtol=1e-12, atol=1e-12) for g, h in zip(got, want)):
        raise AssertionError(f"the reference disagrees with the hand-worked {what}: "
                             f"{got} != {want}")


def record(ref):
    p = ref.perceptron
    expected = p.predict(PREDICT_X, COURSE_W, COURSE_B)
    _check_hand([expected], [PREDICT_HAND], "predictions")
    out = {
        "course": {"w": COURSE_W, "b": COURSE_B},
        "predict": {
            "X": PREDICT_X, "w": COURSE_W, "b": COURSE_B, "expected": expected,
            "mistakes": {k: v for k, v in variants(ref, "perceptron", "predict", PREDICT_X,
                                                    COURSE_W, COURSE_B).items() if v is not None},
        },
        "update": [],
        "train": {},
    }
    for (w, b, x, d, lr), hand in HAND_UPDATES:
        w_new, b_new = p.update(w, b, x, d, lr)
        _check_hand([w_new, b_new], hand, f"update step at x = {x}")
        out["update"].append({
            "w": w, "b": b, "x": x, "d": d, "lr": lr,
            "expected_w": np.asarray(w_new, dtype=float), "expected_b": float(b_new),
            "mistakes": {k: [np.asarray(v[0], dtype=float), float(v[1])]
                         for k, v in variants(ref, "perceptron", "update", w, b, x, d, lr).items()
                         if v is not None},
        })
    for name, (X, d, lr, epochs) in _train_cases().items():
        result = _as_train_result(p.train(X, d, lr, epochs))
        wrong = {k: _as_train_result(v)
                 for k, v in variants(ref, "perceptron", "train", X, d, lr, epochs).items()
                 if v is not None}
        out["train"][name] = {
            "X": X, "d": d, "lr": lr, "epochs": epochs, **result,
            # a mistake that gives the right answer on this case names nothing here
            "mistakes": {k: v for k, v in wrong.items() if not _same_result(v, result)},
        }
    first = out["train"]["first_epoch"]
    _check_hand([first["w"], first["b"], first["errors"]], FIRST_EPOCH_HAND, "first epoch")
    orr = out["train"]["or"]
    _check_hand([orr["w"], orr["b"], orr["errors"]], OR_HAND, "OR training")
    return out
