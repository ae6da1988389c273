"""Student-style sources of the named mistakes of early_stopping.py, and correct variants.

``WRONG[mistake]`` lists ``(function, source)`` pairs: each rewrites ONE function of the
reference the way a student would get it wrong. ``RIGHT`` holds correct implementations
written differently, which must get full marks.
tests/unit/checks/test_named_mistakes.py proves each mistake is caught and named.
"""

from grader.mutants import mistakes_of

_m = mistakes_of("early_stopping")   # the sources shared with the mutants of train

WRONG = {
    "es_patience_off_by_one": [("early_stopping", _m.ES_PATIENCE_OFF_BY_ONE)],
    "es_stops_one_epoch_early": [("early_stopping", _m.ES_STOPS_ONE_EARLY)],
    "es_wait_never_reset": [("early_stopping", _m.ES_WAIT_NEVER_RESET)],
    "es_ignores_min_delta": [("early_stopping", _m.ES_IGNORES_MIN_DELTA)],
    "es_tie_is_improvement": [("early_stopping", _m.ES_TIE_IS_IMPROVEMENT)],
    "es_min_delta_sign_flipped": [("early_stopping", _m.ES_MIN_DELTA_SIGN)],
    "es_stopped_epoch_one_based": [("early_stopping", _m.ES_STOPPED_ONE_BASED)],
    "es_stopped_epoch_never_none": [("early_stopping", _m.ES_NEVER_NONE)],
    "es_compares_with_previous_epoch": [("early_stopping", _m.ES_COMPARES_PREVIOUS)],
    "es_rng_not_passed": [("train_with_early_stopping", _m.TRAIN_RNG_NOT_PASSED)],
    "es_best_weights_from_before_the_epoch": [("train_with_early_stopping", _m.TRAIN_SNAPSHOT_BEFORE)],
    "es_validation_loss_on_training_data": [("train_with_early_stopping", _m.TRAIN_VAL_ON_TRAIN)],
    "es_returns_last_weights": [("train_with_early_stopping", _m.TRAIN_RETURNS_LAST)],
    "es_always_restores_best_weights": [("train_with_early_stopping", _m.TRAIN_ALWAYS_RESTORES)],
    "es_train_patience_off_by_one": [("train_with_early_stopping", _m.TRAIN_PATIENCE_OFF_BY_ONE)],
}

RIGHT = {
    "early_stopping": """
        def early_stopping(val_losses, patience, min_delta=0.0):
            losses = list(np.asarray(val_losses, dtype=float).ravel())
            if not losses:
                return None, 0
            best_epoch = 0
            for epoch in range(1, len(losses)):
                if losses[epoch] < losses[best_epoch] - min_delta:
                    best_epoch = epoch
                elif epoch - best_epoch >= patience:
                    return epoch, best_epoch
            return None, best_epoch
        """,
    "train_with_early_stopping": """
        def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs,
                                      patience, min_delta=0.0, restore_best_weights=True,
                                      rng=None):
            X_val = np.asarray(X_val, dtype=float)
            Y_val = np.asarray(Y_val, dtype=float)
            snapshots, history, val_history = [], [], []
            current = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
            stopped = None
            for epoch in range(max_epochs):
                current, h = train(X, Y, current, lr, batch_size, 1, rng=rng)
                snapshots.append(current)
                history.extend(h)
                val_history.append(binary_cross_entropy(forward(X_val, current)[0], Y_val))
                stopped, best = early_stopping(val_history, patience, min_delta)
                if stopped is not None:
                    break
            stopped, best = early_stopping(val_history, patience, min_delta)
            chosen = snapshots[best] if restore_best_weights and snapshots else current
            return chosen, history, val_history, stopped, best
        """,
}
