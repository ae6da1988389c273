"""Public checks of dropout.py: properties of the random masks, exact checks elsewhere.

A correct mask may come from any order of random draws, so masks are judged
by their properties. The statistical margin, stated once: a mask of n units
drops Binomial(n, rate) of them, so the fraction dropped has standard deviation
sqrt(rate (1 - rate) / n); its kept units are 1/(1 - rate), so its mean has
standard deviation sqrt(rate / ((1 - rate) n)). A correct mask lies within
SIGMAS = 5 standard deviations of rate (fraction) and 1 (mean) except with
probability below 1e-6 per comparison; every wrong variant named here misses
by far more (e.g. rate = 0.2, n = 20000: margin 0.014, keep-probability
mistake off by 0.6, missing scaling off by 0.2 in the mean).
"""

import math

import numpy as np

from grader import config
from grader.checks.errors import StudentProblem
from grader.checks.expect import _safe, as_array, close, expect_array, expect_unchanged, fail
from grader.checks.feedback import show
from grader.checks.symptoms import symptom

SIGMAS = 5.0
SHAPE = (200, 100)
SEED = 20240


def _gen(k=0):
    return np.random.default_rng(SEED + k)


def fraction_margin(rate, n):
    """SIGMAS standard deviations of the fraction dropped (plus half a unit for rate = 0)."""
    return SIGMAS * math.sqrt(rate * (1.0 - rate) / n) + 0.5 / n


def mean_margin(rate, n):
    """SIGMAS standard deviations of a correct mask's mean."""
    return SIGMAS * math.sqrt(rate / ((1.0 - rate) * n)) + 1e-12


def brief(value):
    """A one-line description of a returned value (arrays by shape and dtype)."""
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"array(shape={value.shape}, dtype={value.dtype})"
    return show(value, limit=120).replace("\n", " ")


def num(x):
    return f"{float(x):.6g}"


def distinct(arr):
    """The distinct values of an array, as text: {0, 1.25}."""
    values = np.unique(arr)
    text = ", ".join(num(v) for v in values[:8])
    return "{" + text + (", ..." if values.size > 8 else "") + "}"


def _dropped(arr):
    return np.abs(arr.astype(float)) <= config.ATOL


def diagnose_mask(arr, rate):
    """The named mistake a wrong mask shows, if any (by its properties)."""
    dropped = _dropped(arr)
    n, frac = arr.size, float(dropped.mean())
    if (abs(frac - (1.0 - rate)) <= fraction_margin(1.0 - rate, n)
            and abs(frac - rate) > fraction_margin(rate, n)):
        return "dropout_rate_is_keep_probability"
    kept = arr[~dropped].astype(float)
    if rate > 0 and kept.size and np.allclose(kept, 1.0, rtol=config.RTOL, atol=config.ATOL):
        return "dropout_missing_inverted_scaling"
    return None


def mask_array(mask, shape, rate, call):
    """The mask as an array of the right shape and finite values, else a failure."""
    arr = as_array(mask, call=call)
    if arr.shape != tuple(shape):
        fail("feedback.wrong_shape", call=call, expected=str(tuple(shape)), got=str(arr.shape))
    bad = ~np.isfinite(arr.astype(float))
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        fail("feedback.not_finite", call=call, index=str(index), value=num(arr[index]),
             mistake=diagnose_mask(np.where(bad, 0.0, arr.astype(float)), rate))
    return arr


def expect_mask_values(arr, rate, call):
    scale = 1.0 / (1.0 - rate)
    ok = _dropped(arr) | np.isclose(arr.astype(float), scale, rtol=config.RTOL, atol=config.ATOL)
    if not ok.all():
        index = tuple(int(i) for i in np.argwhere(~ok)[0])
        fail("feedback.dropout_mask_values", call=call, values=distinct(arr),
             scale=f"{scale:g}", bad=num(arr[index]), index=str(index),
             mistake=diagnose_mask(arr, rate))


def expect_mask_fraction(arr, rate, call):
    n, frac = arr.size, float(_dropped(arr).mean())
    margin = fraction_margin(rate, n)
    if abs(frac - rate) > margin:
        fail("feedback.dropout_mask_fraction", call=call, frac=f"{frac:.4f}", n=n,
             rate=f"{rate:g}", bound=f"{margin:.4f}", sigmas=f"{SIGMAS:g}",
             mistake=diagnose_mask(arr, rate))


def expect_mask_mean(arr, rate, call):
    mean, margin = float(arr.astype(float).mean()), mean_margin(rate, arr.size)
    if abs(mean - 1.0) > margin:
        fail("feedback.dropout_mask_mean", call=call, mean=f"{mean:.4f}", bound=f"{margin:.4f}",
             sigmas=f"{SIGMAS:g}", mistake=diagnose_mask(arr, rate))


