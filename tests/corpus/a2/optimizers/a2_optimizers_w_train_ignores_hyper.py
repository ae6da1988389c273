"""Momentum, RMSProp and Adam steps (as Keras computes them) and a training loop."""
import math
import numpy as np

import backprop
import sgd


def momentum_step(w, g, velocity, lr, momentum=0.9):
    w = np.array(w, dtype=float)
    v = np.array(velocity, dtype=float)
    v *= momentum                      # our own copies, so updating them is fine
    v -= lr * np.asarray(g, dtype=float)
    w += v
    return w, v


def rmsprop_step(w, g, s, lr, rho=0.9, eps=1e-7):
    g = np.asarray(g, dtype=float)
    s = np.asarray(s, dtype=float)
    s_new = s * rho + (1.0 - rho) * np.square(g)
    step = lr * g / np.sqrt(s_new + eps)  # eps inside the root, like Keras
    return np.asarray(w, dtype=float) - step, s_new


def adam_step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
    g = np.asarray(g, dtype=float)
    m = np.asarray(m, dtype=float)
    v = np.asarray(v, dtype=float)
    # the way Keras writes the moment updates
    m_new = m + (g - m) * (1 - beta_1)
    v_new = v + (np.square(g) - v) * (1 - beta_2)
    alpha = lr * math.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    return np.asarray(w, dtype=float) - alpha * m_new / (np.sqrt(v_new) + eps), m_new, v_new


def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
    if optimizer not in ("sgd", "momentum", "rmsprop", "adam"):
        raise ValueError("unknown optimizer %r" % (optimizer,))
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y, dtype=float)
    arrays = [np.array(p, dtype=float) for Wb in params for p in Wb]
    s1 = [np.zeros_like(a) for a in arrays]
    s2 = [np.zeros_like(a) for a in arrays]
    t = 0
    history = []
    for epoch in range(epochs):
        for Xb, Yb in sgd.minibatches(X, Y, batch_size, rng):
            cur = [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(arrays) // 2)]
            _, cache = backprop.forward(Xb, cur)
            grads = [g for dWb in backprop.backward(cur, cache, Yb) for g in dWb]
            t += 1
            for k, g in enumerate(grads):
                if optimizer == "sgd":
                    arrays[k] = arrays[k] - lr * g
                elif optimizer == "momentum":
                    arrays[k], s1[k] = momentum_step(arrays[k], g, s1[k], lr)
                elif optimizer == "rmsprop":
                    arrays[k], s1[k] = rmsprop_step(arrays[k], g, s1[k], lr)
                else:
                    arrays[k], s1[k], s2[k] = adam_step(arrays[k], g, s1[k], s2[k], t, lr)
        cur = [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(arrays) // 2)]
        history.append(backprop.binary_cross_entropy(backprop.forward(X, cur)[0], Y))
    return [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(arrays) // 2)], history
