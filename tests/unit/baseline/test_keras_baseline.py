"""The Keras baseline agrees with the reference solutions in float64, and picks devices honestly.

Tiny nets and few epochs: the cost is TensorFlow's import plus well under a
second of Keras work per test.
"""

import numpy as np
import pytest

from grader import baseline, config, datasets
from grader.baseline import BASELINE_ATOL, BASELINE_RTOL

pytestmark = pytest.mark.keras

TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


@pytest.fixture(scope="module")
def ref(load_modules):
    return load_modules(config.SOLUTIONS_DIR)


@pytest.fixture(scope="module")
def cpu():
    return baseline.select_device("cpu")


def _reference_epochs(ref, X, Y, params, lr, batch_size, epochs):
    """The reference sgd.train run one epoch at a time: weights and history after each epoch."""
    weights, history = [], []
    for _ in range(epochs):
        params, h = ref.sgd.train(X, Y, params, lr, batch_size, 1)
        weights.append(params)
        history.extend(h)
    return weights, np.asarray(history)


def test_select_device_cpu_reports_the_backend_and_versions(cpu):
    assert cpu.device == "cpu" and cpu.device_name == "cpu:0"
    assert cpu.backend in ("tensorflow", "jax")
    assert cpu.keras_version.startswith("3.") and cpu.backend_version not in ("", "None")
    assert cpu.floatx == "float64"
    assert set(cpu.as_dict()) >= {"device", "backend", "backend_version", "keras_version"}


def test_activations_and_their_autodiff_derivatives_match_the_reference(ref, cpu):
    z = np.concatenate([np.linspace(-8, 8, 33), [-1000.0, -50.0, 0.0, 50.0, 1000.0]])
    got = baseline.activations(z, device="cpu")
    act = ref.activations
    np.testing.assert_allclose(got["sigmoid"], act.sigmoid(z), **TOL)
    np.testing.assert_allclose(got["sigmoid_derivative"], act.sigmoid_derivative(z), **TOL)
    np.testing.assert_allclose(got["tanh_derivative"], act.tanh_derivative(z), **TOL)
    np.testing.assert_allclose(got["relu"], act.relu(z), **TOL)
    np.testing.assert_array_equal(got["relu_derivative"], act.relu_derivative(z))
    assert np.all(got["relu_derivative"][z == 0.0] == 0.0)
    assert all(v.dtype == np.float64 and v.shape == z.shape for v in got.values())


@pytest.mark.parametrize("sizes", [(2, 3, 1), (3, 4, 3, 2)])
def test_gradients_match_the_reference_backward(ref, cpu, sizes):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, sizes[0]))
    Y = (rng.random((5, sizes[-1])) > 0.5).astype(float)
    params = datasets.init_params(sizes, seed=2)
    params = [(W, rng.normal(scale=0.5, size=b.shape)) for W, b in params]   # non-zero biases
    _, cache = ref.backprop.forward(X, params)
    expected = ref.backprop.backward(params, cache, Y)
    got = baseline.gradients(params, X, Y, device="cpu")
    assert len(got) == len(expected)
    for (dW, db), (eW, eb) in zip(got, expected):
        assert dW.dtype == np.float64 and dW.shape == eW.shape and db.shape == eb.shape
        np.testing.assert_allclose(dW, eW, **TOL)
        np.testing.assert_allclose(db, eb, **TOL)


def test_gradient_of_a_saturated_output_is_not_cut_by_clipping(ref, cpu):
    """The fused loss: dL/dz = sigmoid(z) - y even where p would be clipped (as output_delta)."""
    X = np.array([[40.0], [0.5]])
    Y = np.array([[0.0], [1.0]])
    params = [(np.array([[1.0]]), np.array([0.0]))]
    _, cache = ref.backprop.forward(X, params)
    expected = ref.backprop.backward(params, cache, Y)
    got = baseline.gradients(params, X, Y, device="cpu")
    np.testing.assert_allclose(got[0][0], expected[0][0], **TOL)
    assert got[0][0][0, 0] > 19.0   # the saturated sample contributes 40 * (1 - 0) / 2


def test_fit_matches_the_reference_training_step_for_step(ref, cpu):
    X, Y = datasets.moons(n=23, seed=4)                  # 23 rows, batches of 5: last has 3
    params = datasets.init_params([2, 4, 3, 1], seed=4)
    run = baseline.fit_sgd(params, X, Y, lr=0.7, batch_size=5, epochs=4, keep_weights=True,
                           device="cpu")
    weights, history = _reference_epochs(ref, X, Y, params, 0.7, 5, 4)
    assert run["history"].shape == (4,) and run["history"].dtype == np.float64
    np.testing.assert_allclose(run["history"], history, **TOL)
    for layer, (W_epochs, b_epochs) in enumerate(run["weights_per_epoch"]):
        assert W_epochs.shape[0] == 4
        for epoch in range(4):
            np.testing.assert_allclose(W_epochs[epoch], weights[epoch][layer][0], **TOL)
            np.testing.assert_allclose(b_epochs[epoch], weights[epoch][layer][1], **TOL)
    for (W, b), (eW, eb) in zip(run["weights"], weights[-1]):
        np.testing.assert_allclose(W, eW, **TOL)
        np.testing.assert_allclose(b, eb, **TOL)
    final, _ = ref.backprop.forward(X, weights[-1])
    np.testing.assert_allclose(run["probabilities"], final, **TOL)
    assert run["device"]["device"] == "cpu"


