"""Hidden checks of more_activations.py: seeded random shapes, scales and slopes, compared
with the reference; the named mistakes are recognised on the same inputs."""

import numpy as np

from grader.checks.unit_support import call_clean, sibling_variants
from grader.checks.expect import expect_array

EX = "more_activations"


def _random_z(rng):
    shape = tuple(int(n) for n in rng.integers(1, 5, size=int(rng.integers(0, 4))))
    z = rng.normal(scale=float(rng.choice([0.5, 3.0, 30.0])), size=shape)
    if z.ndim:
        z.reshape(-1)[0] = 0.0          # the kink
    return z


def _compare(student, reference, rng, func, with_alpha):
    for case in range(4):
        # the last case has a slope above 1 on values of both signs (the contract's formula
        # holds for any alpha: max(z, alpha * z) does not)
        z = _random_z(rng) if case < 3 else rng.normal(scale=3.0, size=(3, 4))
        alpha = float(rng.uniform(1.2, 3.0) if case == 3 else rng.uniform(0.02, 0.6))
        args = (alpha,) if with_alpha else ()
        shown = f"{func}(z{', alpha=%.4g' % args[0] if args else ''})  [z.shape = {z.shape}]"
        got = call_clean(student, EX, func, z, *args, call=shown, names=["z", "alpha"],
                         mistake_if_warns="overflow_in_exp")
        expected = getattr(reference.more_activations, func)(z, *args)
        expect_array(got, expected, call=shown,
                     mistakes=sibling_variants(__file__, reference, func, z, *args))


def test_leaky_relu_on_seeded_inputs(student, reference, rng):
    _compare(student, reference, rng, "leaky_relu", True)


def test_leaky_relu_derivative_on_seeded_inputs(student, reference, rng):
    _compare(student, reference, rng, "leaky_relu_derivative", True)


def test_swish_and_its_derivative_on_seeded_inputs(student, reference, rng):
    _compare(student, reference, rng, "swish", False)
    _compare(student, reference, rng, "swish_derivative", False)
