"""Student-style sources of the named mistakes of dropout.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` (where present)
holds correct implementations written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

# mistake name -> [(function, wrong source), ...]
WRONG = {
    "dropout_rate_is_keep_probability": [
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) < rate) / rate          # CS231n's keep probability p
        """),
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) < rate) / (1.0 - rate)
        """),
    ],
    "dropout_missing_inverted_scaling": [("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (rng.random(shape) >= rate).astype(np.float64)
        """)],
    "dropout_ignores_rng": [
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (np.random.random(shape) >= rate) / (1.0 - rate)
        """),
        ("dropout_mask", """
        def dropout_mask(shape, rate, rng):
            if not 0.0 <= rate < 1.0:
                raise ValueError("bad rate")
            return (np.random.default_rng(0).random(shape) >= rate) / (1.0 - rate)
        """),
    ],
    "dropout_active_at_inference": [("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask, mask
        """)],
    "dropout_eval_scaled_by_keep_prob": [("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A * (1 - rate), None      # the scaling of classic (non-inverted) dropout
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask, mask
        """)],
    "dropout_forward_scaled_twice": [("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A, None
            mask = dropout_mask(A.shape, rate, rng)
            return A * mask / (1.0 - rate), mask
        """)],
    "dropout_backward_ignores_mask": [("dropout_backward", """
        def dropout_backward(dout, mask):
            return np.asarray(dout, dtype=np.float64)
        """)],
    "modified_in_place": [
        ("dropout_forward", """
        def dropout_forward(A, rate, rng, training=True):
            A = np.asarray(A, dtype=np.float64)
            if not training:
                return A, None
            mask = dropout_mask(A.shape, rate, rng)
            A *= mask
            return A, mask
        """),
        ("dropout_backward", """
        def dropout_backward(dout, mask):
            dout = np.asarray(dout, dtype=np.float64)
            if mask is not None:
                dout *= mask
            return dout
        """),
    ],
}


RIGHT: dict = {}
