"""Hidden checks of dropout.py: seeded random shapes and rates.

Masks are judged by the properties (and the statistical margin) of the public
checks, whose helpers are loaded from tests/checks/public/test_dropout.py so
that the margin is stated once; the deterministic parts (dropout_backward,
dropout_forward at evaluation) are compared with the reference exactly.
"""

import importlib.util
from pathlib import Path

import numpy as np

from grader.checks.expect import expect_array
from grader.mutants import variants


def _public_helpers():
    path = Path(__file__).resolve().parent / "public.py"
    spec = importlib.util.spec_from_file_location("_public_test_dropout_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


public = _public_helpers()


def _shape(rng):
    """A random shape of 1 to 3 dimensions holding 4000 to ~20000 units (no dimension above
    the 16384 that a callback to the judge may carry, grader/sandbox/callbacks.py)."""
    ndim = int(rng.integers(1, 4))
    if ndim == 1:
        return (int(rng.integers(4000, 16000)),)
    if ndim == 2:
        return (int(rng.integers(50, 200)), int(rng.integers(80, 100)))
    return (int(rng.integers(10, 30)), int(rng.integers(20, 30)), int(rng.integers(20, 30)))


def _rate(rng):
    """A rate away from 0.5, so that using it as the keep probability shows."""
    low = bool(rng.integers(2))
    return float(rng.uniform(0.05, 0.4) if low else rng.uniform(0.6, 0.9))


def _generator(rng):
    return np.random.default_rng(int(rng.integers(2**63)))


def test_dropout_mask_properties_on_seeded_shapes_and_rates(student, rng):
    for _ in range(3):
        shape, rate = _shape(rng), _rate(rng)
        call = f"dropout_mask({shape}, rate={rate:.4g}, rng)"
        public.expect_mask(student.dropout.dropout_mask(shape, rate, _generator(rng)), shape,
                           rate, call)


def test_dropout_forward_on_seeded_inputs(student, reference, rng):
    shape, rate = _shape(rng), _rate(rng)
    A = rng.normal(0.0, 2.0, size=shape)
    A[A == 0.0] = 1.0
    call = f"dropout_forward(A, rate={rate:.4g}, rng, training=True)  [A.shape = {shape}]"
    public.expect_training_forward(
        student.dropout.dropout_forward(A, rate, _generator(rng), training=True), A, rate, call)
    shape, rate = _shape(rng), _rate(rng)
    A = rng.normal(0.0, 2.0, size=shape)
    gen = _generator(rng)
    call = f"dropout_forward(A, rate={rate:.4g}, rng, training=False)  [A.shape = {shape}]"
    got = student.dropout.dropout_forward(A, rate, gen, training=False)
    public.expect_evaluation_forward(got, A, call, rate)
    expected, _ = reference.dropout.dropout_forward(A, rate, gen, training=False)
    expect_array(got[0], expected, call=call)


def test_dropout_backward_on_seeded_inputs(student, reference, rng):
    for use_mask in (True, True, False):
        shape, rate = _shape(rng), _rate(rng)
        dout = rng.normal(0.0, 1.0, size=shape)
        mask = reference.dropout.dropout_mask(shape, rate, rng) if use_mask else None
        call = (f"dropout_backward(dout, mask)  [dout.shape = {shape}, "
                f"{'mask of rate %.4g' % rate if use_mask else 'mask = None'}]")
        got = student.dropout.dropout_backward(dout, mask)
        expect_array(got, reference.dropout.dropout_backward(dout, mask), call=call,
                     mistakes=variants(reference, "dropout", "dropout_backward", dout, mask))


# ---- the conventions of the contract, for every function (grader/checks/contract.py) ----
def _contract(student, reference, rng, func, **kwargs):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    check_function(student, reference, rng, spec('dropout', func),
                   mistakes=lambda args: variants(reference, 'dropout', func, *args), **kwargs)


def test_contract_dropout_backward(student, reference, rng):
    _contract(student, reference, rng, "dropout_backward")


def test_contract_dropout_mask(student, reference, rng):
    """Lists, arguments untouched, no warning, ValueError outside 0 <= rate < 1; the values
    are judged by the mask's properties."""
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    def props(got, args, call):
        public.expect_mask(got, tuple(args[0]), args[1], call)

    check_function(student, reference, rng, spec("dropout", "dropout_mask", random=True),
                   props=props)


def test_contract_dropout_forward(student, reference, rng):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    def props(got, args, call):
        A, rate, _, training = args
        A = np.asarray(A, dtype=float)
        if training:
            public.expect_training_forward(got, A, rate, call)
        else:
            public.expect_evaluation_forward(got, A, call, rate)

    check_function(student, reference, rng, spec("dropout", "dropout_forward", random=True),
                   props=props)
