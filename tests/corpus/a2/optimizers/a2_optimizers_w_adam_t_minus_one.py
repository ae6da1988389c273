"""Momentum, RMSProp and Adam steps (as Keras computes them) and a training loop."""
import numpy as np

import backprop
import sgd


def momentum_step(w, g, velocity, lr, momentum=0.9):
    v = np.multiply(momentum, velocity) - np.multiply(lr, g)
    w_new = np.add(w, v)
    return w_new, v


def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
    g = np.asarray(g, dtype=float)
    s_new = rho * np.asarray(s, dtype=float) + (1 - rho) * g ** 2
    return np.asarray(w, dtype=float) - lr * g / np.sqrt(s_new + eps), s_new


def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
    g = np.asarray(g, dtype=float)
    m_new = beta_1 * np.asarray(m, dtype=float) + (1 - beta_1) * g
    v_new = beta_2 * np.asarray(v, dtype=float) + (1 - beta_2) * g ** 2
    k = t - 1  # steps counted from 0
    alpha = lr * np.sqrt(1 - beta_2 ** k) / (1 - beta_1 ** k)
    return np.asarray(w, dtype=float) - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
    valid = {"sgd", "momentum", "rmsprop", "adam"}
    if optimizer not in valid:
        raise ValueError(f"optimizer must be one of {sorted(valid)}, got {optimizer!r}")
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    params = [[np.asarray(W, dtype=float), np.asarray(b, dtype=float)] for W, b in params]
    state = {}
    for l in range(len(params)):
        for j in range(2):
            state[(l, j)] = {"m": np.zeros_like(params[l][j]), "v": np.zeros_like(params[l][j])}
    step_count = 0
    history = []
    for _ in range(epochs):
        for Xb, Yb in sgd.minibatches(X, Y, batch_size, rng=rng):
            tuples = [tuple(p) for p in params]
            A, cache = backprop.forward(Xb, tuples)
            grads = backprop.backward(tuples, cache, Yb)
            step_count += 1
            for l in range(len(params)):
                for j in range(2):
                    p, g, st = params[l][j], grads[l][j], state[(l, j)]
                    if optimizer == "sgd":
                        params[l][j] = p - lr * g
                    elif optimizer == "momentum":
                        params[l][j], st["m"] = momentum_step(p, g, st["m"], lr, **hyper)
                    elif optimizer == "rmsprop":
                        params[l][j], st["v"] = rmsprop_step(p, g, st["v"], lr, **hyper)
                    else:
                        params[l][j], st["m"], st["v"] = adam_step(p, g, st["m"], st["v"], step_count, lr, **hyper)
        history.append(backprop.binary_cross_entropy(backprop.forward(X, [tuple(p) for p in params])[0], Y))
    return [tuple(p) for p in params], history
