"""grader.datasets: shapes, dtypes, reproducibility, the course's pass/fail data, digits, init."""

import numpy as np
import pytest

from grader import datasets

RANDOM = ("moons", "spirals")


@pytest.mark.parametrize("name", sorted(datasets.DATASETS))
def test_every_dataset_is_float64_rows_with_a_binary_target_column(name):
    X, Y = datasets.load(name)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.ndim == 2 and Y.shape == (X.shape[0], 1)
    assert set(np.unique(Y)) == {0.0, 1.0}
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", RANDOM)
def test_random_datasets_are_reproducible_by_seed_and_change_with_it(name):
    X1, Y1 = datasets.load(name, n=50, seed=7)
    X2, Y2 = datasets.load(name, n=50, seed=7)
    X3, _ = datasets.load(name, n=50, seed=8)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2)
    assert not np.array_equal(X1, X3)
    assert X1.shape == (50, 2)


@pytest.mark.parametrize("name", RANDOM)
def test_random_datasets_are_balanced_and_shuffled(name):
    _, Y = datasets.load(name, n=101)
    assert Y.sum() == 50
    first_half = Y[:50, 0]
    assert 0 < first_half.sum() < 50   # row order mixes the classes


def test_random_datasets_do_not_touch_the_global_numpy_state():
    state = np.random.get_state()[1].copy()
    datasets.moons(seed=1)
    datasets.spirals(seed=1)
    assert np.array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("maker, outputs", [
    (datasets.xor, [0, 1, 1, 0]), (datasets.and_gate, [0, 0, 0, 1]),
    (datasets.or_gate, [0, 1, 1, 1]),
])
def test_logic_gates_are_their_truth_tables(maker, outputs):
    X, Y = maker()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert Y[:, 0].tolist() == outputs


def _perceptron_errors(X, labels, epochs=1000):
    """Rosenblatt's rule (independent of solutions/); misclassified count of the last epoch."""
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(epochs):
        errors = 0
        for x, d in zip(X, labels):
            y = float(x @ w + b > 0)
            w, b = w + (d - y) * x, b + (d - y)
            errors += y != d
        if errors == 0:
            return 0
    return errors


def test_pass_fail_is_linearly_separable():
    X, Y = datasets.pass_fail()
    assert _perceptron_errors(X, Y[:, 0]) == 0


def test_xor_is_not_linearly_separable_by_the_same_perceptron():
    X, Y = datasets.xor()
    assert _perceptron_errors(X, Y[:, 0], epochs=50) > 0


def test_pass_fail_has_realistic_classes_and_hours():
    X, Y = datasets.pass_fail()
    classes, hours = X[:, 0], X[:, 1]
    assert 20 <= len(X) <= 30
    assert np.array_equal(classes, np.round(classes)) and classes.min() >= 0 and classes.max() <= 12
    assert hours.min() >= 0 and hours.max() <= 10
    assert 0.3 < Y.mean() < 0.7


@pytest.mark.parametrize("task, n, k", [("0-vs-1", 360, 1), ("even-odd", 1797, 1),
                                        ("one-hot", 1797, 10)])
def test_digits_tasks_have_pixels_in_unit_range(task, n, k):
    X, Y = datasets.digits(task)
    assert X.shape == (n, 64) and Y.shape == (n, k)
    assert X.dtype == np.float64 and X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(Y)) == {0.0, 1.0}
    if k == 10:
        assert np.all(Y.sum(axis=1) == 1)


def test_digits_subset_is_reproducible_and_default_task_is_zero_vs_one():
    X1, Y1 = datasets.digits(n=40, seed=3)
    X2, Y2 = datasets.digits(n=40, seed=3)
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2) and X1.shape == (40, 64)
    with pytest.raises(ValueError, match="even-odd"):
        datasets.digits("three-vs-eight")


def test_digits_file_is_plain_arrays_without_pickle():
    with np.load(datasets.DIGITS_FILE, allow_pickle=False) as data:
        assert sorted(data.files) == ["pixels", "target"]
        assert data["pixels"].dtype == np.uint8 and data["pixels"].shape == (1797, 64)
        assert data["target"].dtype == np.uint8 and data["pixels"].max() == 16


def test_load_unknown_name_lists_the_known_ones_in_both_languages():
    with pytest.raises(ValueError) as info:
        datasets.load("mnist")
    message = str(info.value)
    assert "desconocido" in message and "unknown" in message
    assert all(name in message for name in datasets.DATASETS)


def test_load_passes_keyword_arguments():
    X, _ = datasets.load("moons", n=10, noise=0.0, seed=0)
    assert X.shape == (10, 2)


def test_init_params_are_glorot_uniform_weights_and_zero_biases_reproducibly():
    params = datasets.init_params([2, 4, 3, 1], seed=5)
    assert [(W.shape, b.shape) for W, b in params] == [((2, 4), (4,)), ((4, 3), (3,)),
                                                       ((3, 1), (1,))]
    for W, b in params:
        limit = np.sqrt(6.0 / sum(W.shape))
        assert W.dtype == np.float64 and np.all(np.abs(W) <= limit) and np.all(b == 0.0)
    again = datasets.init_params([2, 4, 3, 1], seed=5)
    other = datasets.init_params([2, 4, 3, 1], seed=6)
    assert all(np.array_equal(W1, W2) for (W1, _), (W2, _) in zip(params, again))
    assert not np.array_equal(params[0][0], other[0][0])


def test_init_params_refuses_too_few_layers():
    with pytest.raises(ValueError):
        datasets.init_params([3], seed=0)
