"""Student-style sources of the named mistakes of activations.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` holds correct
implementations written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

WRONG = {
    "sigmoid_derivative_of_activation": [("sigmoid_derivative", """
        def sigmoid_derivative(z):
            return z * (1 - z)
        """)],
    "tanh_derivative_of_activation": [("tanh_derivative", """
        def tanh_derivative(z):
            return 1 - z ** 2
        """)],
    "sigmoid_derivative_returns_sigmoid": [("sigmoid_derivative", """
        def sigmoid_derivative(z):
            return sigmoid(z)
        """)],
    "sigmoid_derivative_applied_to_sigmoid": [("sigmoid_derivative", """
        def sigmoid_derivative(z):
            s = sigmoid(sigmoid(z))
            return s * (1 - s)
        """)],
    "sigmoid_derivative_missing_one_minus": [("sigmoid_derivative", """
        def sigmoid_derivative(z):
            return sigmoid(z) ** 2
        """)],
    "sigmoid_sign_flipped": [("sigmoid", """
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            e = np.exp(-np.abs(z))
            return np.where(z >= 0, e / (1 + e), 1 / (1 + e))
        """)],
    "tanh_derivative_returns_tanh": [("tanh_derivative", """
        def tanh_derivative(z):
            return np.tanh(z)
        """)],
    "tanh_derivative_not_squared": [("tanh_derivative", """
        def tanh_derivative(z):
            return 1 - np.tanh(z)
        """)],
    "relu_derivative_one_at_zero": [("relu_derivative", """
        def relu_derivative(z):
            return (np.asarray(z) >= 0).astype(float)
        """)],
    "relu_derivative_returns_relu": [("relu_derivative", """
        def relu_derivative(z):
            return np.maximum(0, z)
        """)],
    "overflow_in_exp": [("sigmoid", """
        def sigmoid(z):
            return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))
        """), ("sigmoid", """
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
        """)],
}

RIGHT = {
    "sigmoid": """
        def sigmoid(z):
            z = np.asarray(z, dtype=float)
            return 0.5 * (1.0 + np.tanh(0.5 * z))
        """,
    "sigmoid_derivative": """
        def sigmoid_derivative(z):
            z = np.asarray(z, dtype=float)
            e = np.exp(-np.abs(z))
            return e / (1.0 + e) ** 2
        """,
    "relu_derivative": """
        def relu_derivative(z):
            return np.where(np.asarray(z) > 0, 1.0, 0.0)
        """,
}
