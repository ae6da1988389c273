"""Public checks of sgd.py: properties of the mini-batches, recorded values, training runs.

Mini-batches are checked by what they must satisfy (every sample once, X and Y
rows still paired, sizes, order without rng), so any valid permutation passes
and a generator is as good as a list. Training with rng=None and no dropout is
deterministic and compared step for step with values recorded from the
reference (which matches Keras); the loss in ``history`` is recomputed here
from first principles.
"""


import numpy as np

from grader.checks.expect import (as_array, close, diagnose, expect_array, expect_finite_shape,
                                  expect_true, expect_unchanged, fail, naming, same)
from grader.checks.feedback import show


# -- helpers: mini-batches ----------------------------------------------------------------
def _distinct_data(n, d=3, k=2):
    """X and Y whose rows are all different, so a row tells which sample it is."""
    i = np.arange(n, dtype=np.float64)[:, None]
    X = np.hstack([i, 100.0 + i, 0.5 * i][:d])
    Y = np.hstack([1000.0 + i, -i][:k])
    return X, Y


def _expected_sizes(n, batch_size):
    return [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])


def _check_batches(got, X, Y, batch_size, *, call, ordered):
    """Every sample exactly once, X and Y rows paired, sizes right; in order if ``ordered``."""
    n, d, k = X.shape[0], X.shape[1], Y.shape[1]
    if not isinstance(got, (list, tuple)):
        fail("feedback.sgd_not_batches", call=call, got=show(got))
    rows = {float(x): i for i, x in enumerate(X[:, 0])}
    seen, sizes = [], []
    for j, pair in enumerate(got):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            fail("feedback.sgd_not_batches", call=call, got=show(pair))
        Xb = as_array(pair[0], call=f"{call} -> X_batch {j}")
        Yb = as_array(pair[1], call=f"{call} -> Y_batch {j}")
        if Xb.ndim != 2 or Xb.shape[1] != d or Yb.ndim != 2 or Yb.shape != (Xb.shape[0], k):
            fail("feedback.sgd_batch_shapes", call=call, batch=j, x_shape=str(Xb.shape),
                 y_shape=str(Yb.shape), d=d, k=k)
        sizes.append(Xb.shape[0])
        for r in range(Xb.shape[0]):
            i = rows.get(float(Xb[r, 0]))
            if i is None or not np.array_equal(Xb[r], X[i]):
                fail("feedback.sgd_unknown_row", call=call, batch=j, row=show(Xb[r].tolist()))
            seen.append((i, j, Yb[r]))
    counts = np.bincount([i for i, _, _ in seen], minlength=n)
    expected_sizes = _expected_sizes(n, batch_size)
    if counts.max(initial=0) > 1:
        i = int(np.argmax(counts))
        fail("feedback.sgd_sample_repeated", call=call, index=i, count=int(counts[i]),
             mistake="minibatches_with_replacement")
    if counts.min(initial=1) == 0:
        missing = [int(i) for i in np.flatnonzero(counts == 0)]
        dropped = (all(s == batch_size for s in sizes)
                   and len(missing) == n % batch_size)
        fail("feedback.sgd_sample_missing", call=call, n=n, batch_size=batch_size,
             missing=show(missing), sizes=show(sizes),
             mistake="minibatches_drops_last_batch" if dropped else None)
    for i, j, y in seen:
        if not np.array_equal(y, Y[i]):
            fail("feedback.sgd_rows_unpaired", call=call, batch=j, x=show(X[i].tolist()),
                 y=show(y.tolist()), expected=show(Y[i].tolist()),
                 mistake="minibatches_unpaired_shuffle")
    if sizes != expected_sizes:
        fail("feedback.sgd_batch_sizes", call=call, n=n, batch_size=batch_size,
             got=show(sizes), expected=show(expected_sizes))
    order = [i for i, _, _ in seen]
    if ordered and order != list(range(n)):
        fail("feedback.sgd_not_in_order", call=call, got=show(order))
    return order


