"""Assignment 2's reference solutions agree with Keras in float64 (rtol 1e-9, atol 1e-12)
for every "as Keras computes it" clause of the contract, on the Keras checks' own inputs.

Keras is called directly here (no cache): leaky_relu, silu, MeanSquaredError, softmax,
CategoricalCrossentropy, SGD(momentum), RMSprop, Adam (single steps and model.fit with
shuffle=False, step for step) and EarlyStopping (with and without restore_best_weights).
"""

from pathlib import Path

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline import assignment2 as k2
from grader.baseline.assignment2_suite import inputs
from grader.baseline.backend import backend_name as baseline_backend
from grader.reference import load_modules

pytestmark = pytest.mark.keras

SOLUTIONS_DIR = Path(__file__).resolve().parents[3] / "solutions"
TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


@pytest.fixture(scope="module")
def ref():
    return load_modules(SOLUTIONS_DIR, ("activations", "dropout", "backprop", "sgd",
                                        "more_activations", "losses", "optimizers",
                                        "early_stopping"))


def _close_params(got, expected):
    assert len(got) == len(expected)
    for (W, b), (eW, eb) in zip(got, expected):
        np.testing.assert_allclose(W, eW, **TOL)
        np.testing.assert_allclose(b, eb, **TOL)


def test_leaky_relu_and_silu_and_their_derivatives_match_keras(ref):
    case = inputs("more_activations")
    z, alpha = case["z"], case["alpha"]
    assert np.float32(alpha) == alpha
    keras = k2.activations2(z, alpha, device="cpu")
    ma = ref.more_activations
    np.testing.assert_allclose(ma.leaky_relu(z, alpha), keras["leaky_relu"], **TOL)
    off_kink = z != 0       # at z = 0 autodiff's slope depends on the backend (TF alpha, JAX 1)
    np.testing.assert_allclose(ma.leaky_relu_derivative(z, alpha)[off_kink],
                               keras["leaky_relu_derivative"][off_kink], **TOL)
    np.testing.assert_allclose(ma.swish(z), keras["swish"], **TOL)
    np.testing.assert_allclose(ma.swish_derivative(z), keras["swish_derivative"], **TOL)


def test_mse_softmax_and_categorical_cross_entropy_match_keras(ref):
    case = inputs("losses")
    keras = k2.losses(case["A"], case["Y"], case["Z"], case["Y_onehot"], device="cpu")
    L = ref.losses
    float32 = keras["float32"]       # Keras on JAX averages in float32
    assert float32 == ([] if baseline_backend() == "tensorflow" else ["mse", "mse_gradient"])
    mse_tol = {"rtol": 1e-6, "atol": 1e-9} if float32 else TOL
    np.testing.assert_allclose(L.mse(case["A"], case["Y"]), keras["mse"], **mse_tol)
    np.testing.assert_allclose(L.mse_gradient(case["A"], case["Y"]), keras["mse_gradient"],
                               **mse_tol)
    np.testing.assert_allclose(L.softmax(case["Z"]), keras["softmax"], **TOL)
    np.testing.assert_allclose(L.categorical_cross_entropy(L.softmax(case["Z"]),
                                                           case["Y_onehot"]),
                               keras["cce"], **TOL)
    np.testing.assert_allclose(L.softmax_cross_entropy_gradient(case["Z"], case["Y_onehot"]),
                               keras["softmax_cce_gradient"], **TOL)


def test_hyperparameters_kept_in_float32_by_keras_are_exact_in_float32():
    case = inputs("optimizers")
    assert np.float32(case["hyper"]["momentum"]["momentum"]) == case["hyper"]["momentum"][
        "momentum"]
    for beta in ("beta_1", "beta_2"):
        assert np.float32(case["hyper"]["adam"][beta]) == case["hyper"]["adam"][beta]


@pytest.mark.parametrize("name", ["momentum", "rmsprop", "adam"])
def test_step_functions_match_keras_optimizers_step_after_step(ref, name):
    case = inputs("optimizers")
    lr, hyper = case["lr"][name], case["hyper"][name]
    keras = k2.optimizer_steps(name, case["w0"], case["grads"], lr, hyper, device="cpu")
    O = ref.optimizers
    w = case["w0"]
    first, second = np.zeros_like(w), np.zeros_like(w)
    for t, g in enumerate(case["grads"], start=1):
        if name == "momentum":
            w, first = O.momentum_step(w, g, first, lr, **hyper)
        elif name == "rmsprop":
            w, second = O.rmsprop_step(w, g, second, lr, **hyper)
        else:
            w, first, second = O.adam_step(w, g, first, second, t, lr, **hyper)
        np.testing.assert_allclose(w, keras[t - 1], **TOL)


@pytest.mark.parametrize("name", k2.OPTIMIZERS)
def test_train_matches_keras_fit_step_for_step(ref, name):
    case = inputs("optimizers")
    lr, hyper = case["lr"][name], case["hyper"][name]
    keras = k2.fit_optimizer(case["params"], case["X"], case["Y"], name, lr,
                             case["batch_size"], case["epochs"], hyper, device="cpu")
    params, history = ref.optimizers.train(case["X"], case["Y"], case["params"], name, lr,
                                           case["batch_size"], case["epochs"], **hyper)
    np.testing.assert_allclose(history, keras["history"], **TOL)
    _close_params(params, keras["weights"])


@pytest.mark.parametrize("index", [0, 1])
def test_train_with_early_stopping_matches_keras_early_stopping(ref, index):
    c = inputs("early_stopping")["cases"][index]
    keras = k2.fit_early_stopping(c["params"], c["X"], c["Y"], c["X_val"], c["Y_val"], c["lr"],
                                  c["batch_size"], c["max_epochs"], c["patience"],
                                  c["min_delta"], c["restore_best_weights"], device="cpu")
    params, history, val_history, stopped, best = ref.early_stopping.train_with_early_stopping(
        c["X"], c["Y"], c["X_val"], c["Y_val"], c["params"], c["lr"], c["batch_size"],
        c["max_epochs"], c["patience"], c["min_delta"], c["restore_best_weights"])
    assert stopped is not None and stopped < c["max_epochs"] - 1    # the case does stop early
    assert (stopped, best) == (keras["stopped_epoch"], keras["best_epoch"])
    np.testing.assert_allclose(history, keras["history"], **TOL)
    np.testing.assert_allclose(val_history, keras["val_history"], **TOL)
    np.testing.assert_allclose(val_history, keras["keras_val_loss"], **TOL)
    _close_params(params, keras["weights"])


def test_one_warm_up_computes_every_assignments_keras_results(tmp_path):
    """The batch's single warm-up (suite.warm_cache) fills the cache for assignment 2 and
    rnn too, so no student's checks compute Keras results."""
    from grader.baseline import assignment2_suite, rnn
    from grader.baseline.suite import warm_cache

    warm_cache(("losses", "more_activations", "rnn"), cache_dir=tmp_path)
    assert assignment2_suite._cached_results("losses", tmp_path) is not None
    assert assignment2_suite._cached_results("more_activations", tmp_path) is not None
    assert assignment2_suite._cached_results("optimizers", tmp_path) is None   # not asked for
    assert rnn._cached_results(tmp_path) is not None
