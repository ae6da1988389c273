"""Student-style sources of the named mistakes of optimizers.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function of the
reference the way a student would get it wrong. ``RIGHT`` holds correct implementations
written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

from grader.mutants import mistakes_of

_m = mistakes_of("optimizers")   # the sources shared with the mutants of train

WRONG = {
    "adam_without_bias_correction": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            m = beta_1 * np.asarray(m) + (1 - beta_1) * np.asarray(g)
            v = beta_2 * np.asarray(v) + (1 - beta_2) * np.asarray(g) ** 2
            return np.asarray(w) - lr * m / (np.sqrt(v) + eps), m, v
        """)],
    "adam_eps_inside_root": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            g = np.asarray(g, dtype=float)
            m = beta_1 * np.asarray(m) + (1 - beta_1) * g
            v = beta_2 * np.asarray(v) + (1 - beta_2) * g * g
            alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            return np.asarray(w) - alpha * m / np.sqrt(v + eps), m, v
        """)],
    "rmsprop_eps_outside_root": [("rmsprop_step", """
        def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
            g = np.asarray(g, dtype=float)
            s = rho * np.asarray(s) + (1 - rho) * g ** 2
            return np.asarray(w) - lr * g / (np.sqrt(s) + eps), s
        """)],
    "momentum_velocity_sign_flipped": [("momentum_step", """
        def momentum_step(w, g, velocity, lr, momentum=0.9):
            v = momentum * np.asarray(velocity) + lr * np.asarray(g)
            return np.asarray(w) - v, v
        """)],
    "momentum_gradient_sign_flipped": [("momentum_step", """
        def momentum_step(w, g, velocity, lr, momentum=0.9):
            v = momentum * np.asarray(velocity) + lr * np.asarray(g)
            return np.asarray(w) + v, v
        """)],
    "adam_eps_added_to_corrected_v": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            g = np.asarray(g, dtype=float)
            m = beta_1 * np.asarray(m) + (1 - beta_1) * g
            v = beta_2 * np.asarray(v) + (1 - beta_2) * g ** 2
            m_hat = m / (1 - beta_1 ** t)
            v_hat = v / (1 - beta_2 ** t)
            return np.asarray(w) - lr * m_hat / (np.sqrt(v_hat) + eps), m, v
        """)],
    "adam_betas_swapped_in_correction": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            g = np.asarray(g, dtype=float)
            m = beta_1 * np.asarray(m) + (1 - beta_1) * g
            v = beta_2 * np.asarray(v) + (1 - beta_2) * g ** 2
            alpha = lr * np.sqrt(1 - beta_1 ** t) / (1 - beta_2 ** t)
            return np.asarray(w) - alpha * m / (np.sqrt(v) + eps), m, v
        """)],
    "adam_v_accumulates_abs_g": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            g = np.asarray(g, dtype=float)
            m = beta_1 * np.asarray(m) + (1 - beta_1) * g
            v = beta_2 * np.asarray(v) + (1 - beta_2) * np.abs(g)
            alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            return np.asarray(w) - alpha * m / (np.sqrt(v) + eps), m, v
        """)],
    "rmsprop_uses_old_s": [("rmsprop_step", """
        def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
            g = np.asarray(g, dtype=float); s = np.asarray(s, dtype=float)
            w_new = np.asarray(w) - lr * g / np.sqrt(s + eps)
            return w_new, rho * s + (1 - rho) * g ** 2
        """)],
    "rmsprop_rho_swapped": [("rmsprop_step", """
        def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
            g = np.asarray(g, dtype=float)
            s = (1 - rho) * np.asarray(s) + rho * g ** 2
            return np.asarray(w) - lr * g / np.sqrt(s + eps), s
        """)],
    "momentum_subtracts_velocity": [("momentum_step", """
        def momentum_step(w, g, velocity, lr, momentum=0.9):
            v = momentum * np.asarray(velocity) - lr * np.asarray(g)
            return np.asarray(w) - v, v
        """)],
    "momentum_velocity_without_lr": [("momentum_step", """
        def momentum_step(w, g, velocity, lr, momentum=0.9):
            v = momentum * np.asarray(velocity) - np.asarray(g)
            return np.asarray(w) + lr * v, v
        """)],
    "momentum_default_zero": [("momentum_step", """
        def momentum_step(w, g, velocity, lr, momentum=0.0):
            velocity = momentum * np.asarray(velocity) - lr * np.asarray(g)
            return np.asarray(w) + velocity, velocity
        """)],
    "rmsprop_default_eps_1e_8": [("rmsprop_step", """
        def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-8):
            g = np.asarray(g, dtype=float)
            s = rho * np.asarray(s) + (1 - rho) * g ** 2
            return np.asarray(w) - lr * g / np.sqrt(s + eps), s
        """)],
    "adam_default_eps_1e_8": [("adam_step", """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-8):
            g = np.asarray(g, dtype=float)
            m = beta_1 * np.asarray(m) + (1 - beta_1) * g
            v = beta_2 * np.asarray(v) + (1 - beta_2) * g ** 2
            alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
            return np.asarray(w) - alpha * m / (np.sqrt(v) + eps), m, v
        """)],
    "optimizers_train_shuffles_once": [("train", _m.TRAIN_SHUFFLES_ONCE)],
    "optimizer_bias_state_not_kept": [("train", _m.TRAIN_BIAS_STATE_DROPPED)],
    "adam_t_from_zero": [("train", _m.TRAIN_T_FROM_ZERO)],
    "optimizer_state_reset_every_epoch": [("train", _m.TRAIN_STATE_RESET)],
    "adam_t_reset_every_epoch": [("train", _m.TRAIN_T_RESET)],
    "optimizer_state_shared_across_arrays": [("train", _m.TRAIN_STATE_SHARED)],
    "train_ignores_hyperparameters": [("train", _m.TRAIN_IGNORES_HYPER)],
    "train_without_value_error": [("train", _m.TRAIN_IGNORES_HYPER.replace(
        "    if optimizer not in OPTIMIZERS:\n        raise ValueError(optimizer)\n", "").replace(
        "hyper = {}", "hyper = dict(hyper)"))],
}

