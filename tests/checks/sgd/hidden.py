"""Hidden checks of sgd.py: seeded random sizes and networks, compared with the reference.

Random functions are compared exactly only where the result does not depend on
the order of random draws (rng=None); with an rng, properties are checked.
"""


import numpy as np

from grader.checks.expect import (as_array, close, diagnose, expect_array, expect_finite_shape,
                                  expect_true, expect_unchanged, fail, naming, same)
from grader.checks.feedback import show
from grader.mutants import mistakes_of, variants

train_variants = mistakes_of("sgd").train_variants


def _expect_pairs(got, want, *, call, key, names, **params):
    """A list of pairs of arrays (batches or layers) with the structure and values of ``want``."""
    if not isinstance(got, (list, tuple)) or len(got) != len(want) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
        fail(key, call=call, got=show(got), **params)
    for j, (g, w) in enumerate(zip(got, want)):
        expect_array(g[0], w[0], call=f"{call} -> {names[0].format(j=j, l=j + 1)}")
        expect_array(g[1], w[1], call=f"{call} -> {names[1].format(j=j, l=j + 1)}")


def _expect_params(got, want, *, call):
    _expect_pairs(got, want, call=call, key="feedback.sgd_params_structure",
                  names=("W{l}", "b{l}"), expected=len(want))


def _distinct_data(rng, n):
    d, k = int(rng.integers(1, 4)), int(rng.integers(1, 3))
    X = np.hstack([np.arange(n, dtype=float)[:, None], rng.normal(size=(n, d - 1))])
    Y = rng.normal(size=(n, k))
    return X, Y


def _check_shuffled(got, X, Y, batch_size, call):
    """Properties of mini-batches drawn with an rng: a permutation, rows paired, sizes."""
    n = X.shape[0]
    if not isinstance(got, (list, tuple)) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
        fail("feedback.sgd_not_batches", call=call, got=show(got))
    order, sizes = [], []
    for j, (Xb, Yb) in enumerate(got):
        Xb = as_array(Xb, call=f"{call} -> X_batch {j}")
        Yb = as_array(Yb, call=f"{call} -> Y_batch {j}")
        if Xb.ndim != 2 or Xb.shape[1] != X.shape[1] or Yb.shape != (Xb.shape[0], Y.shape[1]):
            fail("feedback.sgd_batch_shapes", call=call, batch=j, x_shape=str(Xb.shape),
                 y_shape=str(Yb.shape), d=X.shape[1], k=Y.shape[1])
        sizes.append(Xb.shape[0])
        for r in range(Xb.shape[0]):
            i = int(Xb[r, 0]) if float(Xb[r, 0]).is_integer() and 0 <= Xb[r, 0] < n else None
            if i is None or not np.array_equal(Xb[r], X[i]):
                fail("feedback.sgd_unknown_row", call=call, batch=j, row=show(Xb[r].tolist()))
            if not np.array_equal(Yb[r], Y[i]):
                fail("feedback.sgd_rows_unpaired", call=call, batch=j, x=show(X[i].tolist()),
                     y=show(Yb[r].tolist()), expected=show(Y[i].tolist()),
                     mistake="minibatches_unpaired_shuffle")
            order.append(i)
    counts = np.bincount(order, minlength=n)
    if counts.max(initial=0) > 1:
        i = int(np.argmax(counts))
        fail("feedback.sgd_sample_repeated", call=call, index=i, count=int(counts[i]),
             mistake="minibatches_with_replacement")
    expected_sizes = [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])
    if counts.min(initial=1) == 0:
        missing = [int(i) for i in np.flatnonzero(counts == 0)]
        dropped = all(s == batch_size for s in sizes) and len(missing) == n % batch_size
        fail("feedback.sgd_sample_missing", call=call, n=n, batch_size=batch_size,
             missing=show(missing), sizes=show(sizes),
             mistake="minibatches_drops_last_batch" if dropped else None)
    if sizes != expected_sizes:
        fail("feedback.sgd_batch_sizes", call=call, n=n, batch_size=batch_size,
             got=show(sizes), expected=show(expected_sizes))


