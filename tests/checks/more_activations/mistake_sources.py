"""Student-style sources of the named mistakes of more_activations.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function of the
reference the way a student would get it wrong. ``RIGHT`` holds correct implementations
written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

WRONG = {
    "leaky_relu_ignores_alpha": [("leaky_relu", """
        def leaky_relu(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, z, 0.01 * z)
        """)],
    "leaky_relu_derivative_one_at_zero": [("leaky_relu_derivative", """
        def leaky_relu_derivative(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.where(z >= 0, 1.0, alpha)
        """)],
    "leaky_relu_derivative_ignores_alpha": [("leaky_relu_derivative", """
        def leaky_relu_derivative(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            d = np.ones_like(z)
            d[z <= 0] = 0.01
            return d
        """)],
    "leaky_relu_derivative_returns_leaky_relu": [("leaky_relu_derivative", """
        def leaky_relu_derivative(z, alpha=0.01):
            return leaky_relu(z, alpha)
        """)],
    "swish_derivative_missing_sigmoid_term": [("swish_derivative", """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            s = 0.5 * (1 + np.tanh(z / 2))
            return z * s * (1 - s)
        """)],
    "swish_derivative_missing_product_term": [("swish_derivative", """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            return 0.5 * (1 + np.tanh(z / 2))
        """)],
    "swish_derivative_returns_swish": [("swish_derivative", """
        def swish_derivative(z):
            return swish(z)
        """)],
    "swish_returns_sigmoid": [("swish", """
        def swish(z):
            z = np.asarray(z, dtype=float)
            return 0.5 * (1 + np.tanh(z / 2))
        """)],
    "leaky_relu_default_alpha_0_2": [("leaky_relu", """
        def leaky_relu(z, alpha=0.2):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, z, alpha * z)
        """)],
    "leaky_relu_max_form": [("leaky_relu", """
        def leaky_relu(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.maximum(z, alpha * z)
        """)],
    "leaky_relu_constant_alpha": [("leaky_relu", """
        def leaky_relu(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, z, alpha)
        """)],
    "leaky_relu_derivative_alpha_times_z": [("leaky_relu_derivative", """
        def leaky_relu_derivative(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return np.where(z > 0, 1.0, alpha * z)
        """)],
    "swish_uses_tanh": [("swish", """
        def swish(z):
            z = np.asarray(z, dtype=float)
            return z * np.tanh(z)
        """)],
    "swish_derivative_missing_a_sigmoid_factor": [("swish_derivative", """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            s = 0.5 * (1 + np.tanh(z / 2))
            return s + z * (1 - s)
        """)],
    "swish_derivative_swish_plus_sigmoid_derivative": [("swish_derivative", """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            s = 0.5 * (1 + np.tanh(z / 2))
            return swish(z) + s * (1 - s)
        """)],
    "overflow_in_exp": [("swish", """
        def swish(z):
            z = np.asarray(z, dtype=float)
            return z / (1 + np.exp(-z))
        """), ("swish_derivative", """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            s = 1 / (1 + np.exp(-z))
            return s + z * s * (1 - s)
        """)],
}

RIGHT = {
    "leaky_relu": """
        def leaky_relu(z, alpha=0.01):
            z = np.array(z, dtype=float)
            out = z.copy()
            out[z <= 0] *= alpha
            return out
        """,
    "leaky_relu_derivative": """
        def leaky_relu_derivative(z, alpha=0.01):
            z = np.asarray(z, dtype=float)
            return (z > 0) * 1.0 + (z <= 0) * alpha
        """,
    "swish": """
        def swish(z):
            z = np.asarray(z, dtype=float)
            return z * 0.5 * (1.0 + np.tanh(0.5 * z))
        """,
    "swish_derivative": """
        def swish_derivative(z):
            z = np.asarray(z, dtype=float)
            s = 0.5 * (1.0 + np.tanh(0.5 * z))
            return s * (1 + z * (1 - s))
        """,
}
