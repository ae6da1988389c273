"""Each convention of the contract is enforced by the test_contract_<function> checks."""

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.devtools.mutate import solutions_with

pytestmark = pytest.mark.sandbox

CASES = {
    "in_place": ("activations", "relu", """
        def relu(z):
            z = np.asarray(z, dtype=float)
            z[z < 0] = 0.0
            return z
        """, "feedback.modified_in_place"),
    "warning": ("activations", "sigmoid", """
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        """, "feedback.contract_warning"),
    "dtype": ("activations", "relu_derivative", """
        def relu_derivative(z):
            return np.asarray(z) > 0
        """, "feedback.contract_dtype"),
    "lists": ("backprop", "output_delta", """
        def output_delta(A_L, Y):
            return A_L - Y
        """, "feedback.contract_lists"),
    "value_error": ("dropout", "dropout_mask", """
        def dropout_mask(shape, rate, rng):
            return (rng.random(shape) >= rate) / (1.0 - rate) if rate < 1 else np.zeros(shape)
        """, "feedback.contract_no_value_error"),
    "global_random": ("sgd", "minibatches", """
        def minibatches(X, Y, batch_size, rng=None):
            X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
            n = X.shape[0]
            order = np.arange(n) if rng is None else np.random.permutation(n)
            return [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
                    for i in range(0, n, batch_size)]
        """, "feedback.contract_not_reproducible"),
    "scalars_only": ("activations", "relu", """
        def relu(z):
            return float(z) if z > 0 else 0.0
        """, "feedback.contract_scalars_only"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_contract_check_fails_naming_the_clause(case):
    exercise, func, source, key = CASES[case]
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=("hidden",), lang="en", graded=True)
    check = next(c for c in results.checks if c.id == f"{exercise}/hidden.py::test_contract_{func}")
    assert check.status != PASSED and check.feedback.key == key, check.message("en")
    assert check.diagnosis, check.message("en")
    assert check.message("es") != check.message("en")


@pytest.mark.parametrize("seed", [1, 4242, 987654321])
def test_the_solutions_pass_every_hidden_check_whatever_the_seed(seed):
    """Random inputs (shapes, ranges, evaluation or training) never fail a correct module."""
    results = run_checks(solutions_with(), suites=("hidden",), lang="en", graded=True,
                         seed=seed)
    assert results.checks and {c.status for c in results.checks} == {PASSED}, [
        (c.id, c.message("en")) for c in results.checks if c.status != PASSED]


def test_same_compares_none_as_a_value():
    from grader.checks.expect import same

    assert same((1.0, None), (1.0, None)) and not same((1.0, 0.0), (1.0, None))


@pytest.mark.parametrize("seed", range(12))
def test_a_function_drawing_from_the_global_state_is_caught_whatever_the_seed(seed):
    """Random inputs of one or two rows permute alike most of the time: the reproducibility
    clause is checked on inputs where the draws show."""
    exercise, func, source, key = CASES["global_random"]
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=("hidden",), lang="en", graded=True, seed=seed)
    check = next(c for c in results.checks if c.id == f"{exercise}/hidden.py::test_contract_{func}")
    assert check.status != PASSED and check.feedback.key == key, check.message("en")


@pytest.mark.parametrize("seed", range(8))
def test_an_rnn_bias_gradient_averaged_over_the_batch_fails_the_hidden_bptt_check(seed):
    """Hidden sizes start at 2: with a batch of one, db / N equals db (it passed on some
    seeds)."""
    from grader import config

    source = (config.SOLUTIONS_DIR / "rnn.py").read_text(encoding="utf-8")
    wrong = source.replace("    return dX, dh_next, dWx, dWh, db\n",
                           "    return dX, dh_next, dWx, dWh, db / N\n")
    assert wrong != source
    files = solutions_with()
    files["rnn.py"] = wrong.encode("utf-8")
    results = run_checks(files, exercises=["rnn"], suites=("hidden",), lang="en", graded=True,
                         seed=seed)
    check = next(c for c in results.checks if c.id == "rnn/hidden.py::test_rnn_backward_on_seeded_inputs")
    assert check.status != PASSED, check.message("en")


def test_a_gru_reading_its_blocks_as_r_z_is_not_told_the_update_gate_roles_are_swapped():
    """With z ≈ 0, swapped roles return the candidate h~; blocks read in another order return
    something else, and the feedback must not name the swap."""
    source = """
        def gru_cell_forward(x, h_prev, W, U, b):
            x, h_prev = np.asarray(x, dtype=np.float64), np.asarray(h_prev, dtype=np.float64)
            W, U, b = (np.asarray(a, dtype=np.float64) for a in (W, U, b))
            H = h_prev.shape[1]
            sig = lambda a: 1.0 / (1.0 + np.exp(-a))
            r = sig(x @ W[:, :H] + h_prev @ U[:, :H] + b[:H])
            z = sig(x @ W[:, H:2 * H] + h_prev @ U[:, H:2 * H] + b[H:2 * H])
            hh = np.tanh(x @ W[:, 2 * H:] + (r * h_prev) @ U[:, 2 * H:] + b[2 * H:])
            return (1 - z) * h_prev + z * hh
        """
    results = run_checks(solutions_with("rnn", [("gru_cell_forward", source)]),
                         exercises=["rnn"], suites=("public",), lang="en")
    check = next(c for c in results.checks if c.id.endswith(
        "test_gru_with_a_closed_update_gate_keeps_the_previous_state"))
    assert check.status != PASSED
    assert check.feedback.mistake != "gru_update_gate_roles_swapped", check.message("en")
