"""Hidden checks of losses.py: seeded random sizes and scales, compared with the reference;
the named mistakes are recognised on the same inputs."""

import numpy as np

from grader.checks.unit_support import (call_clean, expect_scalar, expect_value_error,
                                        sibling_module, sibling_variants)
from grader.checks.expect import Lazy, expect_array, same

EX = "losses"


def _compare(student, reference, func, *args, call, names, scalar=False, warns=None):
    got = call_clean(student, EX, func, *args, call=call, names=names, mistake_if_warns=warns)
    expected = getattr(reference.losses, func)(*args)
    mistakes = _unambiguous(sibling_variants(__file__, reference, func, *args))
    if scalar:
        return expect_scalar(got, expected, call=call, mistakes=mistakes)
    return expect_array(got, expected, call=call, mistakes=mistakes)


def _unambiguous(variants):
    """The mistakes whose value on these inputs no other mistake shares (computed on failure
    only). Random inputs may not tell two mistakes apart (P with exact 1s but nothing below
    1e-7: no clipping at all and clipping from below only give the same loss); then neither
    is named."""
    def compute():
        values = {k: v for k, v in variants.items() if v is not None}
        return {k: v for k, v in values.items()
                if not any(o != k and same(v, w) for o, w in values.items())}
    return Lazy(compute)


def _sizes(rng):
    return int(rng.integers(1, 9)), int(rng.integers(2, 6))


def test_mse_and_its_gradient_on_seeded_inputs(student, reference, rng):
    for _ in range(3):
        n, k = _sizes(rng)
        k = int(rng.integers(1, 5))
        A, Y = rng.normal(size=(n, k)), rng.normal(size=(n, k))
        shape = f"  [A.shape = {A.shape}]"
        _compare(student, reference, "mse", A, Y, call="mse(A, Y)" + shape, names="AY",
                 scalar=True)
        _compare(student, reference, "mse_gradient", A, Y, call="mse_gradient(A, Y)" + shape,
                 names="AY")


def test_softmax_and_cross_entropy_on_seeded_inputs(student, reference, rng):
    for scale in (1.0, 30.0, 400.0):
        n, k = _sizes(rng)
        Z = rng.normal(scale=scale, size=(n, k))
        Y = np.eye(k)[rng.integers(0, k, size=n)]
        shape = f"  [Z.shape = {Z.shape}, scale {scale:g}]"
        warns = sibling_module(__file__, "public").softmax_warning_mistake(Z)
        P = _compare(student, reference, "softmax", Z, call="softmax(Z)" + shape, names="Z",
                     warns=warns)
        _compare(student, reference, "categorical_cross_entropy", reference.losses.softmax(Z), Y,
                 call="categorical_cross_entropy(P, Y)" + shape, names="PY", scalar=True,
                 warns="cce_without_clipping")
        _compare(student, reference, "softmax_cross_entropy_gradient", Z, Y,
                 call="softmax_cross_entropy_gradient(Z, Y)" + shape, names="ZY",
                 warns=warns)
        del P


def test_one_hot_on_seeded_labels(student, reference, rng):
    n, k = _sizes(rng)
    labels = rng.integers(0, k, size=n)
    got = call_clean(student, EX, "one_hot", labels, k, call=f"one_hot(labels, {k})  [N = {n}]",
                     names=["labels"])
    expect_array(got, reference.losses.one_hot(labels, k), call=f"one_hot(labels, {k})")
    bad = labels.copy()
    bad[int(rng.integers(0, n))] = k + int(rng.integers(0, 3))
    expect_value_error(student, EX, "one_hot", bad, k, call=f"one_hot({bad.tolist()}, {k})",
                       why=f"a label >= K = {k}", mistake="one_hot_without_value_error")