def expect_mask(mask, shape, rate, call):
    """Every property of a mask of ``shape`` and ``rate``: shape, values, fraction, mean."""
    arr = mask_array(mask, shape, rate, call)
    expect_mask_values(arr, rate, call)
    expect_mask_fraction(arr, rate, call)
    expect_mask_mean(arr, rate, call)
    return arr


def out_and_mask(got, call):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail("feedback.dropout_not_a_pair", call=call, got=brief(got))
    return got


def expect_training_forward(got, A, rate, call):
    """(out, mask) of dropout_forward in training: a proper mask and out = A * mask."""
    out, mask = out_and_mask(got, call)
    if mask is None:
        fail("feedback.dropout_no_mask_in_training", call=call)
    mask = expect_mask(mask, A.shape, rate, f"{call} -> mask")
    out = as_array(out, call=call)
    if out.shape != A.shape:
        fail("feedback.wrong_shape", call=call, expected=str(A.shape), got=str(out.shape))
    expected = A * mask
    if not close(out, expected):
        diff = np.abs(out.astype(float) - expected)
        index = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
        twice = close(out, expected / (1.0 - rate)) and rate > 0
        fail("feedback.dropout_out_not_a_times_mask", call=call, index=str(index),
             a=num(A[index]), m=num(mask[index]), expected=num(expected[index]),
             got=num(out[index]), mistake="dropout_forward_scaled_twice" if twice else None)


def expect_evaluation_forward(got, A, call, rate=None):
    """(out, mask) of dropout_forward at evaluation: (A, None)."""
    out, mask = out_and_mask(got, call)
    out = as_array(out, call=call)
    if out.shape != A.shape:
        fail("feedback.wrong_shape", call=call, expected=str(A.shape), got=str(out.shape),
             mistake="dropout_active_at_inference" if mask is not None else None)
    changed = ~np.isclose(out.astype(float), A, rtol=config.RTOL, atol=config.ATOL)
    if changed.any():
        index = tuple(int(i) for i in np.argwhere(changed)[0])
        fail("feedback.dropout_eval_changed", call=call, changed=int(changed.sum()), n=A.size,
             index=str(index), a=num(A[index]), got=num(out[index]),
             mistake=_evaluation_mistake(out, mask, A, rate),
             symptom=_safe(symptom, out.astype(float), A))
    if mask is not None:
        fail("feedback.dropout_eval_mask", call=call, got=brief(mask))


def _evaluation_mistake(out, mask, A, rate):
    """What a changed output at evaluation shows: units dropped (a zero where A is not, or a
    mask), or every value scaled by 1 - rate (classic dropout's scaling at test time)."""
    if rate is not None and 0 < rate < 1 and close(out, A * (1.0 - rate)):
        return "dropout_eval_scaled_by_keep_prob"
    if mask is not None or bool(((out == 0) & (A != 0)).any()):
        return "dropout_active_at_inference"
    return None


def _activation(gen, shape):
    """Activations with no zero (so a zero in out can only come from the mask)."""
    return gen.uniform(0.5, 2.0, size=shape) * gen.choice([-1.0, 1.0], size=shape)


# --- dropout_mask --------------------------------------------------------------------

def test_dropout_mask_values_are_zero_or_one_over_keep_probability(student):
    for k, rate in enumerate((0.2, 0.5)):
        call = f"dropout_mask({SHAPE}, rate={rate}, rng)"
        arr = mask_array(student.dropout.dropout_mask(SHAPE, rate, _gen(k)), SHAPE, rate, call)
        expect_mask_values(arr, rate, call)


def test_dropout_mask_drops_a_fraction_rate_of_the_units(student):
    for k, rate in enumerate((0.2, 0.75)):
        call = f"dropout_mask({SHAPE}, rate={rate}, rng)"
        arr = mask_array(student.dropout.dropout_mask(SHAPE, rate, _gen(k)), SHAPE, rate, call)
        expect_mask_fraction(arr, rate, call)


def test_dropout_mask_keeps_the_expected_value(student):
    for k, rate in enumerate((0.3, 0.6)):
        call = f"dropout_mask({SHAPE}, rate={rate}, rng)"
        arr = mask_array(student.dropout.dropout_mask(SHAPE, rate, _gen(k)), SHAPE, rate, call)
        expect_mask_mean(arr, rate, call)


def test_dropout_mask_with_rate_zero_keeps_everything(student):
    call = "dropout_mask((20, 30), rate=0.0, rng)"
    arr = mask_array(student.dropout.dropout_mask((20, 30), 0.0, _gen()), (20, 30), 0.0, call)
    if not np.all(arr == 1.0):
        fail("feedback.dropout_rate_zero", call=call, got=distinct(arr),
             mistake=diagnose_mask(arr, 0.0))