RIGHT = {
    "momentum_step": """
        def momentum_step(w, g, velocity, lr, momentum=0.9):
            velocity = np.multiply(momentum, velocity) - np.multiply(lr, g)
            return np.add(w, velocity), velocity
        """,
    "rmsprop_step": """
        def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
            g = np.array(g, dtype=np.float64)
            s_new = np.array(s, dtype=np.float64) * rho
            s_new += (1.0 - rho) * np.square(g)
            return np.array(w, dtype=np.float64) - lr * g / np.sqrt(s_new + eps), s_new
        """,
    "adam_step": """
        def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
            g = np.asarray(g, dtype=float)
            m = np.asarray(m) + (1 - beta_1) * (g - np.asarray(m))
            v = np.asarray(v) + (1 - beta_2) * (g * g - np.asarray(v))
            m_hat = m / (1 - beta_1 ** t)
            v_hat = v / (1 - beta_2 ** t)
            step = lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta_2 ** t))
            return np.asarray(w) - step, m, v
        """,
    "train": """
        def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
            steps = {"sgd": None, "momentum": momentum_step, "rmsprop": rmsprop_step,
                     "adam": adam_step}
            if optimizer not in steps:
                raise ValueError(f"unknown optimizer {optimizer}")
            X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
            layers = [[np.array(W, dtype=float), np.array(b, dtype=float)] for W, b in params]
            state = [[{"m": np.zeros_like(a), "v": np.zeros_like(a)} for a in layer]
                     for layer in layers]
            history, step = [], 0
            for _ in range(epochs):
                for Xb, Yb in minibatches(X, Y, batch_size, rng):
                    current = [tuple(layer) for layer in layers]
                    grads = backward(current, forward(Xb, current)[1], Yb)
                    step += 1
                    for l, pair in enumerate(grads):
                        for i, g in enumerate(pair):
                            st, w = state[l][i], layers[l][i]
                            if optimizer == "sgd":
                                layers[l][i] = w - lr * g
                            elif optimizer == "momentum":
                                layers[l][i], st["m"] = momentum_step(w, g, st["m"], lr, **hyper)
                            elif optimizer == "rmsprop":
                                layers[l][i], st["v"] = rmsprop_step(w, g, st["v"], lr, **hyper)
                            else:
                                layers[l][i], st["m"], st["v"] = adam_step(
                                    w, g, st["m"], st["v"], step, lr, **hyper)
                current = [tuple(layer) for layer in layers]
                history.append(float(binary_cross_entropy(forward(X, current)[0], Y)))
            return [tuple(layer) for layer in layers], history
        """,
}
