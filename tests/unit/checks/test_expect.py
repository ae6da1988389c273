"""expect.close is np.allclose's rule on one shape, whatever the values."""

import numpy as np
import pytest

from grader.checks.expect import ATOL, RTOL, close

SPECIAL = np.array([0.0, -0.0, 1.0, -1.0, 1e-300, 1e308, -1e308, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("seed", range(20))
def test_close_agrees_with_allclose_on_random_and_special_values(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        shape = tuple(int(n) for n in rng.integers(0, 4, size=int(rng.integers(0, 3))))
        b = rng.normal(size=shape) * 10.0 ** rng.integers(-8, 8)
        a = b * (1 + rng.choice([0.0, 1e-9, 1e-6, 1e-3], size=shape)) \
            + rng.choice([0.0, 1e-12, 1e-7, 1.0], size=shape)
        if b.size and rng.random() < 0.5:
            a.flat[int(rng.integers(a.size))] = rng.choice(SPECIAL)
            b.flat[int(rng.integers(b.size))] = rng.choice(SPECIAL)
        with np.errstate(over="ignore", invalid="ignore"):
            expected = bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))
        assert close(a, b) is expected, (a, b)


def test_close_needs_one_shape_and_numbers():
    assert close([1.0, 2.0], (1.0, 2.0)) and close(3, 3.0 + 1e-12)
    assert not close([1.0], [[1.0]]) and not close([1.0, 2.0], [1.0])
    assert not close("abc", 1.0) and not close([1.0, [2.0]], [1.0, 2.0])
    assert close(np.inf, np.inf) and not close(np.inf, -np.inf) and not close(np.nan, np.nan)
    assert not close(1e308, np.inf) and not close(np.inf, 1e308)
