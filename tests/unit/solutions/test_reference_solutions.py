"""The reference solutions agree with independent references (finite
differences, hand-worked course examples, Keras) and keep the API's promises."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

SOLUTIONS_DIR = Path(__file__).resolve().parents[3] / "solutions"

FD_STEP = 1e-6          # centred finite differences: error O(h²) + round-off/h
FD_RTOL = 1e-7          # relative error allowed against finite differences
FD_ATOL = 1e-10         # for gradient entries that are (nearly) zero
EXACT_RTOL = 1e-12      # same formula, different floating-point order
KERAS_RTOL = 1e-10      # float64 Keras vs NumPy after several SGD steps
KERAS_ATOL = 1e-12
STAT_ATOL = 0.01        # Monte-Carlo estimates over 10⁶ draws (≈ 5 standard errors)


@pytest.fixture(scope="module")
def ref(load_modules):
    return load_modules(SOLUTIONS_DIR)


def _rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-300))


def _random_net(rng, sizes):
    return [(rng.normal(size=(n_in, n_out)), rng.normal(size=n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _copy(params):
    return [(W.copy(), b.copy()) for W, b in params]


# --- activations -------------------------------------------------------------

def test_sigmoid_is_stable_and_silent_at_plus_and_minus_1000(ref):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ref.activations.sigmoid([-1000.0, -30.0, 0.0, 30.0, 1000.0])
        ref.activations.sigmoid_derivative([-1000.0, 1000.0])
        ref.activations.tanh_derivative([-1000.0, 1000.0])
    np.testing.assert_allclose(out, [0.0, 1 / (1 + np.exp(30.0)), 0.5, 1 / (1 + np.exp(-30.0)), 1.0],
                               rtol=EXACT_RTOL, atol=0)
    assert out.dtype == np.float64


def test_sigmoid_derivative_matches_finite_differences(ref):
    z = np.linspace(-8.0, 8.0, 33)
    sigmoid = ref.activations.sigmoid
    numeric = (sigmoid(z + FD_STEP) - sigmoid(z - FD_STEP)) / (2 * FD_STEP)
    assert _rel_err(ref.activations.sigmoid_derivative(z), numeric) < FD_RTOL
    assert ref.activations.sigmoid_derivative(0.0) == 0.25


def test_tanh_derivative_matches_finite_differences(ref):
    z = np.linspace(-4.0, 4.0, 33)
    numeric = (np.tanh(z + FD_STEP) - np.tanh(z - FD_STEP)) / (2 * FD_STEP)
    assert _rel_err(ref.activations.tanh_derivative(z), numeric) < FD_RTOL


def test_relu_and_its_derivative_follow_the_course_convention_at_zero(ref):
    np.testing.assert_array_equal(ref.activations.relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(ref.activations.relu_derivative([-2.0, 0.0, 3.0]), [0.0, 0.0, 1.0])


# --- perceptron --------------------------------------------------------------

def test_perceptron_course_example_predicts_class_zero(ref):
    # g(1 + 3·x1 - 2·x2) at x = (-1, 2): z = -6 -> class 0.
    y = ref.perceptron.predict([-1.0, 2.0], [3.0, -2.0], 1.0)
    assert y.shape == () and y.dtype.kind == "i" and y == 0
    batch = ref.perceptron.predict([[-1.0, 2.0], [1.0, 0.0], [0.0, 0.5]], [3.0, -2.0], 1.0)
    np.testing.assert_array_equal(batch, [0, 1, 0])  # z = -6, 4, 0 (0 is not > 0)
    assert batch.dtype.kind == "i"


def test_perceptron_update_moves_weights_by_the_rule_and_copies(ref):
    w = np.zeros(2)
    w_new, b_new = ref.perceptron.update(w, 0.0, np.array([1.0, 2.0]), 1, 0.5)
    np.testing.assert_allclose(w_new, [0.5, 1.0], rtol=EXACT_RTOL)
    assert b_new == 0.5
    np.testing.assert_array_equal(w, [0.0, 0.0])


def test_perceptron_learns_or_and_stops_after_the_first_clean_epoch(ref):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    w, b, errors = ref.perceptron.train(X, [0, 1, 1, 1], lr=1.0)
    assert errors == [1, 2, 1, 0]
    np.testing.assert_array_equal(ref.perceptron.predict(X, w, b), [0, 1, 1, 1])


def test_perceptron_never_learns_xor_and_runs_every_epoch(ref):
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    _, _, errors = ref.perceptron.train(X, [0, 1, 1, 0], lr=1.0, epochs=20)
    assert len(errors) == 20 and min(errors) > 0


# --- backprop ----------------------------------------------------------------

def _numeric_grads(ref, X, Y, params, masks=None):
    """Centred finite differences of binary_cross_entropy(forward(X, params))."""
    def loss(p):
        A_L, _ = ref.backprop.forward(X, p, masks)
        return ref.backprop.binary_cross_entropy(A_L, Y)

    grads = []
    for l, (W, b) in enumerate(params):
        layer = []
        for which, array in ((0, W), (1, b)):
            g = np.zeros_like(array)
            for idx in np.ndindex(array.shape):
                plus, minus = _copy(params), _copy(params)
                plus[l][which][idx] += FD_STEP
                minus[l][which][idx] -= FD_STEP
                g[idx] = (loss(plus) - loss(minus)) / (2 * FD_STEP)
            layer.append(g)
        grads.append(tuple(layer))
    return grads


@pytest.mark.parametrize("with_dropout", [False, True], ids=["plain", "dropout-masks"])
def test_backward_matches_finite_differences_of_the_loss_on_a_2_3_2_1_net(ref, with_dropout):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 2))
    Y = rng.integers(0, 2, size=(5, 1)).astype(float)
    params = _random_net(rng, [2, 3, 2, 1])
    masks = None
    if with_dropout:
        masks = [ref.dropout.dropout_mask((5, 3), 0.5, rng), ref.dropout.dropout_mask((5, 2), 0.3, rng)]
    _, cache = ref.backprop.forward(X, params, masks)
    grads = ref.backprop.backward(params, cache, Y)
    for (dW, db), (nW, nb) in zip(grads, _numeric_grads(ref, X, Y, params, masks)):
        np.testing.assert_allclose(dW, nW, rtol=FD_RTOL, atol=FD_ATOL)
        np.testing.assert_allclose(db, nb, rtol=FD_RTOL, atol=FD_ATOL)


def test_backward_does_not_modify_params_or_cache(ref):
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(4, 2)), np.array([[1.0], [0.0], [1.0], [0.0]])
    params = _random_net(rng, [2, 3, 1])
    before = _copy(params)
    _, cache = ref.backprop.forward(X, params)
    cache_before = [(a.copy(), z.copy()) for a, z, _ in cache]
    ref.backprop.backward(params, cache, Y)
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    for (a, z, _), (a0, z0) in zip(cache, cache_before):
        np.testing.assert_array_equal(a, a0)
        np.testing.assert_array_equal(z, z0)


# --- sgd -----------------------------------------------------------------------

@pytest.mark.parametrize("rng_seed", [None, 3], ids=["in-order", "shuffled"])
def test_minibatches_cover_every_row_exactly_once(ref, rng_seed):
    X = np.arange(14.0).reshape(7, 2)
    Y = np.arange(7.0).reshape(7, 1)
    rng = None if rng_seed is None else np.random.default_rng(rng_seed)
    batches = list(ref.sgd.minibatches(X, Y, 3, rng))
    assert [len(xb) for xb, _ in batches] == [3, 3, 1]
    rows = np.concatenate([yb[:, 0] for _, yb in batches])
    np.testing.assert_array_equal(np.sort(rows), np.arange(7.0))
    for xb, yb in batches:  # X and Y rows stay paired
        np.testing.assert_array_equal(xb[:, 0], 2 * yb[:, 0])
    if rng is None:
        np.testing.assert_array_equal(rows, np.arange(7.0))


def test_sgd_train_decreases_the_loss_on_a_tiny_problem_without_touching_params(ref):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 2))
    Y = (X[:, :1] + X[:, 1:] > 0).astype(float)
    params = _random_net(rng, [2, 4, 1])
    before = _copy(params)
    trained, history = ref.sgd.train(X, Y, params, lr=1.0, batch_size=8, epochs=30)
    assert len(history) == 30
    assert history[-1] < 0.5 * history[0]
    A_L, _ = ref.backprop.forward(X, trained)
    np.testing.assert_allclose(history[-1], ref.backprop.binary_cross_entropy(A_L, Y), rtol=EXACT_RTOL)
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_sgd_train_with_dropout_is_reproducible_and_requires_an_rng(ref):
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(12, 2)), rng.integers(0, 2, size=(12, 1)).astype(float)
    params = _random_net(rng, [2, 5, 3, 1])
    runs = [ref.sgd.train(X, Y, params, 0.5, 4, 3, rng=np.random.default_rng(9), dropout_rate=0.5)
            for _ in range(2)]
    for (W1, b1), (W2, b2) in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(W1, W2)
        np.testing.assert_array_equal(b1, b2)
    with pytest.raises(ValueError, match="rng"):
        ref.sgd.train(X, Y, params, 0.5, 4, 1, rng=None, dropout_rate=0.5)


@pytest.mark.slow
@pytest.mark.keras
def test_sgd_train_matches_keras_fit_step_for_step(ref):
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(5)
    X = rng.normal(size=(23, 2))  # 23 rows, batch 5: the last batch has 3
    Y = (X[:, :1] * X[:, 1:] > 0).astype(float)
    params = _random_net(rng, [2, 5, 3, 1])
    floatx = keras.backend.floatx()
    keras.backend.set_floatx("float64")
    try:
        model = keras.Sequential([keras.Input((2,))] + [
            keras.layers.Dense(n, activation="sigmoid") for n in (5, 3, 1)])
        model.set_weights([a for wb in params for a in wb])
        model.compile(optimizer=keras.optimizers.SGD(0.5), loss="binary_crossentropy")
        keras_history = []
        for _ in range(4):
            model.fit(X, Y, batch_size=5, epochs=1, shuffle=False, verbose=0)
            keras_history.append(model.evaluate(X, Y, batch_size=len(X), verbose=0))
        keras_weights = model.get_weights()
    finally:
        keras.backend.set_floatx(floatx)
    trained, history = ref.sgd.train(X, Y, params, lr=0.5, batch_size=5, epochs=4)
    for ours, theirs in zip([a for wb in trained for a in wb], keras_weights):
        np.testing.assert_allclose(ours, theirs, rtol=KERAS_RTOL, atol=KERAS_ATOL)
    np.testing.assert_allclose(history, keras_history, rtol=KERAS_RTOL)


# --- dropout -----------------------------------------------------------------

@pytest.mark.parametrize("rate", [0.0, 0.2, 0.5, 0.8])
def test_dropout_mask_drops_a_fraction_rate_and_has_mean_one(ref, rate):
    mask = ref.dropout.dropout_mask((1000, 1000), rate, np.random.default_rng(6))
    assert mask.dtype == np.float64 and mask.shape == (1000, 1000)
    assert set(np.unique(mask)) <= {0.0, 1.0 / (1.0 - rate)}
    np.testing.assert_allclose(np.mean(mask == 0.0), rate, atol=STAT_ATOL)
    np.testing.assert_allclose(mask.mean(), 1.0, atol=STAT_ATOL / (1.0 - rate))


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan")])
def test_dropout_mask_refuses_rates_outside_zero_to_one(ref, rate):
    with pytest.raises(ValueError, match="0 <= rate < 1"):
        ref.dropout.dropout_mask((2, 2), rate, np.random.default_rng(0))


def test_dropout_forward_and_backward_use_the_same_mask_and_copy(ref):
    A = np.ones((3, 4))
    out, mask = ref.dropout.dropout_forward(A, 0.5, np.random.default_rng(7))
    np.testing.assert_array_equal(out, A * mask)
    np.testing.assert_array_equal(ref.dropout.dropout_backward(2 * A, mask), 2 * mask)
    np.testing.assert_array_equal(A, np.ones((3, 4)))
    out, mask = ref.dropout.dropout_forward(A, 0.5, np.random.default_rng(7), training=False)
    assert mask is None
    np.testing.assert_array_equal(out, A)
