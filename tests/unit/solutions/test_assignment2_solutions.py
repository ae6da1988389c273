"""Assignment 2's reference solutions agree with independent references (finite
differences, the docstrings' worked examples, assignment 1's sgd) and keep the
API's promises (lists accepted, nothing modified in place, no RuntimeWarning).
The comparisons with Keras are in tests/unit/baseline/test_assignment2_baseline.py."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from grader.reference import load_modules

SOLUTIONS_DIR = Path(__file__).resolve().parents[3] / "solutions"
MODULES = ("activations", "dropout", "backprop", "sgd", "more_activations", "losses",
           "optimizers", "early_stopping", "data")

FD_STEP = 1e-6          # centred finite differences: error O(h²) + round-off/h
FD_RTOL = 1e-6
FD_ATOL = 1e-9
EXACT_RTOL = 1e-12      # same formula, different floating-point order


@pytest.fixture(scope="module")
def ref():
    return load_modules(SOLUTIONS_DIR, MODULES)


def _fd_elementwise(f, z):
    return (f(z + FD_STEP) - f(z - FD_STEP)) / (2 * FD_STEP)


def _fd_scalar(f, x):
    """The gradient of the scalar f at x by centred differences, entry by entry."""
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = FD_STEP
        grad[index] = (f(x + step) - f(x - step)) / (2 * FD_STEP)
    return grad


def _no_warnings(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*args)


def _random_net(rng, sizes):
    return [(rng.normal(size=(a, b)), rng.normal(scale=0.5, size=b))
            for a, b in zip(sizes[:-1], sizes[1:])]


# -- more_activations --------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", [0.01, 0.25, 0.3])
def test_leaky_relu_derivative_matches_finite_differences_away_from_zero(ref, alpha):
    z = np.random.default_rng(0).normal(scale=3, size=(4, 5))
    z = z[np.abs(z) > 1e-3]
    ma = ref.more_activations
    np.testing.assert_allclose(ma.leaky_relu_derivative(z, alpha),
                               _fd_elementwise(lambda x: ma.leaky_relu(x, alpha), z),
                               rtol=FD_RTOL, atol=FD_ATOL)


def test_leaky_relu_follows_the_formula_and_its_derivative_is_alpha_at_zero(ref):
    ma = ref.more_activations
    np.testing.assert_array_equal(ma.leaky_relu([-2, 0, 3], alpha=0.1), [-0.2, 0.0, 3.0])
    np.testing.assert_array_equal(ma.leaky_relu_derivative([-2, 0, 3], alpha=0.1),
                                  [0.1, 0.1, 1.0])
    assert ma.leaky_relu(-1.0) == pytest.approx(-0.01)      # the default alpha


def test_swish_derivative_matches_finite_differences(ref):
    z = np.random.default_rng(1).normal(scale=4, size=(3, 7))
    ma = ref.more_activations
    np.testing.assert_allclose(ma.swish_derivative(z), _fd_elementwise(ma.swish, z),
                               rtol=FD_RTOL, atol=FD_ATOL)


def test_swish_is_z_times_sigmoid_without_warnings_at_any_finite_z(ref):
    ma, act = ref.more_activations, ref.activations
    z = np.array([-1e300, -1000.0, -50.0, -1.0, 0.0, 1.0, 50.0, 1000.0, 1e300])
    got = _no_warnings(ma.swish, z)
    np.testing.assert_allclose(got, z * act.sigmoid(z), rtol=EXACT_RTOL)
    d = _no_warnings(ma.swish_derivative, z)
    assert np.all(np.isfinite(d)) and d[4] == 0.5 and d[-2] == 1.0 and d[1] == 0.0
    assert ma.swish(2.0) == pytest.approx(1.7615941559557649, rel=1e-12)


# -- losses ------------------------------------------------------------------------------------
def test_mse_and_its_gradient_follow_the_worked_example(ref):
    L = ref.losses
    A, Y = [[1, 2], [3, 4]], [[1, 0], [3, 0]]
    assert L.mse(A, Y) == 5.0 and isinstance(L.mse(A, Y), float)
    np.testing.assert_array_equal(L.mse_gradient(A, Y), [[0.0, 1.0], [0.0, 2.0]])


@pytest.mark.parametrize("shape", [(1, 1), (5, 3), (2, 6)])
def test_mse_gradient_matches_finite_differences(ref, shape):
    rng = np.random.default_rng(2)
    A, Y = rng.normal(size=shape), rng.normal(size=shape)
    np.testing.assert_allclose(ref.losses.mse_gradient(A, Y),
                               _fd_scalar(lambda a: ref.losses.mse(a, Y), A),
                               rtol=FD_RTOL, atol=FD_ATOL)


def test_softmax_rows_sum_to_one_without_overflow(ref):
    L = ref.losses
    P = _no_warnings(L.softmax, [[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    np.testing.assert_allclose(P, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], rtol=EXACT_RTOL)
    Z = np.random.default_rng(3).normal(scale=5, size=(6, 4))
    np.testing.assert_allclose(L.softmax(Z).sum(axis=1), 1.0, rtol=EXACT_RTOL)
    np.testing.assert_allclose(L.softmax(Z), np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True),
                               rtol=EXACT_RTOL)
    np.testing.assert_allclose(L.softmax(Z + 7.5), L.softmax(Z), rtol=1e-12)


def test_one_hot_and_its_value_errors(ref):
    L = ref.losses
    np.testing.assert_array_equal(L.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert L.one_hot(np.array([1]), 2).dtype == np.float64
    for bad in ([3], [-1], [0, 5]):
        with pytest.raises(ValueError):
            L.one_hot(bad, 3)


def test_categorical_cross_entropy_worked_example_and_clipping(ref):
    L = ref.losses
    got = L.categorical_cross_entropy([[0.5, 0.5], [0.9, 0.1]], [[1, 0], [1, 0]])
    assert got == pytest.approx(-(np.log(0.5) + np.log(0.9)) / 2, rel=1e-14)
    clipped = _no_warnings(L.categorical_cross_entropy, [[0.0, 1.0]], [[1.0, 0.0]])
    assert clipped == pytest.approx(-np.log(1e-7), rel=1e-12)


@pytest.mark.parametrize("shape", [(1, 2), (4, 3), (6, 5)])
def test_softmax_cross_entropy_gradient_matches_finite_differences(ref, shape):
    rng = np.random.default_rng(4)
    Z = rng.normal(scale=2, size=shape)
    Y = np.eye(shape[1])[rng.integers(0, shape[1], size=shape[0])]
    L = ref.losses
    expected = _fd_scalar(lambda z: L.categorical_cross_entropy(L.softmax(z), Y), Z)
    np.testing.assert_allclose(L.softmax_cross_entropy_gradient(Z, Y), expected,
                               rtol=FD_RTOL, atol=FD_ATOL)
    np.testing.assert_array_equal(L.softmax_cross_entropy_gradient([[0, 0]], [[1, 0]]),
                                  [[-0.5, 0.5]])


# -- optimizers --------------------------------------------------------------------------------
def test_step_functions_follow_the_worked_examples(ref):
    O = ref.optimizers
    w, v = O.momentum_step(1.0, 2.0, 0.5, 0.1, 0.9)
    assert (w, v) == (pytest.approx(1.25), pytest.approx(0.25))
    w, s = O.rmsprop_step(1.0, 2.0, 0.0, 0.1, 0.9, 0.0)
    assert w == pytest.approx(1 - 0.2 / np.sqrt(0.4), rel=1e-14) and s == pytest.approx(0.4)
    w, m, v = O.adam_step(1.0, 2.0, 0.0, 0.0, 1, 0.1)
    assert w == pytest.approx(0.9, abs=1e-6) and m == pytest.approx(0.2)
    assert v == pytest.approx(0.004)


def test_adam_bias_correction_makes_the_first_step_lr_times_the_sign(ref):
    g = np.array([[-3.0, 0.2], [5.0, -1e-3]])
    w, _, _ = ref.optimizers.adam_step(np.zeros_like(g), g, np.zeros_like(g),
                                       np.zeros_like(g), 1, 0.01, eps=0.0)
    np.testing.assert_allclose(w, -0.01 * np.sign(g), rtol=1e-12)


def test_step_functions_return_new_arrays_and_accept_lists(ref):
    O = ref.optimizers
    w, g, s = np.ones((2, 2)), np.full((2, 2), 0.5), np.full((2, 2), 0.1)
    copies = [w.copy(), g.copy(), s.copy()]
    for out in (O.momentum_step(w, g, s, 0.1), O.rmsprop_step(w, g, s, 0.1),
                O.adam_step(w, g, s, s, 3, 0.1)):
        assert all(isinstance(a, np.ndarray) and a.shape == w.shape for a in out)
    for before, after in zip(copies, (w, g, s)):
        np.testing.assert_array_equal(before, after)
    listed = O.adam_step(w.tolist(), g.tolist(), s.tolist(), s.tolist(), 3, 0.1)
    np.testing.assert_array_equal(listed[0], O.adam_step(w, g, s, s, 3, 0.1)[0])


def test_train_with_sgd_is_assignment_1s_sgd_train(ref):
    rng = np.random.default_rng(5)
    X, Y = rng.normal(size=(11, 3)), (rng.random((11, 2)) < 0.5).astype(float)
    params = _random_net(rng, [3, 4, 2])
    got = ref.optimizers.train(X, Y, params, "sgd", 0.7, 4, 5)
    expected = ref.sgd.train(X, Y, params, 0.7, 4, 5)
    np.testing.assert_allclose(got[1], expected[1], rtol=EXACT_RTOL)
    for (W, b), (eW, eb) in zip(got[0], expected[0]):
        np.testing.assert_allclose(W, eW, rtol=EXACT_RTOL)
        np.testing.assert_allclose(b, eb, rtol=EXACT_RTOL)


@pytest.mark.parametrize("optimizer, hyper", [
    ("momentum", {"momentum": 0.5}), ("rmsprop", {"rho": 0.8, "eps": 1e-6}),
    ("adam", {"beta_1": 0.8, "beta_2": 0.99})])
def test_train_keeps_one_state_per_array_and_counts_t_across_epochs(ref, optimizer, hyper):
    """An independent loop over minibatches / backward / the step functions."""
    rng = np.random.default_rng(6)
    X, Y = rng.normal(size=(10, 2)), (rng.random((10, 1)) < 0.5).astype(float)
    params = _random_net(rng, [2, 3, 1])
    O, bp = ref.optimizers, ref.backprop
    arrays = [a.copy() for pair in params for a in pair]
    states = [[np.zeros_like(a), np.zeros_like(a)] for a in arrays]
    t, history = 0, []
    for _ in range(3):
        for Xb, Yb in ref.sgd.minibatches(X, Y, 4):
            pairs = list(zip(arrays[0::2], arrays[1::2]))
            grads = [g for pair in bp.backward(pairs, bp.forward(Xb, pairs)[1], Yb) for g in pair]
            t += 1
            for j, g in enumerate(grads):
                if optimizer == "momentum":
                    arrays[j], states[j][0] = O.momentum_step(arrays[j], g, states[j][0], 0.3,
                                                              **hyper)
                elif optimizer == "rmsprop":
                    arrays[j], states[j][1] = O.rmsprop_step(arrays[j], g, states[j][1], 0.3,
                                                             **hyper)
                else:
                    arrays[j], states[j][0], states[j][1] = O.adam_step(
                        arrays[j], g, states[j][0], states[j][1], t, 0.3, **hyper)
        pairs = list(zip(arrays[0::2], arrays[1::2]))
        history.append(bp.binary_cross_entropy(bp.forward(X, pairs)[0], Y))
    got_params, got_history = O.train(X, Y, params, optimizer, 0.3, 4, 3, **hyper)
    np.testing.assert_allclose(got_history, history, rtol=EXACT_RTOL)
    for (W, b), eW, eb in zip(got_params, arrays[0::2], arrays[1::2]):
        np.testing.assert_allclose(W, eW, rtol=EXACT_RTOL)
        np.testing.assert_allclose(b, eb, rtol=EXACT_RTOL)


def test_train_rejects_an_unknown_optimizer_and_leaves_params_alone(ref):
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(5, 2)), np.ones((5, 1))
    params = _random_net(rng, [2, 2, 1])
    copies = [(W.copy(), b.copy()) for W, b in params]
    with pytest.raises(ValueError):
        ref.optimizers.train(X, Y, params, "adagrad", 0.1, 2, 1)
    ref.optimizers.train(X, Y, params, "adam", 0.1, 2, 2, rng=np.random.default_rng(0))
    for (W, b), (cW, cb) in zip(params, copies):
        np.testing.assert_array_equal(W, cW)
        np.testing.assert_array_equal(b, cb)


# -- early stopping ----------------------------------------------------------------------------
@pytest.mark.parametrize("losses, patience, min_delta, expected", [
    ([1.0, 0.8, 0.9, 0.85, 0.95], 2, 0.0, (3, 1)),       # the docstring's example
    ([1.0, 0.9, 0.8, 0.7], 1, 0.0, (None, 3)),            # always improving
    ([1.0, 1.0, 1.0], 1, 0.0, (1, 0)),                     # a tie is no improvement
    ([1.0, 0.95, 0.9, 0.85], 2, 0.1, (2, 0)),              # improvements below min_delta
    ([1.0, 2.0, 3.0], 0, 0.0, (1, 0)),                     # patience 0: stop at the first miss
    ([5.0], 0, 0.0, (None, 0)),                            # never stops at epoch 0
    ([], 3, 0.0, (None, 0)),
])
def test_early_stopping_follows_keras_rule(ref, losses, patience, min_delta, expected):
    assert ref.early_stopping.early_stopping(losses, patience, min_delta) == expected


def test_train_with_early_stopping_returns_the_weights_after_the_best_epoch(ref):
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(12, 2)), (rng.random((12, 1)) < 0.5).astype(float)
    Xv, Yv = rng.normal(size=(9, 2)), (rng.random((9, 1)) < 0.5).astype(float)
    params = _random_net(rng, [2, 6, 1])
    es = ref.early_stopping
    got = es.train_with_early_stopping(X, Y, Xv, Yv, params, 3.0, 4, 100, 3)
    weights, history, val_history, stopped, best = got
    assert stopped is not None and len(history) == len(val_history) == stopped + 1
    assert es.early_stopping(val_history, 3) == (stopped, best)
    best_params, best_history = ref.sgd.train(X, Y, params, 3.0, 4, best + 1)
    np.testing.assert_allclose(history[:best + 1], best_history, rtol=EXACT_RTOL)
    for (W, b), (eW, eb) in zip(weights, best_params):
        np.testing.assert_allclose(W, eW, rtol=EXACT_RTOL)
        np.testing.assert_allclose(b, eb, rtol=EXACT_RTOL)
    bp = ref.backprop
    np.testing.assert_allclose(val_history[best],
                               bp.binary_cross_entropy(bp.forward(Xv, weights)[0], Yv),
                               rtol=EXACT_RTOL)
    last = es.train_with_early_stopping(X, Y, Xv, Yv, params, 3.0, 4, 100, 3,
                                        restore_best_weights=False)[0]
    final = ref.sgd.train(X, Y, params, 3.0, 4, stopped + 1)[0]
    np.testing.assert_allclose(last[0][0], final[0][0], rtol=EXACT_RTOL)


# -- data --------------------------------------------------------------------------------------
@pytest.mark.parametrize("n, fractions, sizes", [
    (20, (0.7, 0.15, 0.15), (14, 3, 3)), (10, (0.7, 0.2, 0.1), (7, 2, 1)),
    (100, (0.7, 0.15, 0.15), (70, 15, 15)), (7, (0.5, 0.25, 0.25), (3, 1, 3))])
def test_split_sizes_survive_floating_point_truncation(ref, n, fractions, sizes):
    X = np.arange(2 * n, dtype=float).reshape(n, 2)
    Y = np.arange(n, dtype=float)[:, None]
    parts = ref.data.train_val_test_split(X, Y, fractions)
    assert tuple(p.shape[0] for p in parts[0::2]) == sizes
    np.testing.assert_array_equal(np.concatenate(parts[0::2]), X)     # rows in order
    np.testing.assert_array_equal(np.concatenate(parts[1::2]), Y)


def test_split_with_an_rng_is_one_permutation_for_x_and_y(ref):
    n = 23
    X = np.arange(n, dtype=float)[:, None] * [1.0, -1.0]
    Y = np.arange(n, dtype=float)[:, None]
    parts = ref.data.train_val_test_split(X, Y, rng=np.random.default_rng(9))
    order = np.concatenate(parts[1::2])[:, 0].astype(int)
    np.testing.assert_array_equal(order, np.random.default_rng(9).permutation(n))
    np.testing.assert_array_equal(np.concatenate(parts[0::2])[:, 0], order)


@pytest.mark.parametrize("fractions", [(0.7, 0.3), (0.7, 0.3, 0.0), (0.8, 0.15, 0.15),
                                       (1.2, -0.1, -0.1), (0.5, 0.25, 0.25, 0.0)])
def test_split_rejects_fractions_that_are_not_three_positive_numbers_summing_to_one(ref,
                                                                                 fractions):
    with pytest.raises(ValueError):
        ref.data.train_val_test_split(np.zeros((10, 1)), np.zeros((10, 1)), fractions)


def test_standardize_uses_the_training_columns_only_and_divides_constant_columns_by_one(ref):
    X_train = np.array([[0.0, 5.0, 1.0], [2.0, 5.0, 3.0], [4.0, 5.0, 8.0]])
    X_test = np.array([[4.0, 7.0, 0.0]])
    before = X_train.copy()
    Xs, Ts, mean, std = ref.data.standardize(X_train, X_test)
    np.testing.assert_array_equal(X_train, before)
    np.testing.assert_allclose(mean, X_train.mean(axis=0), rtol=EXACT_RTOL)
    np.testing.assert_allclose(std, X_train.std(axis=0), rtol=EXACT_RTOL)
    np.testing.assert_allclose(Xs[:, 0], (X_train[:, 0] - 2) / np.sqrt(8 / 3), rtol=EXACT_RTOL)
    np.testing.assert_array_equal(Xs[:, 1], 0.0)
    np.testing.assert_array_equal(Ts[:, 1], 2.0)
    one = ref.data.standardize([[0.0], [2.0]], [[4.0]])
    np.testing.assert_array_equal(one[0], [[-1.0], [1.0]])
    np.testing.assert_array_equal(one[1], [[3.0]])
    assert len(ref.data.standardize(X_train)) == 3
