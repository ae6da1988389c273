"""Student-style sources of the named mistakes of data.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function of the
reference the way a student would get it wrong. ``RIGHT`` holds correct implementations
written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

WRONG = {
    "split_sizes_truncated": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            n_train = int(fractions[0] * n)
            n_val = int(fractions[1] * n)
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return (X[:n_train], Y[:n_train], X[n_train:n_train + n_val],
                    Y[n_train:n_train + n_val], X[n_train + n_val:], Y[n_train + n_val:])
        """)],
    "split_test_size_floored": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            a, b, c = (int(np.floor(f * n + 1e-9)) for f in fractions)
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a + b:a + b + c], Y[a + b:a + b + c]
        """)],
    "split_parts_overlap": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            a = int(np.floor(fractions[0] * n + 1e-9))
            b = int(np.floor(fractions[1] * n + 1e-9))
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a:], Y[a:]
        """)],
    "split_xy_shuffled_separately": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.array(X, dtype=float); Y = np.array(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            a = int(np.floor(fractions[0] * n + 1e-9))
            b = int(np.floor(fractions[1] * n + 1e-9))
            if rng is not None:
                rng.shuffle(X)
                rng.shuffle(Y)
            return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a + b:], Y[a + b:]
        """)],
    "split_without_value_error": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            n = len(X)
            a = int(np.floor(fractions[0] * n + 1e-9))
            b = int(np.floor(fractions[1] * n + 1e-9))
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a + b:], Y[a + b:]
        """)],
    "split_sizes_rounded": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            a, b = round(fractions[0] * n), round(fractions[1] * n)
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return X[:a], Y[:a], X[a:a + b], Y[a:a + b], X[a + b:], Y[a + b:]
        """)],
    "split_remainder_to_train": [("train_val_test_split", """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            if len(fractions) != 3 or min(fractions) <= 0 or abs(sum(fractions) - 1) > 1e-9:
                raise ValueError("bad fractions")
            n = len(X)
            n_val = int(np.floor(fractions[1] * n + 1e-9))
            n_test = int(np.floor(fractions[2] * n + 1e-9))
            n_train = n - n_val - n_test                # the leftover rows go to train
            idx = np.arange(n) if rng is None else rng.permutation(n)
            X, Y = X[idx], Y[idx]
            return (X[:n_train], Y[:n_train], X[n_train:n_train + n_val],
                    Y[n_train:n_train + n_val], X[n_train + n_val:], Y[n_train + n_val:])
        """)],
    "standardize_each_array_own_stats": [("standardize", """
        def standardize(X_train, *others):
            def one(A):
                A = np.asarray(A, dtype=float)
                s = A.std(axis=0)
                return (A - A.mean(axis=0)) / np.where(s == 0, 1, s)
            X_train = np.asarray(X_train, dtype=float)
            return (one(X_train), *[one(A) for A in others], X_train.mean(axis=0),
                    X_train.std(axis=0))
        """)],
    "standardize_fitted_on_all_data": [("standardize", """
        def standardize(X_train, *others):
            arrays = [np.asarray(A, dtype=float) for A in (X_train,) + others]
            everything = np.vstack(arrays)
            mean = everything.mean(axis=0)
            std = everything.std(axis=0)
            std_safe = np.where(std == 0, 1, std)
            return tuple((A - mean) / std_safe for A in arrays) + (mean, std)
        """)],
    "standardize_divides_by_zero_std": [("standardize", """
        def standardize(X_train, *others):
            X_train = np.asarray(X_train, dtype=float)
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0)
            out = [(X_train - mean) / std]
            for A in others:
                out.append((np.asarray(A, dtype=float) - mean) / std)
            return (*out, mean, std)
        """)],
    "standardize_sample_std": [("standardize", """
        def standardize(X_train, *others):
            X_train = np.asarray(X_train, dtype=float)
            mean = X_train.mean(axis=0)
            std = X_train.std(axis=0, ddof=1)
            safe = np.where(std == 0, 1.0, std)
            return (*[(np.asarray(A, dtype=float) - mean) / safe for A in (X_train, *others)],
                    mean, std)
        """)],
}

RIGHT = {
    "train_val_test_split": """
        def train_val_test_split(X, Y, fractions=(0.7, 0.15, 0.15), rng=None):
            X = np.asarray(X, dtype=np.float64)
            Y = np.asarray(Y, dtype=np.float64)
            f = list(fractions)
            if len(f) != 3 or any(x <= 0 for x in f) or not np.isclose(sum(f), 1, rtol=0, atol=1e-9):
                raise ValueError("fractions must be three positive numbers summing to 1")
            n = len(X)
            n_train = int(np.floor(f[0] * n + 1e-9))
            n_val = int(np.floor(f[1] * n + 1e-9))
            idx = list(range(n))
            if rng is not None:
                idx = rng.choice(n, size=n, replace=False)
            tr, va, te = idx[:n_train], idx[n_train:n_train + n_val], idx[n_train + n_val:]
            return X[tr], Y[tr], X[va], Y[va], X[te], Y[te]
        """,
    "standardize": """
        def standardize(X_train, *others):
            X_train = np.asarray(X_train, dtype=np.float64)
            mu = np.mean(X_train, axis=0)
            sigma = np.sqrt(np.mean((X_train - mu) ** 2, axis=0))
            sigma_safe = sigma.copy()
            sigma_safe[sigma_safe == 0] = 1.0
            result = [(X_train - mu) / sigma_safe]
            result += [(np.asarray(o, dtype=np.float64) - mu) / sigma_safe for o in others]
            return tuple(result) + (mu, sigma_safe)
        """,
}
