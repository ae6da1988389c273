"""sgd.train with an rng and dropout, replayed with the batches and masks it drew."""

from pathlib import Path

import numpy as np
import pytest

from grader import config
from grader.checks.errors import CheckFailed
from grader.checks.expect import same
from grader.checks.replay import REPLACE, expected_train
from grader.checks.session import CheckSession, read_student_files
from grader.reference import reference

pytestmark = pytest.mark.sandbox

SOLUTIONS = read_student_files(Path(config.SOLUTIONS_DIR))
LOOP = b"""        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            _, cache = forward(X_batch, params, masks)
"""
assert LOOP in SOLUTIONS["sgd.py"]


def _sgd(loop: bytes, before: bytes = b"") -> bytes:
    src = SOLUTIONS["sgd.py"].replace(LOOP, loop)
    return src.replace(b"    history = []\n", b"    history = []\n" + before, 1)


CORRECT = {
    "reference": SOLUTIONS["sgd.py"],
    # Masks drawn last layer first, through dropout_forward-free code, in another order.
    "masks_in_reverse_order": _sgd(b"""        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng=rng):
            masks = None
            if dropout_rate > 0:
                masks = [None] * (len(params) - 1)
                for l in reversed(range(len(params) - 1)):
                    masks[l] = dropout_mask((len(X_batch), params[l][0].shape[1]),
                                            dropout_rate, rng)
            _, cache = forward(X_batch, params, masks)
"""),
}
WRONG = {
    "no_shuffle": _sgd(LOOP.replace(b"minibatches(X, Y, batch_size, rng)",
                                    b"minibatches(X, Y, batch_size)")),
    "shuffles_once": _sgd(LOOP.replace(b"minibatches(X, Y, batch_size, rng)", b"batches"),
                          b"    batches = minibatches(X, Y, batch_size, rng)\n"),
    "masks_reused_across_batches": _sgd(b"""        fixed = {}
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                if len(X_batch) not in fixed:
                    fixed[len(X_batch)] = [dropout_mask((X_batch.shape[0], W.shape[1]),
                                                        dropout_rate, rng) for W, _ in params[:-1]]
                masks = fixed[len(X_batch)]
            _, cache = forward(X_batch, params, masks)
"""),
    "masks_missing_from_backward": _sgd(LOOP.replace(
        b"            _, cache = forward(X_batch, params, masks)\n",
        b"            forward(X_batch, params, masks)\n"
        b"            _, cache = forward(X_batch, params)\n")),
    "masks_scaled_twice": _sgd(LOOP.replace(
        b"            _, cache = forward(X_batch, params, masks)\n",
        b"            if masks is not None:\n"
        b"                masks = [m / (1 - dropout_rate) for m in masks]\n"
        b"            _, cache = forward(X_batch, params, masks)\n")),
    "masks_with_wrong_rate": _sgd(LOOP.replace(b"dropout_rate, rng)", b"1 - dropout_rate, rng)")),
}


def _grade(sgd_source: bytes, dropout_source: bytes | None = None) -> bool:
    files = dict(SOLUTIONS, **{"sgd.py": sgd_source})
    if dropout_source is not None:
        files["dropout.py"] = dropout_source
    ref = reference()
    rng = np.random.default_rng(11)
    X = rng.normal(size=(11, 3))
    Y = (rng.random((11, 1)) < 0.5).astype(float)
    params = [(rng.normal(size=(3, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 2)), rng.normal(size=2)),
              (rng.normal(size=(2, 1)), rng.normal(size=1))]
    session = CheckSession(files=files, graded=True)
    try:
        outcome = session.proxy("sgd").call("sgd", "train", X, Y, params, 0.5, 4, 3,
                                            np.random.default_rng(5), 0.25, replace=REPLACE)
        assert outcome.ok, outcome
        for reverse in (False, True):
            try:
                want = expected_train(ref, outcome.callbacks, X, Y, params, 0.5, 4, 3,
                                      rng_given=True, rate=0.25, call="train", reverse=reverse)
            except CheckFailed:
                return False
            if same(outcome.value[0], want[0]) and same(outcome.value[1], want[1]):
                return True
        return False
    finally:
        session.close()


@pytest.mark.parametrize("case", sorted(CORRECT))
def test_a_correct_train_keeps_full_marks_whatever_order_it_draws_in(case):
    assert _grade(CORRECT[case])


@pytest.mark.parametrize("case", sorted(WRONG))
def test_wrong_shuffling_or_masks_in_train_lose_points(case):
    assert not _grade(WRONG[case])


def test_a_wrong_dropout_mask_costs_train_nothing():
    wrong_mask = SOLUTIONS["dropout.py"].replace(b"return keep / (1.0 - rate)", b"return keep")
    assert wrong_mask != SOLUTIONS["dropout.py"]
    assert _grade(SOLUTIONS["sgd.py"], wrong_mask)
