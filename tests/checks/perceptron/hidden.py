"""Hidden checks of perceptron.py: seeded random inputs, compared with the reference.

predict and train get integer inputs (and train learning rates that are powers
of two), so every correct implementation computes z exactly, ties z = 0
included, whatever the order of its floating-point operations; update gets
random floats. The helpers that check the structure of what comes back are
the public checks' (loaded from tests/checks/public/test_perceptron.py).
"""

import importlib.util
from pathlib import Path

import numpy as np

from grader.checks.expect import Lazy, close, consistent, expect_array, fail
from grader.mutants import variants

LEARNING_RATES = (0.25, 0.5, 1.0, 2.0)


def _public_helpers():
    path = Path(__file__).resolve().parent / "public.py"
    spec = importlib.util.spec_from_file_location("_public_test_perceptron_helpers", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


public = _public_helpers()


def _with_a_tie(rng, X, w, b):
    """X with one more row, at a random place, exactly on the boundary (x·w + b = 0), and w
    (one weight set to ±1 when none is, so that the row is made of integers): every seed
    has a tie, not only those that draw one by chance."""
    k = int(rng.integers(len(w)))
    if abs(w[k]) != 1.0:
        w = w.copy()
        w[k] = float(rng.choice((-1.0, 1.0)))
    x = rng.integers(-3, 4, size=len(w)).astype(float)
    x[k] = 0.0
    x[k] = -(x @ w + b) / w[k]
    return np.insert(X, int(rng.integers(len(X) + 1)), x, axis=0), w


def test_predict_on_seeded_integer_inputs(student, reference, rng):
    n, dim = int(rng.integers(6, 12)), int(rng.integers(2, 5))
    X = rng.integers(-3, 4, size=(n, dim)).astype(float)
    w = rng.integers(-3, 4, size=dim).astype(float)
    b = float(rng.integers(-3, 4))
    X, w = _with_a_tie(rng, X, w, b)
    n = len(X)
    call = f"predict(X, w, b)  [X.shape = {X.shape}, w = {public.vec(w)}, b = {b:g}]"
    got = student.perceptron.predict(X, w, b)
    expect_array(got, reference.perceptron.predict(X, w, b), call=call,
                 mistakes=variants(reference, "perceptron", "predict", X, w, b))
    public.integer_prediction(got, call)
    x = X[int(rng.integers(n))]
    call = f"predict(x = {public.vec(x)}, w = {public.vec(w)}, b = {b:g})"
    got = public.integer_prediction(student.perceptron.predict(x, w, b), call)
    expected = reference.perceptron.predict(x, w, b)
    if got.ndim != 0:
        fail("feedback.perceptron_not_0d", call=call, shape=str(got.shape),
             symptom=public.shape_symptom(got, expected))
    expect_array(got, expected, call=call,
                 mistakes=variants(reference, "perceptron", "predict", x, w, b))


def test_update_on_seeded_inputs(student, reference, rng):
    dim = int(rng.integers(2, 6))
    runs = []
    # errors e = d - y of +1, -1 and 0, each twice, in a random order
    for wanted in rng.permutation([1, -1, 0, 1, -1, 0]):
        w, x = rng.normal(0.0, 2.0, size=dim), rng.normal(0.0, 2.0, size=dim)
        b, lr = float(rng.normal()), float(rng.uniform(0.05, 2.0))
        y = int(reference.perceptron.predict(x, w, b))
        d = y + int(wanted) if wanted else y
        if d not in (0, 1):           # y = 1 cannot be pushed to d = 2: flip the sample
            x, b = -x, -b
            y = int(reference.perceptron.predict(x, w, b))
            d = y + int(wanted)
        call = (f"update(w, b, x, d = {d}, lr = {lr:.4g})  "
                f"[w = {public.vec(w)}, b = {b:.4g}, x = {public.vec(x)}]")
        got = student.perceptron.update(w, b, x, d, lr)
        mistakes = Lazy(lambda w=w, b=b, x=x, d=d: {
            k: v for k, v in variants(reference, "perceptron", "update", w, b, x, d,
                                      lr).items() if v is not None})
        runs.append((got, mistakes, reference.perceptron.update(w, b, x, d, lr), call))
    allowed = None
    for got, mistakes, (w_ref, b_ref), call in runs:
        got = public.as_tuple(got, 2, call, "(w_new, b_new)")
        b_new = public.number(got[1], call, "b_new")
        named = {}
        if not (close(got[0], w_ref) and close(b_new, b_ref)):      # diagnose
            if allowed is None:
                # A mistake is named only when every sample matches it (one coincidence
                # is not enough).
                allowed = consistent([(g, m) for g, m, _, _ in runs])
            named = {k: v for k, v in mistakes.items()
                     if k in allowed and close(got[0], v[0]) and close(b_new, v[1])}
        expect_array(got[0], w_ref, call=f"{call} -> w_new",
                     mistakes={k: v[0] for k, v in named.items()})
        expect_array(b_new, b_ref, call=f"{call} -> b_new",
                     mistakes={k: v[1] for k, v in named.items()})


def _separable(rng):
    """Integer data labelled by a random line with no sample on it (half-integer bias)."""
    while True:
        n, dim = int(rng.integers(8, 16)), int(rng.integers(2, 4))
        X = rng.integers(-4, 5, size=(n, dim)).astype(float)
        w_true = rng.integers(-3, 4, size=dim)
        if not w_true.any():
            continue
        d = (X @ w_true + rng.integers(-2, 3) + 0.5 > 0).astype(np.int64)
        if 0 < d.sum() < n:
            return X, d


def _contradictory(rng):
    """Integer data where one input appears with both labels: never separable."""
    X, d = _separable(rng)
    i = int(rng.integers(len(d)))
    return np.vstack([X, X[i]]), np.append(d, 1 - d[i])


def _compare_train(student, reference, X, d, lr, epochs, label):
    call = f"train(X, d, lr={lr}, epochs={epochs})  [{label}, X.shape = {X.shape}]"
    got = public.as_tuple(student.perceptron.train(X, d, lr, epochs), 3, call, "(w, b, errors)")
    w, b, errors = got[0], public.number(got[1], call, "b"), public.epoch_errors(got[2], call)
    w_ref, b_ref, errors_ref = reference.perceptron.train(X, d, lr, epochs)
    errors_ref = [int(e) for e in errors_ref]
    mistake, named = None, {}
    if not (errors == errors_ref and close(w, w_ref) and close(b, b_ref)):   # diagnose
        mutants = {k: (v[0], v[1], [int(e) for e in v[2]])
                   for k, v in variants(reference, "perceptron", "train", X, d, lr,
                                        epochs).items() if v is not None}
        full = [k for k, v in mutants.items()
                if v[2] == errors and close(w, v[0]) and close(b, v[1])]
        by_errors = [k for k, v in mutants.items() if v[2] == errors and v[2] != errors_ref]
        names = full or by_errors
        mistake = names[0] if len(names) == 1 else None     # ambiguous: name none
        named = {mistake: mutants[mistake]} if mistake else {}
    if errors != errors_ref:
        fail("feedback.perceptron_wrong_errors", call=call, got=public.short(errors),
             expected=public.short(errors_ref), mistake=mistake,
             symptom=public.errors_symptom(errors, errors_ref))
    expect_array(w, w_ref, call=f"{call} -> w", mistakes={k: v[0] for k, v in named.items()})
    expect_array(b, b_ref, call=f"{call} -> b", mistakes={k: v[1] for k, v in named.items()})


def test_train_on_seeded_separable_and_contradictory_data(student, reference, rng):
    lr = float(rng.choice(LEARNING_RATES))
    X, d = _separable(rng)
    _compare_train(student, reference, X, d, lr, 300, "separable / separables")
    X, d = _contradictory(rng)
    _compare_train(student, reference, X, d, lr, int(rng.integers(10, 30)),
                   "not separable / no separables")


# ---- the conventions of the contract, for every function (grader/checks/contract.py) ----
def _contract(student, reference, rng, func, **kwargs):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    check_function(student, reference, rng, spec('perceptron', func),
                   mistakes=lambda args: variants(reference, 'perceptron', func, *args), **kwargs)


def test_contract_predict(student, reference, rng):
    _contract(student, reference, rng, "predict")


def test_contract_update(student, reference, rng):
    _contract(student, reference, rng, "update")


def test_contract_train(student, reference, rng):
    _contract(student, reference, rng, "train")