def test_dropout_mask_rejects_rates_outside_zero_one(student):
    for rate in (-0.1, 1.0, 1.5):
        call = f"dropout_mask((10, 10), rate={rate}, rng)"
        try:
            outcome = student.call("dropout", "dropout_mask", (10, 10), rate, _gen())
        except StudentProblem as problem:
            if problem.outcome.status != "error":
                raise                   # not implemented, timeout, crash: the engine says so
            if problem.outcome.info.get("type") != "ValueError":
                fail("feedback.dropout_wrong_exception", call=call,
                     type=problem.outcome.info.get("type", "?"),
                     message=str(problem.outcome.info.get("message", ""))[:200])
            continue
        fail("feedback.dropout_no_value_error", call=call, got=brief(outcome.value))


def test_dropout_mask_draws_only_from_the_given_generator(student):
    shape, rate, call = (40, 50), 0.5, "dropout_mask((40, 50), rate=0.5, rng)"
    gen = _gen(7)
    first = student.call("dropout", "dropout_mask", shape, rate, gen, return_args=True)
    again = student.dropout.dropout_mask(shape, rate, _gen(7))      # the same state again
    m1 = mask_array(first.value, shape, rate, call)
    m2 = mask_array(again, shape, rate, call)
    differ = int(np.sum(~np.isclose(m1.astype(float), m2.astype(float))))
    if differ:
        fail("feedback.dropout_rng_not_reproducible", call=call, differ=differ, n=m1.size,
             mistake="dropout_ignores_rng")
    after = first.args_after[2] if first.args_after else None
    if not isinstance(after, np.random.Generator) or (
            after.bit_generator.state == gen.bit_generator.state):
        fail("feedback.dropout_rng_not_used", call=call, mistake="dropout_ignores_rng")
    m3 = mask_array(student.dropout.dropout_mask(shape, rate, after), shape, rate, call)
    if close(m3, m1):
        fail("feedback.dropout_rng_repeats", call=call, mistake="dropout_ignores_rng")
    # dropout_forward draws its mask from the generator too
    A = _activation(_gen(8), shape)
    call = "dropout_forward(A, rate=0.5, rng)"
    _, f1 = out_and_mask(student.dropout.dropout_forward(A, rate, _gen(9)), call)
    _, f2 = out_and_mask(student.dropout.dropout_forward(A, rate, _gen(9)), call)
    if f1 is None or f2 is None:
        fail("feedback.dropout_no_mask_in_training", call=call)
    f1, f2 = mask_array(f1, shape, rate, call), mask_array(f2, shape, rate, call)
    differ = int(np.sum(~np.isclose(f1.astype(float), f2.astype(float))))
    if differ:
        fail("feedback.dropout_rng_not_reproducible", call=call, differ=differ, n=f1.size,
             mistake="dropout_ignores_rng")


# --- dropout_forward -----------------------------------------------------------------

def test_dropout_forward_in_training_multiplies_by_its_mask(student):
    for k, rate in enumerate((0.25, 0.6)):
        A = _activation(_gen(10 + k), (150, 80))
        call = f"dropout_forward(A, rate={rate}, rng, training=True)  [A.shape = {A.shape}]"
        got = student.dropout.dropout_forward(A, rate, _gen(20 + k), training=True)
        expect_training_forward(got, A, rate, call)


def test_dropout_forward_at_evaluation_returns_input_and_no_mask(student):
    for k, rate in enumerate((0.5, 0.2)):
        A = _activation(_gen(30 + k), (40, 25))
        call = f"dropout_forward(A, rate={rate}, rng, training=False)  [A.shape = {A.shape}]"
        got = student.dropout.dropout_forward(A, rate, _gen(40 + k), training=False)
        expect_evaluation_forward(got, A, call, rate)


# --- dropout_backward ----------------------------------------------------------------

def test_dropout_backward_multiplies_by_the_mask(student, golden):
    for case in golden["backward"]:
        mask = case["mask"]
        call = (f"dropout_backward(dout, mask)  [dout.shape = {case['dout'].shape}, mask = "
                f"{'None' if mask is None else 'np.ndarray %s' % (mask.shape,)}]")
        got = student.dropout.dropout_backward(case["dout"], mask)
        expect_array(got, case["expected"], call=call, mistakes=case["mistakes"],
                     inputs={"dout": case["dout"]})


def test_dropout_functions_do_not_modify_their_arguments(student, golden):
    A = _activation(_gen(50), (30, 20))
    before = A.copy()
    for training in (True, False):
        outcome = student.call("dropout", "dropout_forward", A, 0.5, _gen(51), training=training,
                               return_args=True)
        expect_unchanged(before, outcome.args_after[0],
                         call=f"dropout_forward(A, 0.5, rng, training={training})", argument="A")
    for case in golden["backward"]:
        outcome = student.call("dropout", "dropout_backward", case["dout"], case["mask"],
                               return_args=True)
        call = "dropout_backward(dout, mask)"
        expect_unchanged(case["dout"], outcome.args_after[0], call=call, argument="dout")
        if case["mask"] is not None:
            expect_unchanged(case["mask"], outcome.args_after[1], call=call, argument="mask")
