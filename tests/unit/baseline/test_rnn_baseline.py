"""Keras's recurrent cells (grader.baseline.rnn) agree with the reference rnn.py in float64."""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline import rnn as keras_rnn
from tests.unit.conftest import SOLUTIONS_DIR, import_isolated

pytestmark = pytest.mark.keras
TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


@pytest.fixture(scope="module")
def rnn():
    return import_isolated(SOLUTIONS_DIR, ("rnn",)).rnn


@pytest.fixture(scope="module")
def case():
    return keras_rnn.inputs()


def test_simple_rnn_cell_matches_keras(rnn, case):
    x = case["X"][:, 1]
    args = (x, case["h0"], case["Wx"], case["Wh"], case["b"])
    np.testing.assert_allclose(rnn.rnn_cell_forward(*args), keras_rnn.simple_rnn_cell(*args), **TOL)


def test_simple_rnn_sequence_and_bptt_match_keras_and_its_autodiff(rnn, case):
    args = (case["X"], case["h0"], case["Wx"], case["Wh"], case["b"])
    keras = keras_rnn.simple_rnn(*args, case["dHs"])
    Hs, cache = rnn.rnn_forward(*args)
    np.testing.assert_allclose(Hs, keras["Hs"], **TOL)
    for name, grad in zip(("dX", "dh0", "dWx", "dWh", "db"), rnn.rnn_backward(case["dHs"], cache)):
        assert grad.shape == keras[name].shape, name
        np.testing.assert_allclose(grad, keras[name], err_msg=name, **TOL)


def test_lstm_cell_matches_keras(rnn, case):
    args = (case["X"][:, 2], case["h0"], case["c0"], case["W4"], case["U4"], case["b4"])
    for got, expected in zip(rnn.lstm_cell_forward(*args), keras_rnn.lstm_cell(*args)):
        np.testing.assert_allclose(got, expected, **TOL)


def test_gru_cell_matches_keras_with_the_update_gate_negated(rnn, case):
    args = (case["X"][:, 3], case["h0"], case["W3"], case["U3"], case["b3"])
    np.testing.assert_allclose(rnn.gru_cell_forward(*args), keras_rnn.gru_cell(*args), **TOL)
    # Without the negation Keras computes the other convention, far from the course's cell.
    swapped = keras_rnn.gru_cell(args[0], args[1], *keras_rnn.negate_update_gate(*args[2:]))
    assert np.max(np.abs(swapped - rnn.gru_cell_forward(*args))) > 1e-3


def test_keras_results_are_cached_and_read_back_identically(tmp_path, case):
    first = keras_rnn.keras_results(cache_dir=tmp_path)
    assert list(tmp_path.glob("*.npz")), "nothing was cached"
    again = keras_rnn.keras_results(cache_dir=tmp_path)
    np.testing.assert_array_equal(first["sequence"]["dWh"], again["sequence"]["dWh"])
    np.testing.assert_array_equal(first["gru"], keras_rnn.gru_cell(
        case["X"][:, 0], case["h0"], case["W3"], case["U3"], case["b3"]))