def _minibatches(student, n, batch_size, seed=None, d=3, k=2):
    X, Y = _distinct_data(n, d, k)
    rng = None if seed is None else np.random.default_rng(seed)
    call = (f"minibatches(X, Y, batch_size={batch_size}, rng="
            f"{'None' if seed is None else f'default_rng({seed})'})  [N = {n}]")
    outcome = student.call("sgd", "minibatches", X, Y, batch_size, rng, return_args=True)
    after = outcome.args_after or [None, None]
    expect_unchanged(X, after[0], call=call, argument="X")
    expect_unchanged(Y, after[1], call=call, argument="Y")
    return _check_batches(outcome.value, X, Y, batch_size, call=call, ordered=seed is None)


# -- helpers: parameters and training --------------------------------------------------------



def _expect_params(got, expected, *, call, mistake=None):
    """A list of (W, b) tuples shaped and valued like ``expected``."""
    with naming(mistake):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected) or not all(
                isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
            fail("feedback.sgd_params_structure", call=call, expected=len(expected),
                 got=show(got))
        for l, ((W, b), (eW, eb)) in enumerate(zip(got, expected), start=1):
            expect_array(W, eW, call=f"{call} -> W{l}")
            expect_array(b, eb, call=f"{call} -> b{l}")


def _expect_finite_params(got, like, *, call):
    """A list of (W, b) tuples with the shapes of ``like`` and finite values."""
    if not isinstance(got, (list, tuple)) or len(got) != len(like) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
        fail("feedback.sgd_params_structure", call=call, expected=len(like), got=show(got))
    for l, ((W, b), (W0, b0)) in enumerate(zip(got, like), start=1):
        expect_finite_shape(W, np.shape(W0), call=f"{call} -> W{l}")
        expect_finite_shape(b, np.shape(b0), call=f"{call} -> b{l}")


def _params(raw):
    return [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in raw]


def _sigmoid(z):
    # σ written with tanh: independent of activations.py, and stable for any z.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _loss(X, Y, params):
    """Mean BCE of the network on (X, Y), without dropout. With logits Z: log(1 + e^Z) - y Z."""
    A = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        A = _sigmoid(A @ np.asarray(W) + np.asarray(b))
    Z = A @ np.asarray(params[-1][0]) + np.asarray(params[-1][1])
    return float(np.mean(np.sum(np.logaddexp(0.0, Z) - Y * Z, axis=1)))


def _train(student, X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0,
           return_args=False):
    """Call student train; check it returns (params, history) of the right form."""
    label = "None" if rng is None else "rng"
    call = (f"train(X, Y, params, lr={lr}, batch_size={batch_size}, epochs={epochs}, "
            f"rng={label}, dropout_rate={dropout_rate})")
    outcome = student.call("sgd", "train", X, Y, params, lr, batch_size, epochs, rng,
                           dropout_rate, return_args=return_args)
    got = outcome.value
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.sgd_train_return", call=call, got=show(got))
    return call, got, outcome


def _history(got, epochs, *, call, expected=None):
    history = as_array(got, call=f"{call} -> history")
    if history.shape != (epochs,):
        from grader.checks.symptoms import symptom
        found = None
        if expected is not None:
            try:
                found = symptom(history, np.asarray(expected, dtype=float), sequence=True)
            except Exception:  # noqa: BLE001 - a symptom is a help, never a reason to break
                found = None
        fail("feedback.sgd_history_length", call=call, symptom=found,
             got=str(len(history) if history.ndim == 1 else history.shape), expected=epochs)
    return expect_finite_shape(history, (epochs,), call=f"{call} -> history")


# The course's OR gate, a 2-3-1 network with fixed initial weights: an easy problem.
OR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
OR_Y = np.array([[0.0], [1.0], [1.0], [1.0]])
OR_PARAMS = [(np.array([[0.4, -0.6, 0.2], [-0.3, 0.5, 0.7]]), np.zeros(3)),
             (np.array([[0.6], [-0.4], [0.3]]), np.zeros(1))]


# -- checks: minibatches -----------------------------------------------------------------
def test_minibatches_without_rng_keep_rows_in_order(student):
    _minibatches(student, 8, 4)
    _minibatches(student, 6, 2, d=1, k=1)


def test_minibatches_include_the_last_partial_batch(student):
    # N = 7, batch_size = 3: rows [0, 1, 2], [3, 4, 5], [6] (the docstring's example is N = 5).
    _minibatches(student, 7, 3)
    _minibatches(student, 10, 4)
    _minibatches(student, 5, 2)


def test_minibatches_with_rng_follow_a_permutation_and_keep_x_y_pairs(student):
    for n, batch_size, seed in ((11, 4, 3), (12, 3, 8)):
        order = _minibatches(student, n, batch_size, seed)
        call = f"minibatches(X, Y, batch_size={batch_size}, rng=default_rng({seed}))  [N = {n}]"
        # The identity is 1 of N! orders: a shuffled result is never it in practice.
        expect_true(order != list(range(n)), "feedback.sgd_not_shuffled", call=call)


def test_minibatches_handle_edge_cases_and_lists(student):
    _minibatches(student, 5, 1)          # one sample per batch
    _minibatches(student, 5, 5)          # one batch
    _minibatches(student, 3, 10)         # batch larger than the data set: one batch
    X, Y = _distinct_data(5)
    got = student.sgd.minibatches(X.tolist(), Y.tolist(), 2)
    _check_batches(got, X, Y, 2, call="minibatches(X as list, Y as list, batch_size=2)",
                   ordered=True)


# -- checks: sgd_step ---------------------------------------------------------------------
def test_sgd_step_matches_reference_values(student, golden):
    # The docstring's example: W = [[1]], dW = [[2]], lr = 0.1 gives [[0.8]].
    got = student.sgd.sgd_step([(np.array([[1.0]]), np.array([0.5]))],
                               [(np.array([[2.0]]), np.array([-1.0]))], 0.1)
    _expect_params(got, [(np.array([[0.8]]), np.array([0.6]))],
                   call="sgd_step([([[1]], [0.5])], [([[2]], [-1])], lr=0.1)",
                   mistake=diagnose(got, {"sgd_step_sign_flipped": [
                       (np.array([[1.2]]), np.array([0.4]))]}))
    case = golden["sgd_step"]
    got = student.sgd.sgd_step(_params(case["params"]), _params(case["grads"]), case["lr"])
    _expect_params(got, case["expected"], call=f"sgd_step(params, grads, lr={case['lr']})",
                   mistake=diagnose(got, case["mistakes"]))


def test_sgd_step_does_not_modify_params_or_grads(student, golden):
    case = golden["sgd_step"]
    params, grads = _params(case["params"]), _params(case["grads"])
    call = f"sgd_step(params, grads, lr={case['lr']})"
    outcome = student.call("sgd", "sgd_step", params, grads, case["lr"], return_args=True)
    after = outcome.args_after or [None, None]
    expect_unchanged(params, after[0], call=call, argument="params",
                     mistake="sgd_step_in_place")
    expect_unchanged(grads, after[1], call=call, argument="grads")


# -- checks: train -------------------------------------------------------------------------
def test_train_matches_reference_values_step_for_step(student, golden):
    case = golden["train"]
    call, got, _ = _train(student, case["X"], case["Y"], _params(case["params"]), case["lr"],
                          case["batch_size"], case["epochs"])
    mistake = diagnose(got, case["mistakes"])
    with naming(mistake):
        expected_params, expected_history = case["expected"]
        history = _history(got[1], case["epochs"], call=call, expected=expected_history)
        expect_array(history, expected_history, call=f"{call} -> history", sequence=True,
                     factors={"lr": case["lr"]} if "lr" in case else None)
        _expect_params(got[0], expected_params, call=f"{call} -> params")


def test_train_history_is_the_full_training_loss_after_each_epoch(student, golden):
    case = golden["train"]
    X, Y, params0 = case["X"], case["Y"], _params(case["params"])
    lr, batch_size = case["lr"], case["batch_size"]
    call, (p1, h1), _ = _train(student, X, Y, params0, lr, batch_size, 1)
    h1 = _history(h1, 1, call=call)
    loss1 = _loss(X, Y, p1)
    if not close(h1[0], loss1):
        mistake = None
        if close(h1[0], _loss(X, Y, params0)):
            mistake = "sgd_train_history_before_epoch"
        elif close(h1[0], _loss(X[-(len(X) % batch_size or batch_size):],
                                Y[-(len(X) % batch_size or batch_size):], p1)):
            mistake = "sgd_train_history_last_batch"
        fail("feedback.sgd_history_not_loss", call=call, epoch=0, got=f"{h1[0]:.10g}",
             expected=f"{loss1:.10g}", mistake=mistake)
    call, (p3, h3), _ = _train(student, X, Y, params0, lr, batch_size, 3)
    h3 = _history(h3, 3, call=call)
    expect_array(h3[:1], h1, call=f"{call} -> history[:1]  [epochs=1 -> history]")
    loss3 = _loss(X, Y, p3)
    expect_true(close(h3[-1], loss3), "feedback.sgd_history_not_loss", call=call, epoch=2,
                got=f"{h3[-1]:.10g}", expected=f"{loss3:.10g}")


def test_train_decreases_the_loss_on_an_easy_problem(student):
    # 30 epochs: the reference ends at 0.085 of the initial loss (100 epochs: 0.012).
    call, (params, history), _ = _train(student, OR_X, OR_Y, _params(OR_PARAMS), 2.0, 2, 30)
    history = _history(history, 30, call=call)
    initial = _loss(OR_X, OR_Y, OR_PARAMS)
    expect_true(history[-1] < 0.5 * initial, "feedback.sgd_loss_not_decreasing", call=call,
                initial=f"{initial:.4g}", final=f"{history[-1]:.4g}")


def test_train_does_not_modify_the_initial_params(student, golden):
    case = golden["train"]
    X, Y, params = np.array(case["X"]), np.array(case["Y"]), _params(case["params"])
    call, _, outcome = _train(student, X, Y, params, case["lr"], case["batch_size"], 2,
                              return_args=True)
    after = outcome.args_after or [None] * 3
    expect_unchanged(X, after[0], call=call, argument="X")
    expect_unchanged(Y, after[1], call=call, argument="Y")
    expect_unchanged(params, after[2], call=call, argument="params")


def test_train_with_dropout_is_reproducible_and_history_has_no_dropout(student, golden):
    case = golden["train"]
    X, Y, params = case["X"], case["Y"], _params(case["params"])
    runs = {}
    for seed in (1, 1, 2):
        call, got, _ = _train(student, X, Y, params, 0.5, 2, 4, np.random.default_rng(seed), 0.5)
        history = _history(got[1], 4, call=call)
        _expect_finite_params(got[0], params, call=f"{call} -> params")
        loss = _loss(X, Y, got[0])
        expect_true(close(history[-1], loss), "feedback.sgd_history_not_loss", call=call,
                    epoch=3, got=f"{history[-1]:.10g}", expected=f"{loss:.10g}")
        runs.setdefault(seed, []).append((got[0], history))
    expect_true(same(runs[1][0], runs[1][1]), "feedback.sgd_not_reproducible",
                call="train(..., rng=default_rng(1), dropout_rate=0.5)")
    expect_true(not same(runs[1][0], runs[2][0]), "feedback.sgd_seeds_identical",
                call="train(..., rng=default_rng(1 / 2), dropout_rate=0.5)")


def test_train_with_dropout_applies_the_masks(student, golden):
    # With ONE batch per epoch the order of the rows does not change the mean gradient, so
    # with dropout_rate = 0 shuffling gives the rng=None run; with dropout_rate > 0 it must not.
    case = golden["train"]
    X, Y, params = case["X"], case["Y"], _params(case["params"])
    n = X.shape[0]
    call, plain, _ = _train(student, X, Y, params, 0.5, n, 3)
    call0, shuffled, _ = _train(student, X, Y, params, 0.5, n, 3, np.random.default_rng(4), 0.0)
    _expect_params(shuffled[0], plain[0], call=f"{call0} -> params  (vs. rng=None)")
    call5, dropped, _ = _train(student, X, Y, params, 0.5, n, 3, np.random.default_rng(4), 0.5)
    expect_true(not same(dropped[0], plain[0]), "feedback.sgd_dropout_no_effect", call=call5,
                rate=0.5)
