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
            return e + 1, best_epoch
    return None, best_epoch


def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs, patience,
                              min_delta=0.0, restore_best_weights=True, rng=None):
    import copy
    history = []
    val_history = []
    best_loss = np.inf
    best_epoch = None
    best_weights = None
    wait = 0
    stopped_epoch = None
    current = copy.deepcopy(list(params))
    for epoch in range(max_epochs):
        current, epoch_hist = sgd.train(X, Y, current, lr, batch_size, epochs=1, rng=rng)
        history.extend(epoch_hist)
        probs, _ = backprop.forward(X_val, current)
        val_loss = backprop.binary_cross_entropy(probs, Y_val)
        val_history.append(val_loss)
        wait += 1
        if val_loss < best_loss - min_delta:
            best_loss, best_epoch, wait = val_loss, epoch, 0
            best_weights = copy.deepcopy(current)
            continue
        if wait >= patience and epoch > 0:
            stopped_epoch = epoch
            break
    if restore_best_weights and best_weights is not None:
        return best_weights, history, val_history, stopped_epoch, best_epoch
    return current, history, val_history, stopped_epoch, best_epoch
