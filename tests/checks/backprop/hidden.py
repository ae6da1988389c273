"""Hidden checks of backprop.py: seeded random shapes and networks, compared with the reference."""


import numpy as np

from grader.checks.errors import StudentProblem
from grader.checks.expect import (close, diagnose, expect_array, fail, naming)
from grader.checks.feedback import show
from grader.mutants import mistakes_of, variants

backward_variants = mistakes_of("backprop").backward_variants


# hidden_delta alone, with a square W_next: forgetting the transpose gives wrong values there.
PROBE = {"delta_next": np.array([[0.3, -1.1], [0.8, 0.45]]),
         "W_next": np.array([[0.7, -1.3], [2.1, 0.4]]),
         "Z": np.array([[0.5, -0.2], [-1.0, 1.7]])}


def _matmul_mistake(student, reference, func):
    """Which mistake makes a matmul in hidden_delta fail: probe hidden_delta on its own."""
    args = (PROBE["delta_next"], PROBE["W_next"], PROBE["Z"])
    try:
        got = student.backprop.hidden_delta(*args)
    except StudentProblem:
        return None
    wrong = variants(reference, "backprop", "hidden_delta", *args)
    if close(got, wrong.get("hidden_delta_no_transpose")):
        return "hidden_delta_no_transpose"
    if func == "backward" and close(got, reference.backprop.hidden_delta(*args)):
        return "backward_wrong_layer_weights"
    return None


def _call(student, reference, func, *args):
    """student.backprop.<func>(*args), naming the mistake behind a shape error in hidden_delta."""
    try:
        return student.call("backprop", func, *args).value
    except StudentProblem as problem:
        info = problem.outcome.info
        if (problem.outcome.status == "error" and info.get("type") == "ValueError"
                and "matmul" in info.get("message", "")
                and "hidden_delta" in (info.get("traceback") or "")):
            fail("feedback.backprop_matmul_error", call=f"backprop.{func}",
                 message=info.get("message", "")[:300],
                 mistake=_matmul_mistake(student, reference, func),
                 details=info.get("traceback"))
        raise





def _expect_grads(got, expected, *, call, mistakes):
    """One (dW, db) pair, or a list of them (one per layer); the mistake diagnosed on the whole."""
    def mistake():                   # diagnosed only when the check fails
        return diagnose(got, mistakes)

    pairs = isinstance(expected, list)
    if not isinstance(got, (list, tuple)) or len(got) != len(expected):
        fail("feedback.backprop_grads_structure" if pairs else "feedback.backprop_not_a_pair",
             call=call, expected=len(expected), got=show(got), mistake=mistake)
    with naming(mistake):
        for l, (g, e) in enumerate(zip(got, expected) if pairs else [(got, expected)], start=1):
            if not isinstance(g, (list, tuple)) or len(g) != 2:
                fail("feedback.backprop_not_a_pair", call=f"{call} -> grads[{l - 1}]", got=show(g))
            suffix = str(l) if pairs else ""
            expect_array(g[0], e[0], call=f"{call} -> dW{suffix}")
            expect_array(g[1], e[1], call=f"{call} -> db{suffix}")


def _mask(rng, shape):
    rate = float(rng.choice([0.2, 0.5]))
    return np.where(rng.random(shape) < rate, 0.0, 1.0 / (1.0 - rate))


