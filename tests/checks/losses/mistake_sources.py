"""Student-style sources of the named mistakes of losses.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function of the
reference the way a student would get it wrong. ``RIGHT`` holds correct implementations
written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

WRONG = {
    "mse_sum_over_outputs": [("mse", """
        def mse(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return float(np.sum((A - Y) ** 2) / A.shape[0])
        """)],
    "mse_gradient_missing_2": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return (A - Y) / A.size
        """)],
    "mse_gradient_divided_by_n": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            N = A.shape[0]
            return 2 * (A - Y) / N
        """)],
    "mse_gradient_sign_flipped": [("mse_gradient", """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return 2 * (Y - A) / A.size
        """)],
    "softmax_without_max_shift": [("softmax", """
        def softmax(Z):
            e = np.exp(np.asarray(Z, dtype=float))
            return e / np.sum(e, axis=1, keepdims=True)
        """)],
    "softmax_global_max_shift": [("softmax", """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            e = np.exp(Z - np.max(Z))
            return e / e.sum(axis=1, keepdims=True)
        """)],
    "softmax_wrong_axis": [("softmax", """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            e = np.exp(Z - Z.max(axis=0, keepdims=True))
            return e / e.sum(axis=0, keepdims=True)
        """)],
    "cce_without_clipping": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.asarray(P, dtype=float); Y = np.asarray(Y, dtype=float)
            return -np.mean(np.sum(Y * np.log(P), axis=1))
        """)],
    "cce_clipped_below_only": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.maximum(np.asarray(P, dtype=float), 1e-7)
            return float(-np.sum(np.asarray(Y) * np.log(P)) / len(P))
        """)],
    "cce_sum_not_mean": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            return float(-np.sum(np.asarray(Y) * np.log(P)))
        """)],
    "softmax_ce_gradient_missing_1_over_n": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            return softmax(Z) - np.asarray(Y, dtype=float)
        """)],
    "softmax_ce_gradient_sign_flipped": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (np.asarray(Y, dtype=float) - softmax(Z)) / Z.shape[0]
        """)],
    "mse_halved": [("mse", """
        def mse(A, Y):
            A = np.asarray(A, dtype=float); Y = np.asarray(Y, dtype=float)
            return 0.5 * float(np.mean((A - Y) ** 2))
        """)],
    "cce_mean_over_all_entries": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            return float(-np.mean(np.asarray(Y) * np.log(P)))
        """)],
    "cce_clipped_at_1e_15": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-15, 1 - 1e-15)
            return float(-np.sum(np.asarray(Y) * np.log(P)) / len(P))
        """)],
    "cce_adds_binary_terms": [("categorical_cross_entropy", """
        def categorical_cross_entropy(P, Y):
            P = np.clip(np.asarray(P, dtype=float), 1e-7, 1 - 1e-7)
            Y = np.asarray(Y, dtype=float)
            return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log(1 - P)) / len(P))
        """)],
    "softmax_ce_gradient_divided_by_nk": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (softmax(Z) - Y) / Z.size
        """)],
    "softmax_ce_gradient_uses_logits": [("softmax_cross_entropy_gradient", """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            return (Z - np.asarray(Y)) / Z.shape[0]
        """)],
    "one_hot_without_value_error": [("one_hot", """
        def one_hot(labels, K):
            labels = np.asarray(labels, dtype=int)
            Y = np.zeros((len(labels), K))
            Y[np.arange(len(labels)), labels % K] = 1
            return Y
        """)],
}

RIGHT = {
    "mse": """
        def mse(A, Y):
            d = np.asarray(A, dtype=float) - np.asarray(Y, dtype=float)
            return float(np.sum(d * d) / d.size)
        """,
    "mse_gradient": """
        def mse_gradient(A, Y):
            A = np.asarray(A, dtype=float)
            N, K = A.shape
            return (A - np.asarray(Y)) * (2.0 / (N * K))
        """,
    "softmax": """
        def softmax(Z):
            Z = np.asarray(Z, dtype=float)
            out = np.empty_like(Z)
            for i, row in enumerate(Z):
                e = np.exp(row - np.max(row))
                out[i] = e / np.sum(e)
            return out
        """,
    "one_hot": """
        def one_hot(labels, K):
            labels = [int(l) for l in labels]
            for l in labels:
                if not 0 <= l < K:
                    raise ValueError("label out of range")
            return np.eye(K)[labels].astype(np.float64).reshape(len(labels), K)
        """,
    "categorical_cross_entropy": """
        def categorical_cross_entropy(P, Y):
            P = np.minimum(np.maximum(np.asarray(P, dtype=float), 1e-7), 1 - 1e-7)
            return float(np.mean(-np.sum(np.asarray(Y) * np.log(P), axis=1)))
        """,
    "softmax_cross_entropy_gradient": """
        def softmax_cross_entropy_gradient(Z, Y):
            Z = np.asarray(Z, dtype=float)
            Z = Z - Z.max(axis=1, keepdims=True)
            P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
            return (P - Y) / len(Z)
        """,
}
