"""Named mistakes of optimizers.py: MUTANTS, the wrong variants built from the reference
(each also written as a student would, in mistake_sources.py).
The mutants of ``train`` run their student-style sources (kept here, shared with
mistake_sources.py) against the reference's other functions.
"""

import textwrap

import numpy as np

from grader.mutants import Mutant

EX = "optimizers"


def _a(x):
    return np.asarray(x, dtype=float)


def _from_source(func, source):
    """A mutant made by running ``source`` (a student-style function) against the reference."""
    def make(ref):
        namespace = {"np": np, "OPTIMIZERS": ("sgd", "momentum", "rmsprop", "adam")}
        for module, names in (("backprop", ("forward", "backward", "binary_cross_entropy")),
                              ("sgd", ("minibatches",)),
                              ("optimizers", ("momentum_step", "rmsprop_step", "adam_step"))):
            for name in names:
                namespace[name] = getattr(getattr(ref, module), name)
        exec(textwrap.dedent(source), namespace)  # noqa: S102 - trusted source of this file

        def run(*args, **kwargs):
            with np.errstate(all="ignore"):
                return namespace[func](*args, **kwargs)
        return run
    return make


def _adam(ref, *, bias=True, inside=False, paper=False, swapped=False, absolute=False):
    def step(w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-7):
        w, g, m, v = _a(w), _a(g), _a(m), _a(v)
        m = beta_1 * m + (1 - beta_1) * g
        v = beta_2 * v + (1 - beta_2) * (np.abs(g) if absolute else g ** 2)
        if paper:       # the paper's form: eps added to the root of the corrected v
            return w - lr * (m / (1 - beta_1 ** t)) / (np.sqrt(v / (1 - beta_2 ** t)) + eps), m, v
        b1, b2 = (beta_2, beta_1) if swapped else (beta_1, beta_2)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) if bias else lr
        denominator = np.sqrt(v + eps) if inside else np.sqrt(v) + eps
        return w - alpha * m / denominator, m, v
    return step


_TRAIN_HEAD = """
def train(X, Y, params, optimizer, lr, batch_size, epochs, rng=None, **hyper):
    X = np.asarray(X, dtype=float); Y = np.asarray(Y, dtype=float)
    if optimizer not in OPTIMIZERS:
        raise ValueError(optimizer)
    flat = [np.array(a, dtype=float) for pair in params for a in pair]
"""
_TRAIN_STEP = """
            pairs = list(zip(flat[0::2], flat[1::2]))
            _, cache = forward(Xb, pairs)
            grads = [g for pair in backward(pairs, cache, Yb) for g in pair]
"""
_TRAIN_UPDATE = """
            for j, g in enumerate(grads):
                if optimizer == "sgd":
                    flat[j] = flat[j] - lr * g
                elif optimizer == "momentum":
                    flat[j], m[j] = momentum_step(flat[j], g, m[j], lr, **hyper)
                elif optimizer == "rmsprop":
                    flat[j], v[j] = rmsprop_step(flat[j], g, v[j], lr, **hyper)
                else:
                    flat[j], m[j], v[j] = adam_step(flat[j], g, m[j], v[j], t, lr, **hyper)
"""
_TRAIN_TAIL = """
        pairs = list(zip(flat[0::2], flat[1::2]))
        history.append(binary_cross_entropy(forward(X, pairs)[0], Y))
    return list(zip(flat[0::2], flat[1::2])), history
"""

TRAIN_T_FROM_ZERO = _TRAIN_HEAD + """
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    t = 0
    history = []
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):""" + _TRAIN_STEP + _TRAIN_UPDATE + """
            t += 1""" + _TRAIN_TAIL

TRAIN_STATE_RESET = _TRAIN_HEAD + """
    t = 0
    history = []
    for epoch in range(epochs):
        m = [np.zeros_like(a) for a in flat]
        v = [np.zeros_like(a) for a in flat]
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            t += 1""" + _TRAIN_STEP + _TRAIN_UPDATE + _TRAIN_TAIL

TRAIN_T_RESET = _TRAIN_HEAD + """
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    history = []
    for epoch in range(epochs):
        t = 0
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            t += 1""" + _TRAIN_STEP + _TRAIN_UPDATE + _TRAIN_TAIL

TRAIN_STATE_SHARED = _TRAIN_HEAD + """
    states = {}            # one state per SHAPE: arrays of one shape share it
    t = 0
    history = []
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            t += 1""" + _TRAIN_STEP + """
            for j, g in enumerate(grads):
                st = states.setdefault(flat[j].shape, [np.zeros_like(g), np.zeros_like(g)])
                if optimizer == "sgd":
                    flat[j] = flat[j] - lr * g
                elif optimizer == "momentum":
                    flat[j], st[0] = momentum_step(flat[j], g, st[0], lr, **hyper)
                elif optimizer == "rmsprop":
                    flat[j], st[1] = rmsprop_step(flat[j], g, st[1], lr, **hyper)
                else:
                    flat[j], st[0], st[1] = adam_step(flat[j], g, st[0], st[1], t, lr, **hyper)
""" + _TRAIN_TAIL

TRAIN_SHUFFLES_ONCE = _TRAIN_HEAD + """
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    t = 0
    history = []
    batches = list(minibatches(X, Y, batch_size, rng))
    for epoch in range(epochs):
        for Xb, Yb in batches:
            t += 1""" + _TRAIN_STEP + _TRAIN_UPDATE + _TRAIN_TAIL

