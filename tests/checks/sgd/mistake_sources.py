"""Student-style sources of the named mistakes of sgd.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` (where present)
holds correct implementations written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

_MINIBATCHES = """\
def minibatches(X, Y, batch_size, rng=None):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    n = X.shape[0]
"""


def _train(history_line: str, before_line: str = "") -> str:
    return f"""\
def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for _ in range(epochs):
        {before_line or "pass"}
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            _, cache = forward(X_batch, params, masks)
            params = sgd_step(params, backward(params, cache, Y_batch), lr)
        {history_line}
    return params, history
"""


# mistake name -> [(function, wrong source), ...]
WRONG = {
    "minibatches_drops_last_batch": [("minibatches", _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], Y[rows]
""")],
    "minibatches_with_replacement": [("minibatches", _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.choice(n, size=n, replace=True)
    return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]])
            for s in range(0, n, batch_size)]
""")],
    "minibatches_unpaired_shuffle": [("minibatches", _MINIBATCHES + """\
    if rng is not None:
        X = X[rng.permutation(n)]
        Y = Y[rng.permutation(n)]
    return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, n, batch_size)]
"""), ("minibatches", _MINIBATCHES + """\
    if rng is not None:
        X = X[rng.permutation(n)]   # Y is left in its order
    return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, n, batch_size)]
""")],
    "sgd_step_sign_flipped": [("sgd_step", """
        def sgd_step(params, grads, lr):
            return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
        """)],
    "sgd_step_in_place": [("sgd_step", """
        def sgd_step(params, grads, lr):
            for (W, b), (dW, db) in zip(params, grads):
                W -= lr * dW
                b -= lr * db
            return params
        """)],
    "sgd_train_history_last_batch": [("train", _train(
        "history.append(binary_cross_entropy(forward(X_batch, params)[0], Y_batch))"))],
    "sgd_train_history_before_epoch": [("train", _train(
        "history.append(loss)", "loss = binary_cross_entropy(forward(X, params)[0], Y)"))],
    "train_shuffles_once": [("train", """
        def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
            X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
            params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
            history = []
            if rng is not None:                   # one permutation for the whole training
                perm = rng.permutation(X.shape[0])
                X_s, Y_s = X[perm], Y[perm]
            else:
                X_s, Y_s = X, Y
            for _ in range(epochs):
                for X_batch, Y_batch in minibatches(X_s, Y_s, batch_size, None):
                    masks = None
                    if dropout_rate > 0:
                        masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)
                                 for W, _ in params[:-1]]
                    _, cache = forward(X_batch, params, masks)
                    params = sgd_step(params, backward(params, cache, Y_batch), lr)
                history.append(binary_cross_entropy(forward(X, params)[0], Y))
            return params, history
        """)],
    "modified_in_place": [("minibatches", _MINIBATCHES + """\
    if rng is not None:
        state = rng.bit_generator.state
        rng.shuffle(X)                  # shuffles the caller's arrays
        rng.bit_generator.state = state
        rng.shuffle(Y)
    return [(X[s:s + batch_size].copy(), Y[s:s + batch_size].copy())
            for s in range(0, n, batch_size)]
""")],
}

# Correct implementations written differently from the reference: full marks.
RIGHT = {
    "minibatches": _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.choice(n, size=n, replace=False)
    start = 0
    while start < n:
        rows = order[start:start + batch_size]
        yield X[rows], Y[rows]
        start += batch_size
""",
    "sgd_step": """
def sgd_step(params, grads, lr):
    new = []
    for layer, grad in zip(params, grads):
        W, b = (np.array(a, dtype=float) for a in layer)
        W -= lr * np.asarray(grad[0])
        b -= lr * np.asarray(grad[1])
        new.append((W, b))
    return new
""",
    # Masks drawn from the last hidden layer to the first, and before the forward pass.
    "train": """
def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for epoch in range(epochs):
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                sizes = [W.shape[1] for W, _ in params[:-1]]
                masks = [dropout_mask((len(X_batch), k), dropout_rate, rng)
                         for k in reversed(sizes)][::-1]
            A_L, cache = forward(X_batch, params, masks)
            grads = backward(params, cache, Y_batch)
            params = sgd_step(params, grads, lr)
        A_L, _ = forward(X, params)
        history.append(float(binary_cross_entropy(A_L, Y)))
    return params, history
""",
}
