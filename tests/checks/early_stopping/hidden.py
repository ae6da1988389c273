"""Hidden checks of early_stopping.py: seeded validation curves, patiences and min_deltas
for the rule; seeded problems for train_with_early_stopping (rng=None compared with the
reference; with an rng, reproducible and consistent with the rule on its own
val_history); the named mistakes are recognised on the same inputs."""

import numpy as np

from grader import datasets
from grader.checks.unit_support import call_clean, sibling_module, sibling_variants
from grader.checks.expect import fail
from grader.checks.feedback import show

EX = "early_stopping"


def _public():
    return sibling_module(__file__, "public")


def _curve(rng):
    n = int(rng.integers(1, 12))
    steps = rng.choice([-0.1, -0.03, 0.0, 0.04, 0.1], size=n)     # ties and small steps happen
    base = np.round(1.0 + np.cumsum(steps), 2)
    return [float(v) for v in base]


def test_early_stopping_on_seeded_curves(student, reference, rng):
    cases = []
    for _ in range(12):
        losses = _curve(rng)
        patience = int(rng.integers(0, 5))
        min_delta = float(rng.choice([0.0, 0.0, 0.05]))
        cases.append({"args": [losses, patience, min_delta],
                      "expected": reference.early_stopping.early_stopping(losses, patience,
                                                                          min_delta),
                      "mistakes": sibling_variants(__file__, reference, "early_stopping", losses,
                                                   patience, min_delta)})
    _public()._curves(student, cases)


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
    runs = [call_clean(student, EX, "train_with_early_stopping", *args, call=call,
                       names=["X", "Y", "X_val", "Y_val", "params"],
                       rng=np.random.default_rng(generator_seed)) for _ in range(2)]
    for run in runs:
        if not isinstance(run, (list, tuple)) or len(run) != 5:
            fail("feedback.es_train_return", call=call, got=show(run))
    from grader.checks.expect import same
    if not same(runs[0][:3], runs[1][:3]):
        public.expect_no_state_between_calls(
            lambda: student.early_stopping.train_with_early_stopping(*args), call=call)
        fail("feedback.es_not_reproducible", call=call)
    # Its only randomness is sgd.train(..., rng) once per epoch: exactly the reference's draws.
    expected = reference.early_stopping.train_with_early_stopping(
        *args, rng=np.random.default_rng(generator_seed))
    mistakes = {}
    for name, m in sibling_module(__file__, "mistakes").MUTANTS.items():
        if m.func == "train_with_early_stopping":      # a fresh generator for each
            try:
                mistakes[name] = m.make(reference)(*args,
                                                   rng=np.random.default_rng(generator_seed))
            except Exception:  # noqa: BLE001 - a mutant that cannot run names nothing
                mistakes[name] = None
    public.check_run(runs[0], expected, call=call, mistakes=mistakes)