TRAIN_BIAS_STATE_DROPPED = _TRAIN_HEAD + """
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    t = 0
    history = []
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            t += 1""" + _TRAIN_STEP + _TRAIN_UPDATE + """
            for j in range(1, len(flat), 2):      # the biases' state is never kept
                m[j] = np.zeros_like(flat[j])
                v[j] = np.zeros_like(flat[j])""" + _TRAIN_TAIL

TRAIN_IGNORES_HYPER = _TRAIN_HEAD + """
    m = [np.zeros_like(a) for a in flat]
    v = [np.zeros_like(a) for a in flat]
    t = 0
    history = []
    hyper = {}
    for epoch in range(epochs):
        for Xb, Yb in minibatches(X, Y, batch_size, rng):
            t += 1""" + _TRAIN_STEP + _TRAIN_UPDATE + _TRAIN_TAIL

MUTANTS = {m.name: m for m in (
    Mutant("adam_without_bias_correction", EX, "adam_step", lambda ref: _adam(ref, bias=False)),
    Mutant("adam_eps_inside_root", EX, "adam_step", lambda ref: _adam(ref, inside=True)),
    Mutant("rmsprop_eps_outside_root", EX, "rmsprop_step",
           lambda ref: lambda w, g, s, lr, rho=0.9, eps=1e-7: (
               _a(w) - lr * _a(g) / (np.sqrt(rho * _a(s) + (1 - rho) * _a(g) ** 2) + eps),
               rho * _a(s) + (1 - rho) * _a(g) ** 2)),
    Mutant("momentum_velocity_sign_flipped", EX, "momentum_step",
           lambda ref: lambda w, g, velocity, lr, momentum=0.9: (
               _a(w) - (momentum * _a(velocity) + lr * _a(g)),
               momentum * _a(velocity) + lr * _a(g))),
    Mutant("momentum_gradient_sign_flipped", EX, "momentum_step",
           lambda ref: lambda w, g, velocity, lr, momentum=0.9: (
               _a(w) + momentum * _a(velocity) + lr * _a(g),
               momentum * _a(velocity) + lr * _a(g))),
    Mutant("adam_eps_added_to_corrected_v", EX, "adam_step", lambda ref: _adam(ref, paper=True)),
    Mutant("adam_betas_swapped_in_correction", EX, "adam_step",
           lambda ref: _adam(ref, swapped=True)),
    Mutant("adam_v_accumulates_abs_g", EX, "adam_step", lambda ref: _adam(ref, absolute=True)),
    Mutant("rmsprop_uses_old_s", EX, "rmsprop_step",
           lambda ref: lambda w, g, s, lr, rho=0.9, eps=1e-7: (
               _a(w) - lr * _a(g) / np.sqrt(_a(s) + eps), rho * _a(s) + (1 - rho) * _a(g) ** 2)),
    Mutant("rmsprop_rho_swapped", EX, "rmsprop_step",
           lambda ref: lambda w, g, s, lr, rho=0.9, eps=1e-7: (
               _a(w) - lr * _a(g) / np.sqrt((1 - rho) * _a(s) + rho * _a(g) ** 2 + eps),
               (1 - rho) * _a(s) + rho * _a(g) ** 2)),
    Mutant("momentum_subtracts_velocity", EX, "momentum_step",
           lambda ref: lambda w, g, velocity, lr, momentum=0.9: (
               _a(w) - (momentum * _a(velocity) - lr * _a(g)),
               momentum * _a(velocity) - lr * _a(g))),
    Mutant("momentum_velocity_without_lr", EX, "momentum_step",
           lambda ref: lambda w, g, velocity, lr, momentum=0.9: (
               _a(w) + lr * (momentum * _a(velocity) - _a(g)), momentum * _a(velocity) - _a(g))),
    Mutant("momentum_default_zero", EX, "momentum_step",
           lambda ref: lambda w, g, velocity, lr, momentum=0.0: ref.optimizers.momentum_step(
               w, g, velocity, lr, momentum)),
    Mutant("rmsprop_default_eps_1e_8", EX, "rmsprop_step",
           lambda ref: lambda w, g, s, lr, rho=0.9, eps=1e-8: ref.optimizers.rmsprop_step(
               w, g, s, lr, rho, eps)),
    Mutant("adam_default_eps_1e_8", EX, "adam_step",
           lambda ref: lambda w, g, m, v, t, lr, beta_1=0.9, beta_2=0.999, eps=1e-8:
           ref.optimizers.adam_step(w, g, m, v, t, lr, beta_1, beta_2, eps)),
    Mutant("optimizers_train_shuffles_once", EX, "train", _from_source("train", TRAIN_SHUFFLES_ONCE)),
    Mutant("optimizer_bias_state_not_kept", EX, "train",
           _from_source("train", TRAIN_BIAS_STATE_DROPPED)),
    Mutant("adam_t_from_zero", EX, "train", _from_source("train", TRAIN_T_FROM_ZERO)),
    Mutant("optimizer_state_reset_every_epoch", EX, "train",
           _from_source("train", TRAIN_STATE_RESET)),
    Mutant("adam_t_reset_every_epoch", EX, "train", _from_source("train", TRAIN_T_RESET)),
    Mutant("optimizer_state_shared_across_arrays", EX, "train",
           _from_source("train", TRAIN_STATE_SHARED)),
    Mutant("train_ignores_hyperparameters", EX, "train",
           _from_source("train", TRAIN_IGNORES_HYPER)),
)}
