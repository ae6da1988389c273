"""Student-style sources of the named mistakes of perceptron.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function
of the reference the way a student would get it wrong. ``RIGHT`` (where present)
holds correct implementations written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

# mistake name -> [(function, wrong source), ...]
WRONG = {
    "perceptron_predict_ge_zero": [("predict", """
        def predict(X, w, b):
            X = np.asarray(X, dtype=np.float64)
            return np.asarray(X @ np.asarray(w, dtype=np.float64) + b >= 0, dtype=np.int64)
        """)],
    "perceptron_predict_ignores_bias": [("predict", """
        def predict(X, w, b):
            X = np.asarray(X, dtype=np.float64)
            return np.asarray(X @ np.asarray(w, dtype=np.float64) > 0, dtype=np.int64)
        """)],
    "perceptron_predict_not_integer": [("predict", """
        def predict(X, w, b):
            return np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b > 0
        """)],
    "perceptron_update_wrong_sign": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w - lr * (d - y) * x, float(b - lr * (d - y))
        """)],
    "perceptron_bias_not_updated": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w + lr * (d - y) * x, float(b)
        """)],
    "perceptron_update_uses_d": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            return w + lr * d * x, float(b + lr * d)
        """)],
    "perceptron_update_without_lr": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            y = predict(x, w, b)
            return w + (d - y) * x, float(b + (d - y))
        """)],
    "modified_in_place": [("update", """
        def update(w, b, x, d, lr):
            w, x = np.asarray(w, dtype=np.float64), np.asarray(x, dtype=np.float64)
            error = int(d) - int(predict(x, w, b))
            w += lr * error * x
            return w, float(b + lr * error)
        """)],
    "perceptron_train_does_not_stop": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    mistakes += int(predict(x_i, w, b) != d_i)
                    w, b = update(w, b, x_i, d_i, lr)
                errors.append(mistakes)
            return w, b, errors
        """)],
    "perceptron_train_zero_epoch_not_recorded": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    mistakes += int(predict(x_i, w, b) != d_i)
                    w, b = update(w, b, x_i, d_i, lr)
                if mistakes == 0:
                    break
                errors.append(mistakes)
            return w, b, errors
        """)],
    "perceptron_train_counts_after_update": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                mistakes = 0
                for x_i, d_i in zip(X, d):
                    w, b = update(w, b, x_i, d_i, lr)
                    mistakes += int(predict(x_i, w, b) != d_i)
                errors.append(mistakes)
                if mistakes == 0:
                    break
            return w, b, errors
        """)],
    "perceptron_train_counts_after_epoch": [("train", """
        def train(X, d, lr=1.0, epochs=100):
            X, d = np.asarray(X, dtype=np.float64), np.asarray(d)
            w, b, errors = np.zeros(X.shape[1]), 0.0, []
            for _ in range(epochs):
                for x_i, d_i in zip(X, d):
                    w, b = update(w, b, x_i, d_i, lr)
                errors.append(int(np.sum(predict(X, w, b) != d)))
                if errors[-1] == 0:
                    break
            return w, b, errors
        """)],
}


RIGHT: dict = {}
