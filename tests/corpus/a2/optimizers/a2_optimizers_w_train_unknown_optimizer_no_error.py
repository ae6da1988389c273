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
    alpha = lr * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    w_new = np.asarray(w, dtype=float) - alpha * m_new / (np.sqrt(v_new) + eps)
    return w_new, m_new, v_new


def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
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
                    arrays[k], s1[k] = momentum_step(arrays[k], g, s1[k], lr, **hyper)
                elif optimizer == "rmsprop":
                    arrays[k], s1[k] = rmsprop_step(arrays[k], g, s1[k], lr, **hyper)
                else:
                    arrays[k], s1[k], s2[k] = adam_step(arrays[k], g, s1[k], s2[k], t, lr, **hyper)
        cur = [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(arrays) // 2)]
        history.append(backprop.binary_cross_entropy(backprop.forward(X, cur)[0], Y))
    return [(arrays[2 * l], arrays[2 * l + 1]) for l in range(len(arrays) // 2)], history
