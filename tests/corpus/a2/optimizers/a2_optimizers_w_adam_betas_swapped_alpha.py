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
    alpha = lr * np.sqrt(1 - beta_1 ** t) / (1 - beta_2 ** t)
    return np.asarray(w, dtype=float) - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
    if optimizer == "sgd":
        step = lambda w, g, st, t: (w - lr * g, st)
    elif optimizer == "momentum":
        step = lambda w, g, st, t: momentum_step(w, g, st, lr, **hyper)
    elif optimizer == "rmsprop":
        step = lambda w, g, st, t: rmsprop_step(w, g, st, lr, **hyper)
    elif optimizer == "adam":
        def step(w, g, st, t):
            w2, m2, v2 = adam_step(w, g, st[0], st[1], t, lr, **hyper)
            return w2, (m2, v2)
    else:
        raise ValueError("optimizer must be sgd, momentum, rmsprop or adam")

    def zero_state(a):
        return (np.zeros_like(a), np.zeros_like(a)) if optimizer == "adam" else np.zeros_like(a)

    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    params = [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in params]
    states = [(zero_state(W), zero_state(b)) for W, b in params]
    history = []
    t = 1
    for _ in range(epochs):
        for Xb, Yb in sgd.minibatches(X, Y, batch_size, rng):
            _, cache = backprop.forward(Xb, params)
            grads = backprop.backward(params, cache, Yb)
            new_params, new_states = [], []
            for (W, b), (dW, db), (sW, sb) in zip(params, grads, states):
                W, sW = step(W, dW, sW, t)
                b, sb = step(b, db, sb, t)
                new_params.append((W, b))
                new_states.append((sW, sb))
            params, states = new_params, new_states
            t += 1
        history.append(backprop.binary_cross_entropy(backprop.forward(X, params)[0], Y))
    return params, history
