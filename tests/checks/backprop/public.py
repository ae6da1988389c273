"""Public checks of backprop.py: recorded values, and finite differences of the loss.

The gradients of ``backward`` are compared with centred finite differences of
the mean binary cross-entropy, computed here from first principles (the network
is the GIVEN forward pass: Z = A W + b, A = σ(Z), dropout masks on hidden
layers), so a correct backward passes whatever the recorded values say.
"""


import numpy as np

from grader import config
from grader.checks.errors import StudentProblem
from grader.checks.expect import (close, diagnose, expect_array, expect_finite_shape,
                                  expect_unchanged, fail, naming)
from grader.checks.feedback import show

FD_EPS = config.FINITE_DIFF_EPS
FD_MAX_REL_ERROR = config.FINITE_DIFF_MAX_REL_ERROR


# -- helpers ----------------------------------------------------------------------------
def _matmul_mistake(student, probe, func):
    """Which mistake makes a matmul in hidden_delta fail: probe hidden_delta on its own.

    ``probe`` is a case with a square W_next, where forgetting the transpose gives
    wrong values instead of an error. If hidden_delta is right there, the shapes
    that did not fit came from backward's arguments.
    """
    try:
        got = student.backprop.hidden_delta(probe["delta_next"], probe["W_next"], probe["Z"])
    except StudentProblem:
        return None
    if close(got, probe["mistakes"].get("hidden_delta_no_transpose")):
        return "hidden_delta_no_transpose"
    if func == "backward" and close(got, probe["expected"]):
        return "backward_wrong_layer_weights"
    return None


def _call(student, golden, func, *args, **kwargs):
    """student.call on backprop, naming the mistake behind a shape error in hidden_delta."""
    try:
        return student.call("backprop", func, *args, **kwargs)
    except StudentProblem as problem:
        info = problem.outcome.info
        if (problem.outcome.status == "error" and info.get("type") == "ValueError"
                and "matmul" in info.get("message", "")
                and "hidden_delta" in (info.get("traceback") or "")):
            fail("feedback.backprop_matmul_error", call=f"backprop.{func}",
                 message=info.get("message", "")[:300],
                 mistake=_matmul_mistake(student, golden["hidden_delta"]["square"], func),
                 details=info.get("traceback"))
        raise





def _expect_pair(got, expected, *, call, mistakes, names=("dW", "db"), **context):
    """A (dW, db) pair: structure, shapes and values, the mistake diagnosed on both
    (``context``: what helps name a symptom, see grader.checks.symptoms)."""
    mistake = diagnose(got, mistakes)
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.backprop_not_a_pair", call=call, got=show(got), mistake=mistake)
    with naming(mistake):
        for name, g, e in zip(names, got, expected):
            expect_array(g, e, call=f"{call} -> {name}", **context)


def _params(case):
    return [(np.asarray(W), np.asarray(b)) for W, b in case["params"]]


def _cache(case):
    return [(A, Z, m) for A, Z, m in case["cache"]]


def _sigmoid(z):
    # σ written with tanh: independent of activations.py, and stable for any z.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _loss(X, Y, params, masks):
    """Mean BCE of the given forward pass. With logits Z: BCE = log(1 + e^Z) - y Z."""
    A = X
    for l, (W, b) in enumerate(params):
        Z = A @ W + b
        if l == len(params) - 1:
            return float(np.mean(np.sum(np.logaddexp(0.0, Z) - Y * Z, axis=1)))
        A = _sigmoid(Z)
        if masks is not None and masks[l] is not None:
            A = A * masks[l]


def _numeric_gradients(X, Y, params, masks):
    """Centred finite differences of the loss, one parameter at a time."""
    grads = []
    for l, layer in enumerate(params):
        pair = []
        for which, array in enumerate(layer):
            g = np.zeros_like(array)
            for idx in np.ndindex(array.shape):
                def shifted(h):
                    p = [(W.copy(), b.copy()) for W, b in params]
                    p[l][which][idx] += h
                    return _loss(X, Y, p, masks)
                g[idx] = (shifted(FD_EPS) - shifted(-FD_EPS)) / (2 * FD_EPS)
            pair.append(g)
        grads.append(tuple(pair))
    return grads


def fd_symptom(got, numeric, **context):
    """How a gradient differs from its finite-difference estimate (to that estimate's
    precision), or None."""
    from grader.checks.symptoms import symptom
    try:
        return symptom(got, numeric, rtol=1e-5, atol=1e-8, **context)
    except Exception:  # noqa: BLE001 - a symptom is a help, never a reason to break
        return None


# The golden networks as call labels read in any language (their keys are identifiers).
NETWORKS = {"net_2_3_2_1": "2→3→2→1", "net_2_4_1_masked": "2→4→1, dropout"}


