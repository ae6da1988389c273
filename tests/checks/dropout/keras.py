"""Keras check of dropout.py: the student's dropout_forward against keras.layers.Dropout.

Both apply dropout with rate 0.3 to the same fixed activations A (200 x 50,
values in [0.5, 1.5], grader.baseline.suite); Keras's outputs come from the
baseline's disk cache. Masks are random and drawn differently, so the check
compares what must agree: the fraction of units dropped, the scaling of the
units that survive (Keras: 1/(1 - rate)), and the identity at evaluation.
Without TensorFlow/Keras and without a cached value the check is skipped.

Margins: the fraction dropped is Binomial(n, rate)/n, with standard deviation
sqrt(rate (1 - rate) / n); a correct implementation lies within SIGMAS = 5 of
them (0.023 here) except with probability below 1e-6. The surviving values are
exact: grader.baseline.BASELINE_RTOL / BASELINE_ATOL.
"""

import math

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.suite import inputs, keras_results_or_skip
from grader.checks.expect import close, expect_finite_shape, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras

SIGMAS = 5.0


def _forward(student, A, rate, seed, training, call):
    value = student.dropout.dropout_forward(A, rate, np.random.default_rng(seed),
                                            training=training)
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        fail("feedback.dropout_not_a_pair", call=call, got=show(value))
    return expect_finite_shape(value[0], A.shape, call=call).astype(np.float64)


def _index(mask) -> str:
    return str(tuple(int(i) for i in np.argwhere(mask)[0]))


def test_dropout_forward_matches_keras_dropout_layer(student):
    case = inputs("dropout")
    A, rate, seed = case["A"], case["rate"], case["seed"]
    shape = f"[A.shape = {A.shape}]"
    train_call = f"dropout_forward(A, rate={rate:g}, rng, training=True)  {shape}"
    eval_call = f"dropout_forward(A, rate={rate:g}, rng, training=False)  {shape}"
    out = _forward(student, A, rate, seed, True, train_call)
    out_eval = _forward(student, A, rate, seed, False, eval_call)
    keras = keras_results_or_skip("dropout")
    n = A.size
    bound = SIGMAS * math.sqrt(rate * (1.0 - rate) / n)

    # 1. the fraction dropped
    dropped = out == 0.0
    frac, keras_frac = float(dropped.mean()), float((keras["train"] == 0.0).mean())
    if abs(frac - rate) > bound:
        swapped = abs(frac - (1.0 - rate)) <= bound
        fail("feedback.keras_dropout_fraction", call=train_call, frac=f"{frac:.4f}", n=n,
             rate=f"{rate:g}", keras_frac=f"{keras_frac:.4f}", bound=f"{bound:.4f}",
             sigmas=f"{SIGMAS:g}",
             mistake="dropout_rate_is_keep_probability" if swapped else None)

    # 2. the survivors' scaling, as Keras's
    kept_by_keras = keras["train"] != 0.0
    keras_scale = float(np.median(keras["train"][kept_by_keras] / A[kept_by_keras]))
    kept = ~dropped
    wanted = A * keras_scale
    wrong = kept & ~np.isclose(out, wanted, rtol=BASELINE_RTOL, atol=BASELINE_ATOL)
    if wrong.any():
        ratios = out[kept] / A[kept]
        mistake = ("dropout_missing_inverted_scaling" if close(ratios, np.ones_like(ratios))
                   else "dropout_forward_scaled_twice"
                   if close(ratios, np.full_like(ratios, keras_scale ** 2)) else None)
        first = tuple(np.argwhere(wrong)[0])
        fail("feedback.keras_dropout_scale", call=train_call,
             scale=f"{float(np.median(ratios)):.6g}", rate=f"{rate:g}",
             keras_scale=f"{keras_scale:.6g}", index=_index(wrong), a=f"{A[first]:.6g}",
             got=f"{out[first]:.6g}", expected=f"{wanted[first]:.6g}", mistake=mistake)

    # 3. evaluation: the input unchanged, as Keras's
    changed = ~np.isclose(out_eval, keras["eval"], rtol=BASELINE_RTOL, atol=BASELINE_ATOL)
    if changed.any():
        first = tuple(np.argwhere(changed)[0])
        active = abs(float((out_eval == 0.0).mean()) - rate) <= bound
        fail("feedback.keras_dropout_eval", call=eval_call, changed=int(changed.sum()), n=n,
             index=_index(changed), expected=f"{keras['eval'][first]:.6g}",
             got=f"{out_eval[first]:.6g}",
             mistake="dropout_active_at_inference" if active else None)