def test_minibatches_on_seeded_sizes(student, reference, rng):
    for divides in (False, True, False):
        batch_size = int(rng.integers(2, 7))
        n = batch_size * int(rng.integers(1, 6))
        n += 0 if divides else int(rng.integers(1, batch_size))
        X, Y = _distinct_data(rng, n)
        call = f"minibatches(X, Y, batch_size={batch_size}, rng=None)  [N = {n}]"
        expected = reference.sgd.minibatches(X, Y, batch_size)
        got = student.sgd.minibatches(X, Y, batch_size, None)
        with naming(lambda: diagnose(got, variants(reference, "sgd", "minibatches", X, Y,
                                                     batch_size, None))):
            _check_shuffled(got, X, Y, batch_size, call)  # names what went wrong, if it can
            _expect_pairs(got, expected, call=call, key="feedback.sgd_not_batches",
                          names=("X_batch {j}", "Y_batch {j}"))
        seed = int(rng.integers(0, 2**31))
        got = student.sgd.minibatches(X, Y, batch_size, np.random.default_rng(seed))
        _check_shuffled(got, X, Y, batch_size,
                        f"minibatches(X, Y, batch_size={batch_size}, rng)  [N = {n}]")


def _random_params(rng, sizes, scale=1.0):
    return [(rng.normal(0.0, scale, size=(a, b)), rng.normal(0.0, 0.3 * scale, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


def _random_sizes(rng):
    hidden = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 3)))]
    return [int(rng.integers(1, 5))] + hidden + [int(rng.integers(1, 3))]


def test_sgd_step_on_seeded_networks(student, reference, rng):
    sizes = _random_sizes(rng)
    params, grads = _random_params(rng, sizes), _random_params(rng, sizes, 0.1)
    lr = float(rng.uniform(0.01, 2.0))
    call = f"sgd_step(params, grads, lr={lr:.4g})  [{'→'.join(map(str, sizes))}]"
    outcome = student.call("sgd", "sgd_step", params, grads, lr, return_args=True)
    with naming(lambda: diagnose(outcome.value,
                                 variants(reference, "sgd", "sgd_step", params, grads, lr))):
        _expect_params(outcome.value, reference.sgd.sgd_step(params, grads, lr), call=call)
    after = outcome.args_after or [None, None]
    expect_unchanged(params, after[0], call=call, argument="params",
                     mistake="sgd_step_in_place")
    expect_unchanged(grads, after[1], call=call, argument="grads")


def _problem(rng, divides):
    sizes = _random_sizes(rng)
    batch_size = int(rng.integers(2, 6))
    n = batch_size * int(rng.integers(2, 5)) + (0 if divides else int(rng.integers(1, batch_size)))
    X = rng.normal(size=(n, sizes[0]))
    Y = (rng.random((n, sizes[-1])) < 0.5).astype(float)
    return sizes, X, Y, _random_params(rng, sizes), batch_size


def test_train_on_seeded_networks_matches_reference(student, reference, rng):
    for divides in (True, False):
        sizes, X, Y, params, batch_size = _problem(rng, divides)
        lr, epochs = float(rng.uniform(0.1, 1.5)), int(rng.integers(2, 6))
        call = (f"train(X, Y, params, lr={lr:.4g}, batch_size={batch_size}, epochs={epochs})  "
                f"[{'→'.join(map(str, sizes))}, N = {X.shape[0]}]")
        # minibatches is the reference's here: a wrong minibatches costs its own checks only
        got = student.call("sgd", "train", X, Y, params, lr, batch_size, epochs,
                           replace={"sgd": ["minibatches"]}).value
        expected = reference.sgd.train(X, Y, params, lr, batch_size, epochs)
        with naming(lambda: diagnose(got, train_variants(reference, X, Y, params, lr,
                                                         batch_size, epochs))):
            if not isinstance(got, (list, tuple)) or len(got) != 2:
                fail("feedback.sgd_train_return", call=call, got=show(got))
            history = as_array(got[1], call=f"{call} -> history")
            if history.shape != (epochs,):
                from grader.checks.expect import _safe
                from grader.checks.symptoms import symptom
                fail("feedback.sgd_history_length", call=call,
                     got=str(len(history) if history.ndim == 1 else history.shape),
                     expected=epochs, symptom=_safe(symptom, history,
                                                    np.asarray(expected[1], dtype=float)))
            expect_array(history, expected[1], call=f"{call} -> history")
            _expect_params(got[0], expected[0], call=f"{call} -> params")