def test_helpers_on_seeded_inputs(student, reference, rng):
    n, k = int(rng.integers(1, 7)), int(rng.integers(1, 4))
    A_L = rng.random((n, k))
    Y = (rng.random((n, k)) < 0.5).astype(float)
    expect_array(_call(student, reference, "output_delta", A_L, Y),
                 reference.backprop.output_delta(A_L, Y),
                 call=f"output_delta(A_L, Y)  [A_L.shape = {A_L.shape}]",
                 mistakes=variants(reference, "backprop", "output_delta", A_L, Y))

    for square in (True, False):
        n_l = int(rng.integers(2, 6))
        n_next = n_l if square else int(rng.integers(1, 6))
        if not square and n_next == n_l:
            n_next += 1
        delta_next, W_next = rng.normal(size=(n, n_next)), rng.normal(size=(n_l, n_next))
        Z = rng.normal(0.0, 2.0, size=(n, n_l))
        for mask in (None, _mask(rng, (n, n_l))):
            args = (delta_next, W_next, Z) if mask is None else (delta_next, W_next, Z, mask)
            names = "delta_next, W_next, Z" + ("" if mask is None else ", mask")
            expect_array(_call(student, reference, "hidden_delta", *args),
                         reference.backprop.hidden_delta(*args),
                         call=f"hidden_delta({names})  [W_next.shape = {W_next.shape}]",
                         mistakes=variants(reference, "backprop", "hidden_delta", *args))

    n_in, n_out = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    delta, A_prev = rng.normal(size=(n, n_out)), rng.random((n, n_in))
    _expect_grads(_call(student, reference, "layer_gradients", delta, A_prev),
                  reference.backprop.layer_gradients(delta, A_prev),
                  call=f"layer_gradients(delta, A_prev)  [delta {delta.shape}, "
                       f"A_prev {A_prev.shape}]",
                  mistakes=variants(reference, "backprop", "layer_gradients", delta, A_prev))


def _random_network(rng, with_masks):
    hidden = [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 4)))]
    sizes = [int(rng.integers(1, 5))] + hidden
    sizes.append(int(rng.integers(1, 3)))
    n = int(rng.integers(1, 9))
    X = rng.normal(size=(n, sizes[0]))
    Y = (rng.random((n, sizes[-1])) < 0.5).astype(float)
    params = [(rng.normal(size=(a, b)), rng.normal(0.0, 0.5, size=b))
              for a, b in zip(sizes[:-1], sizes[1:])]
    masks = [_mask(rng, (n, b)) for b in sizes[1:-1]] if with_masks else None
    return sizes, X, Y, params, masks


def _check_backward(student, reference, rng, with_masks, rounds):
    for _ in range(rounds):
        sizes, X, Y, params, masks = _random_network(rng, with_masks)
        _, cache = reference.backprop.forward(X, params, masks)
        expected = reference.backprop.backward(params, cache, Y)
        got = _call(student, reference, "backward", params, cache, Y)
        _expect_grads(got, expected,
                      call=f"backward(params, cache, Y)  [{'→'.join(map(str, sizes))}, "
                           f"N = {X.shape[0]}{', dropout' if masks else ''}]",
                      mistakes=backward_variants(reference, params, cache, Y))


def test_backward_on_seeded_networks(student, reference, rng):
    # The first network has no hidden layer (logistic regression), then 1 to 3 hidden layers.
    sizes, X, Y, params, _ = _random_network(rng, False)
    params = params[-1:]
    params[0] = (rng.normal(size=(X.shape[1], sizes[-1])), params[0][1])
    _, cache = reference.backprop.forward(X, params)
    _expect_grads(_call(student, reference, "backward", params, cache, Y),
                  reference.backprop.backward(params, cache, Y),
                  call=f"backward(params, cache, Y)  [{X.shape[1]}→{sizes[-1]}]",
                  mistakes=backward_variants(reference, params, cache, Y))
    _check_backward(student, reference, rng, with_masks=False, rounds=3)


def test_backward_with_dropout_masks_on_seeded_networks(student, reference, rng):
    _check_backward(student, reference, rng, with_masks=True, rounds=3)


# ---- the conventions of the contract, for every function (grader/checks/contract.py) ----
def _contract(student, reference, rng, func, **kwargs):
    from grader.checks.contract import check_function
    from grader.checks.contract_a1 import spec

    check_function(student, reference, rng, spec('backprop', func),
                   mistakes=lambda args: variants(reference, 'backprop', func, *args), **kwargs)


def test_contract_output_delta(student, reference, rng):
    _contract(student, reference, rng, "output_delta")


def test_contract_hidden_delta(student, reference, rng):
    _contract(student, reference, rng, "hidden_delta")


def test_contract_layer_gradients(student, reference, rng):
    _contract(student, reference, rng, "layer_gradients")


def test_contract_backward(student, reference, rng):
    _contract(student, reference, rng, "backward")
