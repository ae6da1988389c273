"""Hidden checks of early_stopping.py: seeded validation curves, patiences and min_deltas
for the rule; seeded problems for train_with_early_stopping (rng=None compared with the
reference; with an rng, reproducible and consistent with the rule on its own
val_history); the named mistakes are recognised on the same inputs."""

import numpy as np

from grader import datasets
from grader.checks.contract import call_clean, sibling_module, sibling_variants
from grader.checks.expect import as_array, expect_true, fail
from grader.checks.feedback import show

EX = "early_stopping"


def _public():
    return sibling_module(__file__, "public")


def _curve(rng):
    n = int(rng.integers(1, 25))
    base = np.round(np.cumsum(rng.normal(-0.02, 0.05, size=n)) + 1.0, 2)   # ties happen
    return [float(v) for v in base]


def test_early_stopping_on_seeded_curves(student, reference, rng):
    public = _public()
    for _ in range(8):
        losses = _curve(rng)
        patience = int(rng.integers(0, 5))
        min_delta = float(rng.choice([0.0, 0.0, 0.015, 0.04]))
        call = f"early_stopping({losses}, patience={patience}, min_delta={min_delta:g})"
        got = call_clean(student, EX, "early_stopping", losses, patience, min_delta, call=call,
                         names=["val_losses"])
        expected = reference.early_stopping.early_stopping(losses, patience, min_delta)
        public.expect_decision(got, expected, call=call, mistakes=sibling_variants(
            __file__, reference, "early_stopping", losses, patience, min_delta))


def test_train_with_early_stopping_on_seeded_problems(student, reference, rng):
    public = _public()
    seed = int(rng.integers(0, 1000))
    X, Y = datasets.moons(n=int(rng.integers(12, 24)), noise=0.45, seed=seed)
    X_val, Y_val = datasets.moons(n=30, noise=0.45, seed=seed + 1)
    params = datasets.init_params([2, int(rng.integers(4, 9)), 1], seed=seed)
    lr, batch_size = float(rng.uniform(1.5, 3.0)), int(rng.integers(3, 6))
    patience = int(rng.integers(1, 5))
    min_delta = float(rng.choice([0.0, 1e-3]))
    restore = bool(rng.integers(0, 2))
    args = (X, Y, X_val, Y_val, params, lr, batch_size, 40, patience, min_delta, restore)
    call = (f"train_with_early_stopping(X, Y, X_val, Y_val, params, lr={lr:.4g}, "
            f"batch_size={batch_size}, max_epochs=40, patience={patience}, "
            f"min_delta={min_delta:g}, restore_best_weights={restore})  [N = {X.shape[0]}]")
    got = call_clean(student, EX, "train_with_early_stopping", *args, call=call,
                     names=["X", "Y", "X_val", "Y_val", "params"])
    expected = reference.early_stopping.train_with_early_stopping(*args)
    public.check_run(got, expected, call=call, mistakes=sibling_variants(
        __file__, reference, "train_with_early_stopping", *args))

    generator_seed = int(rng.integers(2**31))
    call = call.replace("restore_best_weights", "rng, restore_best_weights")
    runs = [student.early_stopping.train_with_early_stopping(
        *args, rng=np.random.default_rng(generator_seed)) for _ in range(2)]
    for run in runs:
        if not isinstance(run, (list, tuple)) or len(run) != 5:
            fail("feedback.es_train_return", call=call, got=show(run))
    val_history = as_array(runs[0][2], call=f"{call} -> val_history").astype(float)
    public.expect_decision(runs[0][3:], reference.early_stopping.early_stopping(
        val_history, patience, min_delta), call=f"{call} -> (stopped_epoch, best_epoch)")
    from grader.checks.expect import same
    expect_true(same(runs[0][:3], runs[1][:3]), "feedback.es_not_reproducible", call=call)
