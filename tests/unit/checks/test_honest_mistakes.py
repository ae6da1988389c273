"""A named mistake is shown only when the student's values are that mistake's values."""

import textwrap

import numpy as np
import pytest

from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.devtools.mutate import solutions_with

pytestmark = pytest.mark.sandbox


def _failing(exercise, func, source):
    results = run_checks(solutions_with(exercise, [(func, source)]), exercises=[exercise],
                         suites=("public", "hidden"), lang="en", graded=True)
    return [c for c in results.checks if c.status != PASSED]


def test_recomputing_y_before_the_bias_is_not_called_a_bias_never_updated():
    failing = _failing("perceptron", "update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            w_new = w + lr * (d - y) * x
            y = predict(x, w_new, b)          # recomputed with the new w
            return w_new, b + lr * (d - y)
        """)
    assert failing
    assert not any(c.feedback and c.feedback.mistake == "perceptron_bias_not_updated"
                   for c in failing), [(c.id, c.message("en")) for c in failing]
    assert any(c.diagnosis for c in failing)


def test_z_times_one_minus_z_is_named():
    failing = _failing("activations", "sigmoid_derivative", """
        def sigmoid_derivative(z):
            return z * (1 - z)
        """)
    assert any(c.feedback and c.feedback.mistake == "sigmoid_derivative_of_activation"
               for c in failing)


CCE_CLIPPED_BELOW_ONLY = """
    def categorical_cross_entropy(P, Y):
        P = np.maximum(np.asarray(P, dtype=float), 1e-7)
        Y = np.asarray(Y, dtype=float)
        return float(-np.sum(Y * np.log(P)) / P.shape[0])
    """


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_clipping_p_only_from_below_is_caught_on_every_seed_and_not_called_unclipped(seed):
    results = run_checks(solutions_with("losses", [("categorical_cross_entropy",
                                                    CCE_CLIPPED_BELOW_ONLY)]),
                         exercises=["losses"], suites=("public", "hidden"), lang="en",
                         graded=True, seed=seed)
    failing = [c for c in results.checks if c.status != PASSED]
    assert any(c.feedback and c.feedback.mistake == "cce_clipped_below_only" for c in failing)
    # Seed 1's hidden P holds exact 1s but nothing below 1e-7: no sign of a missing lower clip.
    assert not any(c.feedback and c.feedback.mistake == "cce_without_clipping"
                   for c in failing), [(c.id, c.message("en")) for c in failing]


def _renamed(module: str, func: str, new_name: str) -> str:
    """The reference's ``module.func`` source, renamed ``new_name`` (to wrap it)."""
    import ast
    from pathlib import Path

    from grader import config

    source = (Path(config.SOLUTIONS_DIR) / f"{module}.py").read_text(encoding="utf-8")
    node = next(n for n in ast.parse(source).body
                if isinstance(n, ast.FunctionDef) and n.name == func)
    text = "".join(source.splitlines(keepends=True)[node.lineno - 1:node.end_lineno])
    return "\n" + text.replace(f"def {func}(", f"def {new_name}(", 1)


def test_state_kept_between_train_calls_is_not_blamed_on_randomness():
    stateful = textwrap.dedent("""
        _LAST = {}

        def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
            start = _LAST.get(optimizer, params)      # the previous call's weights survive
            out = _fresh_train(X, Y, start, optimizer, lr, batch_size, epochs, rng, **hyper)
            _LAST[optimizer] = out[0]
            return out
        """) + _renamed("optimizers", "train", "_fresh_train")
    failing = _failing("optimizers", "train", stateful)
    assert failing
    reproducible = [c for c in failing
                    if c.id.endswith("test_train_with_an_rng_shuffles_reproducibly")]
    assert reproducible, [(c.id, c.message("en")) for c in failing]
    for c in reproducible:
        assert c.feedback.key != "feedback.optimizers_not_reproducible", c.message("en")
        assert c.feedback.symptom and c.feedback.symptom["id"] == "state_between_calls"
        assert "between calls" in c.message("en") and "entre llamadas" in c.message("es")


def test_sizes_that_only_rounding_and_remainder_to_train_share_are_not_called_rounded():
    # N = 21, fractions (0.6495, 0.06, 0.2905): floored [13, 1, 7]; rounding n_train and
    # n_val gives [14, 1, 6], and so does giving the leftover row to train: the sizes alone
    # cannot tell them apart.
    from grader.checks.errors import CheckFailed
    from grader.exercises import load_unit_module

    public = load_unit_module("data", "public")
    X = np.column_stack([np.arange(21.0), np.ones(21)])
    Y = np.arange(21.0).reshape(-1, 1)
    fractions = (0.649526701952818, 0.06000531891101275, 0.29046797913616923)
    got = (X[:14], Y[:14], X[14:15], Y[14:15], X[15:], Y[15:])
    with pytest.raises(CheckFailed) as failed:
        public.check_split(got, X, Y, fractions, call="split", shuffled=False)
    assert failed.value.feedback.mistake is None


@pytest.mark.parametrize("which, source", [
    ("layer_gradients_db_summed", "return A_prev.T @ delta / n, delta.sum(axis=0)"),
    ("layer_gradients_dw_summed", "return A_prev.T @ delta, delta.mean(axis=0)"),
])
def test_summing_only_db_or_only_dw_is_never_called_summing_both(which, source):
    failing = _failing("backprop", "layer_gradients", f"""
        def layer_gradients(delta, A_prev):
            delta, A_prev = np.asarray(delta, dtype=float), np.asarray(A_prev, dtype=float)
            n = delta.shape[0]
            {source}
        """)
    named = {c.id: c.feedback.mistake for c in failing if c.feedback and c.feedback.mistake}
    assert which in named.values(), named
    assert "layer_gradients_summed" not in named.values(), named


def test_softmax_subtracting_one_maximum_for_the_whole_array_is_named_so():
    failing = _failing("losses", "softmax", """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            e = np.exp(Z - np.max(Z))
            return e / e.sum(axis=1, keepdims=True)
        """)
    named = {c.feedback.mistake for c in failing if c.feedback and c.feedback.mistake}
    assert "softmax_global_max_shift" in named, [(c.id, c.message("en")) for c in failing]
    assert "softmax_without_max_shift" not in named


def test_a_warning_without_a_described_input_does_not_repeat_the_call_as_its_input():
    failing = _failing("losses", "softmax", """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            e = np.exp(Z - np.max(Z))
            return e / e.sum(axis=1, keepdims=True)
        """)
    warned = [c for c in failing if c.feedback and c.feedback.key.startswith("feedback.warning_")]
    assert warned
    for c in warned:
        for lang in ("en", "es"):
            text = c.message(lang)
            call = c.feedback.params["call"]
            assert text.count(call) == 1, text


def test_scaling_by_the_keep_probability_at_evaluation_is_not_called_dropping():
    failing = _failing("dropout", "dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A * (1 - rate), None
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask, mask
        """)
    named = {c.feedback.mistake for c in failing if c.feedback}
    assert "dropout_eval_scaled_by_keep_prob" in named, [(c.id, c.message("en")) for c in failing]
    assert "dropout_active_at_inference" not in named


def test_state_kept_between_early_stopping_runs_is_not_blamed_on_randomness():
    failing = _failing("early_stopping", "train_with_early_stopping", textwrap.dedent("""
        _LAST = []

        def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs,
                                      patience, min_delta=0.0, restore_best_weights=True,
                                      rng=None):
            start = _LAST[-1] if _LAST else params      # the previous run's weights survive
            out = _reference_run(X, Y, X_val, Y_val, start, lr, batch_size, max_epochs,
                                 patience, min_delta, restore_best_weights, rng)
            _LAST.append(out[0])
            return out
        """) + _renamed("early_stopping", "train_with_early_stopping", "_reference_run"))
    blamed = [c for c in failing if c.feedback and c.feedback.key == "feedback.es_not_reproducible"]
    assert not blamed, [c.message("en") for c in blamed]
    assert any(c.feedback and c.feedback.symptom
               and c.feedback.symptom["id"] == "state_between_calls" for c in failing), [
        (c.id, c.message("en")) for c in failing]


def test_a_history_one_too_long_is_given_as_a_length_not_a_shape():
    failing = _failing("sgd", "train", textwrap.dedent("""
        def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
            params, history = _reference_train(X, Y, params, lr, batch_size, epochs, rng,
                                               dropout_rate)
            return params, history[:1] + list(history)     # one loss too many
        """) + _renamed("sgd", "train", "_reference_train"))
    lengths = [c for c in failing if c.feedback and c.feedback.key == "feedback.sgd_history_length"]
    assert any(c.suite == "hidden" for c in lengths), [(c.id, c.message("en")) for c in failing]
    for c in lengths:
        assert "(" not in str(c.feedback.params["got"]), c.message("en")
