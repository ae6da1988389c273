"""Early stopping with Keras's EarlyStopping rule."""
import numpy as np

import backprop
import sgd


def early_stopping(val_losses, patience, min_delta=0.0):
    best_epoch = None
    wait = 0
    prev = None
    for e, loss in enumerate(val_losses):
        wait += 1
        if prev is None or loss < prev - min_delta:
            wait = 0
            if best_epoch is None or loss < val_losses[best_epoch]:
                best_epoch = e
        elif wait >= patience and e > 0:
            return e, best_epoch
        prev = loss
    return None, best_epoch


def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs, patience,
                              min_delta=0.0, restore_best_weights=True, rng=None):
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    X_val = np.asarray(X_val, dtype=float)
    Y_val = np.asarray(Y_val, dtype=float)
    history, val_history = [], []
    best, best_epoch, best_params, wait = None, None, None, 0
    stopped_epoch = None
    for e in range(max_epochs):
        params, h = sgd.train(X, Y, params, lr, batch_size, 1, rng=rng)
        history.append(h[0])
        val = backprop.binary_cross_entropy(backprop.forward(X_val, params)[0], Y_val)
        val_history.append(val)
        wait += 1
        if best is None or val < best - min_delta:
            best, best_epoch, wait = val, e, 0
            best_params = [(W.copy(), b.copy()) for W, b in params]
        elif wait >= patience and e > 0:
            stopped_epoch = e
            break
    if restore_best_weights and best_params is not None:
        params = best_params
    return params, history, val_history, stopped_epoch, best_epoch