def test_fit_history_is_the_whole_training_set_loss_after_each_epoch(ref, cpu):
    """Not Keras's running mean of batch losses: the loss of the epoch's final weights."""
    X, Y = datasets.xor()
    params = datasets.init_params([2, 3, 1], seed=0)
    run = baseline.fit_sgd(params, X, Y, lr=2.0, batch_size=1, epochs=3, keep_weights=True,
                           device="cpu")
    for epoch in range(3):
        at_epoch = [(W[epoch], b[epoch]) for W, b in run["weights_per_epoch"]]
        A, _ = ref.backprop.forward(X, at_epoch)
        assert run["history"][epoch] == pytest.approx(ref.backprop.binary_cross_entropy(A, Y),
                                                      rel=BASELINE_RTOL, abs=BASELINE_ATOL)


def test_fit_with_two_outputs_matches_the_reference(ref, cpu):
    X, Y = datasets.digits("one-hot", n=12, seed=0)
    Y = Y[:, :2]
    params = datasets.init_params([64, 5, 2], seed=1)
    run = baseline.fit_sgd(params, X, Y, lr=0.5, batch_size=4, epochs=2, device="cpu")
    weights, history = _reference_epochs(ref, X, Y, params, 0.5, 4, 2)
    np.testing.assert_allclose(run["history"], history, **TOL)
    np.testing.assert_allclose(run["weights"][0][0], weights[-1][0][0], **TOL)


def test_a_fit_of_the_same_network_again_gives_what_a_new_model_gives(cpu):
    """The second fit of one network and schedule reuses the compiled model (no tracing):
    new weights and a fresh step counter give bit for bit what a new model gives."""
    from grader.baseline import model

    X, Y = datasets.moons(n=23, seed=4)
    first, second = (datasets.init_params([2, 4, 1], seed=s) for s in (1, 2))
    model._COMPILED.clear()
    baseline.fit_sgd(first, X, Y, lr=0.7, batch_size=5, epochs=3, device="cpu")
    assert len(model._COMPILED) == 1
    again = baseline.fit_sgd(second, X, Y, lr=0.7, batch_size=5, epochs=3, keep_weights=True,
                             device="cpu")
    assert len(model._COMPILED) == 1                       # reused, not rebuilt
    model._COMPILED.clear()
    fresh = baseline.fit_sgd(second, X, Y, lr=0.7, batch_size=5, epochs=3, keep_weights=True,
                             device="cpu")
    np.testing.assert_array_equal(again["history"], fresh["history"])
    for (W, b), (fW, fb) in zip(again["weights_per_epoch"], fresh["weights_per_epoch"]):
        np.testing.assert_array_equal(W, fW)
        np.testing.assert_array_equal(b, fb)


def test_fit_does_not_modify_its_arguments(cpu):
    X, Y = datasets.xor()
    params = datasets.init_params([2, 2, 1], seed=0)
    before = [(W.copy(), b.copy()) for W, b in params]
    baseline.fit_sgd(params, X, Y, lr=1.0, batch_size=2, epochs=1, device="cpu")
    assert all(np.array_equal(W, W0) and np.array_equal(b, b0)
               for (W, b), (W0, b0) in zip(params, before))


def test_dropout_drops_about_rate_scales_the_rest_and_is_identity_at_eval(cpu):
    A = np.random.default_rng(0).uniform(0.5, 1.5, size=(100, 80))
    rate = 0.25
    out = baseline.dropout(A, rate, seed=3, device="cpu")
    kept = out["train"] != 0
    assert abs((1 - kept.mean()) - rate) < 5 * np.sqrt(rate * (1 - rate) / A.size)
    np.testing.assert_allclose(out["train"][kept], A[kept] / (1 - rate), **TOL)
    np.testing.assert_array_equal(out["eval"], A)
    again = baseline.dropout(A, rate, seed=3, device="cpu")
    np.testing.assert_array_equal(again["train"], out["train"])


def test_predict_gives_the_sigmoid_of_the_output_layer(ref, cpu):
    X, _ = datasets.moons(n=9, seed=0)
    params = datasets.init_params([2, 3, 1], seed=9)
    np.testing.assert_allclose(baseline.predict(params, X, device="cpu"),
                               ref.backprop.forward(X, params)[0], **TOL)


def test_wrong_parameter_shapes_are_refused_before_keras_runs():
    with pytest.raises(ValueError, match="layer 2"):
        baseline.gradients([(np.zeros((2, 3)), np.zeros(3)), (np.zeros((4, 1)), np.zeros(1))],
                           np.zeros((1, 2)), np.zeros((1, 1)), device="cpu")


def _no_gpu() -> bool:
    return baseline.select_device("auto").device == "cpu"


def test_asking_for_a_gpu_without_one_raises_a_clear_bilingual_error():
    if not _no_gpu():
        pytest.skip("a GPU is visible here")
    with pytest.raises(baseline.DeviceUnavailableError) as info:
        baseline.select_device("gpu", lang="en")
    error = info.value
    assert "GPU" in str(error) and "--device cpu" in str(error)
    assert error.message("es") != error.message("en") and "GPU" in error.message("es")
    with pytest.raises(baseline.DeviceUnavailableError):
        baseline.fit_sgd(datasets.init_params([2, 1], 0), *datasets.xor(), lr=0.1, batch_size=4,
                         epochs=1, device="gpu")


def test_an_unknown_device_is_refused():
    with pytest.raises(baseline.BaselineError, match="tpu"):
        baseline.select_device("tpu", lang="en")


def test_the_gpu_is_used_when_asked_and_visible():
    if _no_gpu():
        pytest.skip("no GPU visible")
    info = baseline.select_device("gpu")
    assert info.device == "gpu" and info.device_name == "gpu:0"
