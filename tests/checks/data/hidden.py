"""Hidden checks of data.py: seeded sizes, fractions and data, compared with the reference
(rng=None) or checked for the contract's properties (with an rng: one permutation, every
sample once, rows of X and Y together); the named mistakes are recognised."""

import numpy as np

from grader.checks.expect import Lazy
from grader.checks.unit_support import call_clean, sibling_module, sibling_variants

# Sizes where floor(f * N) loses a row to round-off (0.7 * 90 = 62.99999999999999).
TRAPS = ((90, (0.7, 0.15, 0.15)), (100, (0.58, 0.29, 0.13)), (180, (0.35, 0.35, 0.3)),
         (170, (0.7, 0.2, 0.1)))


def _public():
    return sibling_module(__file__, "public")


def test_split_on_seeded_sizes_and_fractions(student, reference, rng):
    public = _public()
    cases = [TRAPS[int(rng.integers(len(TRAPS)))]]
    for _ in range(2):
        a, b = rng.uniform(0.1, 0.8), rng.uniform(0.05, 0.3)
        c = 1.0 - a - b
        if c <= 0.02:
            a, b, c = 0.6, 0.2, 0.2
        cases.append((int(rng.integers(5, 60)), (float(a), float(b), float(c))))
    for n, fractions in cases:
        X, Y = public.traceable_data(rng, n, d=int(rng.integers(1, 4)), k=int(rng.integers(1, 3)))
        call = f"train_val_test_split(X, Y, {tuple(round(f, 4) for f in fractions)})  [N = {n}]"
        got = call_clean(student, "data", "train_val_test_split", X, Y, fractions, call=call,
                         names=["X", "Y"])
        public.check_split(got, X, Y, fractions, call=call, shuffled=False)
        seed = int(rng.integers(2**31))
        call = f"train_val_test_split(X, Y, {tuple(round(f, 4) for f in fractions)}, rng)  [N = {n}]"
        got = call_clean(student, "data", "train_val_test_split", X, Y, fractions,
                         np.random.default_rng(seed), call=call, names=["X", "Y"])
        public.check_split(got, X, Y, fractions, call=call, shuffled=True)


def test_standardize_on_seeded_data(student, reference, rng):
    public = _public()
    d = int(rng.integers(1, 5))
    arrays = [rng.normal(loc=rng.normal(scale=5, size=d), scale=rng.uniform(0.5, 4, size=d),
                         size=(int(rng.integers(2, 12)), d)) for _ in range(int(rng.integers(2, 4)))]
    arrays[0][:, int(rng.integers(d))] = 2.5           # a constant training column
    call = f"standardize(X_train, ...)  [{len(arrays)} arrays, D = {d}]"
    got = call_clean(student, "data", "standardize", *arrays, call=call,
                     names=["X_train"] + [f"others[{j}]" for j in range(len(arrays) - 1)],
                     mistake_if_warns="standardize_divides_by_zero_std")
    expected = list(reference.data.standardize(*arrays))
    mistakes = Lazy(lambda: {k: list(v) for k, v in
                             sibling_variants(__file__, reference, "standardize", *arrays).items()
                             if v is not None})
    public.check_standardize(got, arrays, expected, call=call, mistakes=mistakes)
