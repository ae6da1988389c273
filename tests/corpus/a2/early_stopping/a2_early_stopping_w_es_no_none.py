"""Early stopping with Keras's EarlyStopping rule."""
import numpy as np

import backprop
import sgd


def early_stopping(val_losses, patience, min_delta=0.0):
    best = None
    best_epoch = None
    wait = 0
    for e, loss in enumerate(val_losses):
        wait += 1
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, e, 0
        elif wait >= patience and e > 0:
            return e, best_epoch
    return len(val_losses) - 1, best_epoch


def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs, patience,
                              min_delta=0.0, restore_best_weights=True, rng=None):
    snapshots, history, val_history = [], [], []
    stopped_epoch, best_epoch = None, None
    for e in range(max_epochs):
        params, h = sgd.train(X, Y, params, lr, batch_size, 1, rng=rng)
        snapshots.append(params)
        history.append(h[-1])
        A_val, _ = backprop.forward(X_val, params)
        val_history.append(backprop.binary_cross_entropy(A_val, Y_val))
        stopped_epoch, best_epoch = early_stopping(val_history, patience, min_delta)
        if stopped_epoch is not None:
            break
    if restore_best_weights and best_epoch is not None:
        params = snapshots[best_epoch]
    return params, history, val_history, stopped_epoch, best_epoch