def _check_backward(student, golden, case, label):
    params, cache = _params(case), _cache(case)
    X, Y = case["X"], case["Y"]
    masks = case["masks"]
    call = f"backward(params, cache, Y)  [{label}]"
    got = _call(student, golden, "backward", params, cache, Y).value
    mistake = diagnose(got, case["mistakes"])
    if not isinstance(got, (list, tuple)) or len(got) != len(params):
        fail("feedback.backprop_grads_structure", call=call, expected=len(params),
             got=show(got), mistake=mistake)
    numeric = _numeric_gradients(X, Y, params, masks)
    layers = list(enumerate(zip(got, params, numeric), start=1))
    with naming(mistake):
        # From the output layer back, so the first report is where the chain rule first breaks.
        for l, (pair, (W, b), num) in reversed(layers):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                fail("feedback.backprop_not_a_pair", call=f"{call} -> grads[{l - 1}]",
                     got=show(pair))
            for name, g, ref, n in ((f"dW{l}", pair[0], W, num[0]),
                                    (f"db{l}", pair[1], b, num[1])):
                arr = expect_finite_shape(g, ref.shape, call=f"{call} -> {name}")
                # Relative error of the whole array, ‖a - n‖ / (‖a‖ + ‖n‖): entry by entry it
                # would blow up on entries near 0, where round-off (~1e-10 here) dominates.
                rel = float(np.linalg.norm(arr - n)
                            / max(np.linalg.norm(arr) + np.linalg.norm(n), 1e-300))
                if rel >= FD_MAX_REL_ERROR:
                    fail("feedback.backprop_finite_difference", call=call, name=name,
                         got=show(arr), numeric=show(n), rel=f"{rel:.2e}",
                         tol=f"{FD_MAX_REL_ERROR:g}",
                         symptom=fd_symptom(arr, n, factors={"N": np.shape(X)[0]}))
        for l, (pair, (dW, db)) in enumerate(zip(got, case["expected"]), start=1):
            expect_array(pair[0], dW, call=f"{call} -> dW{l}")
            expect_array(pair[1], db, call=f"{call} -> db{l}")


# -- checks -----------------------------------------------------------------------------
def test_output_delta_matches_reference_values(student, golden):
    for case in golden["output_delta"].values():
        got = _call(student, golden, "output_delta", case["A_L"], case["Y"]).value
        expect_array(got, case["expected"],
                     call=f"output_delta(A_L, Y)  [A_L.shape = {case['A_L'].shape}]",
                     mistakes=case["mistakes"], inputs={"A_L": case["A_L"], "Y": case["Y"]},
                     factors={"N": case["A_L"].shape[0], "K": case["A_L"].shape[1]})


def test_hidden_delta_matches_reference_values(student, golden):
    for label in ("square", "rectangular"):
        case = golden["hidden_delta"][label]
        got = _call(student, golden, "hidden_delta", case["delta_next"], case["W_next"],
                    case["Z"]).value
        expect_array(got, case["expected"],
                     call=f"hidden_delta(delta_next, W_next, Z)  [W_next.shape = "
                          f"{case['W_next'].shape}]",
                     mistakes=case["mistakes"])


def test_hidden_delta_multiplies_by_the_dropout_mask(student, golden):
    case = golden["hidden_delta"]["masked"]
    got = _call(student, golden, "hidden_delta", case["delta_next"], case["W_next"], case["Z"],
                case["mask"]).value
    expect_array(got, case["expected"], call="hidden_delta(delta_next, W_next, Z, mask)",
                 mistakes=case["mistakes"])


def test_layer_gradients_match_reference_values(student, golden):
    case = golden["layer_gradients"]
    got = _call(student, golden, "layer_gradients", case["delta"], case["A_prev"]).value
    _expect_pair(got, case["expected"],
                 call="layer_gradients(delta, A_prev)  [delta (4, 3), A_prev (4, 2)]",
                 mistakes=case["mistakes"], factors={"N": np.shape(case["delta"])[0]})


def test_helpers_accept_lists_and_do_not_modify_arguments(student, golden):
    cases = (
        ("output_delta", golden["output_delta"]["two_outputs"], ("A_L", "Y")),
        ("hidden_delta", golden["hidden_delta"]["masked"], ("delta_next", "W_next", "Z", "mask")),
        ("layer_gradients", golden["layer_gradients"], ("delta", "A_prev")),
    )
    for func, case, names in cases:
        args = [np.array(case[n]) for n in names]
        call = f"{func}({', '.join(names)})"
        outcome = _call(student, golden, func, *args, return_args=True)
        for name, before, after in zip(names, args, outcome.args_after or []):
            expect_unchanged(before, after, call=call, argument=name)
        from_lists = _call(student, golden, func, *[a.tolist() for a in args]).value
        if func == "layer_gradients":
            _expect_pair(from_lists, outcome.value, call=f"{func}(lists)", mistakes=None)
        else:
            expect_array(from_lists, outcome.value, call=f"{func}(lists)")


def test_backward_matches_finite_differences_on_a_2_3_2_1_net(student, golden):
    _check_backward(student, golden, golden["backward"]["net_2_3_2_1"], NETWORKS["net_2_3_2_1"])


def test_backward_matches_finite_differences_on_a_2_4_1_net_with_dropout_mask(student, golden):
    _check_backward(student, golden, golden["backward"]["net_2_4_1_masked"],
                    NETWORKS["net_2_4_1_masked"])


def test_backward_does_not_modify_params_cache_or_y(student, golden):
    for label, case in golden["backward"].items():
        params, cache, Y = _params(case), _cache(case), np.array(case["Y"])
        outcome = _call(student, golden, "backward", params, cache, Y, return_args=True)
        after = outcome.args_after or [None, None, None]
        call = f"backward(params, cache, Y)  [{NETWORKS.get(label, label)}]"
        expect_unchanged(params, after[0], call=call, argument="params")
        expect_unchanged(cache, after[1], call=call, argument="cache")
        expect_unchanged(Y, after[2], call=call, argument="Y")