def _expect_train_result(got, params, epochs, call):
    """(params, history) with the structure, shapes and finiteness a train returns."""
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.sgd_train_return", call=call, got=show(got))
    expect_finite_shape(got[1], (epochs,), call=f"{call} -> history")
    trained = got[0]
    if not isinstance(trained, (list, tuple)) or len(trained) != len(params) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in trained):
        fail("feedback.sgd_params_structure", call=call, expected=len(params),
             got=show(trained))
    for l, (pair, (W, b)) in enumerate(zip(trained, params), start=1):
        expect_finite_shape(pair[0], W.shape, call=f"{call} -> W{l}")
        expect_finite_shape(pair[1], b.shape, call=f"{call} -> b{l}")


def test_train_with_shuffling_and_dropout_on_seeded_data(student, reference, rng):
    """Replayed step for step: the permutations and masks the student's train drew
    (through minibatches and dropout.dropout_mask, routed through the judge) go
    through the reference, whose result the student's must equal; any draw order."""
    from grader.checks.replay import REPLACE, expected_train

    for rate in (0.0, float(rng.choice([0.2, 0.3, 0.7]))):
        sizes, X, Y, params, batch_size = _problem(rng, divides=False)  # >= 1 hidden layer
        lr, epochs = float(rng.uniform(0.2, 1.0)), int(rng.integers(2, 5))
        generator = np.random.default_rng(int(rng.integers(2**31)))
        call = (f"train(X, Y, params, lr={lr:.4g}, batch_size={batch_size}, epochs={epochs}, "
                f"rng, dropout_rate={rate:g})  [{'→'.join(map(str, sizes))}, "
                f"N = {X.shape[0]}]")
        outcome = student.call("sgd", "train", X, Y, params, lr, batch_size, epochs, generator,
                               rate, return_args=True, replace=REPLACE)
        got = outcome.value
        _expect_train_result(got, params, epochs, call)
        after = outcome.args_after or [None] * 3
        expect_unchanged(X, after[0], call=call, argument="X")
        expect_unchanged(Y, after[1], call=call, argument="Y")
        expect_unchanged(params, after[2], call=call, argument="params")
        for reverse in (False, True):
            want = expected_train(reference, outcome.callbacks, X, Y, params, lr, batch_size,
                                  epochs, rng_given=True, rate=rate, call=call, reverse=reverse)
            if same(got[0], want[0]) and same(got[1], want[1]):
                break
        else:
            want = expected_train(reference, outcome.callbacks, X, Y, params, lr, batch_size,
                                  epochs, rng_given=True, rate=rate, call=call)
            expect_array(got[1], want[1], call=f"{call} -> history", sequence=True,
                         factors={"lr": lr})
            _expect_params(got[0], want[0], call=f"{call} -> params")

# ---- the conventions of the contract, for every function (grader/checks/contract.py) ----
def _contract(student, reference, rng, func, **kwargs):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    check_function(student, reference, rng, spec('sgd', func),
                   mistakes=lambda args: variants(reference, 'sgd', func, *args), **kwargs)


def test_contract_sgd_step(student, reference, rng):
    _contract(student, reference, rng, "sgd_step")


def test_contract_train(student, reference, rng):
    _contract(student, reference, rng, "train")


def test_contract_minibatches(student, reference, rng):
    """Without an rng compared with the reference; with one, a permutation (the properties
    of _check_shuffled); X and Y untouched and lists accepted in both."""
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    _contract(student, reference, rng, "minibatches")

    def props(got, args, call):
        X, Y = np.asarray(args[0], dtype=float), np.asarray(args[1], dtype=float)
        _check_shuffled(got, X, Y, args[2], call)

    check_function(student, reference, rng, spec("sgd", "minibatches", random=True),
                   props=props)
