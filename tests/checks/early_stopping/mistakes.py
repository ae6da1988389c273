"""Named mistakes of early_stopping.py: MUTANTS, the wrong variants built from the reference
(each also written as a student would, in mistake_sources.py).
Every mutant runs its student-style source (kept here, shared with
mistake_sources.py) against the reference's other functions (sgd.train, backprop).
"""

import textwrap

import numpy as np

from grader.mutants import Mutant

EX = "early_stopping"


def _from_source(func, source):
    def make(ref):
        namespace = {"np": np, "train": ref.sgd.train, "forward": ref.backprop.forward,
                     "binary_cross_entropy": ref.backprop.binary_cross_entropy,
                     "early_stopping": ref.early_stopping.early_stopping}
        exec(textwrap.dedent(source), namespace)  # noqa: S102 - trusted source of this file
        return namespace[func]
    return make


def _rule(condition_stop="wait >= patience and epoch > 0", improvement="loss < best - min_delta",
          reset="wait = 0"):
    return f"""
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if best is None or {improvement}:
            best, best_epoch = loss, epoch
            {reset}
        elif {condition_stop}:
            return epoch, best_epoch
    return None, best_epoch
"""


ES_PATIENCE_OFF_BY_ONE = _rule(condition_stop="wait > patience and epoch > 0")
ES_STOPS_ONE_EARLY = _rule(condition_stop="wait >= patience - 1 and epoch > 0")
ES_WAIT_NEVER_RESET = _rule(reset="pass")
ES_IGNORES_MIN_DELTA = _rule(improvement="loss < best")
ES_TIE_IS_IMPROVEMENT = _rule(improvement="loss <= best - min_delta")
ES_MIN_DELTA_SIGN = _rule(improvement="loss < best + min_delta")
ES_STOPPED_ONE_BASED = """
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience and epoch > 0:
            return epoch + 1, best_epoch
    return None, best_epoch
"""
ES_NEVER_NONE = """
def early_stopping(val_losses, patience, min_delta=0.0):
    best, best_epoch, wait = None, 0, 0
    epoch = 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if best is None or loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        elif wait >= patience and epoch > 0:
            return epoch, best_epoch
    return epoch, best_epoch
"""
ES_COMPARES_PREVIOUS = """
def early_stopping(val_losses, patience, min_delta=0.0):
    previous, best, best_epoch, wait = None, None, 0, 0
    for epoch, loss in enumerate(val_losses):
        wait += 1
        if previous is None or loss < previous - min_delta:
            wait = 0
            if best is None or loss < best:
                best, best_epoch = loss, epoch
        elif wait >= patience and epoch > 0:
            return epoch, best_epoch
        previous = loss
    return None, best_epoch
"""


def _train(restore="params = best_params if restore_best_weights else params",
           stop="wait >= patience and epoch > 0"):
    return f"""
def train_with_early_stopping(X, Y, X_val, Y_val, params, lr, batch_size, max_epochs, patience,
                              min_delta=0.0, restore_best_weights=True, rng=None):
    history, val_history = [], []
    best, best_epoch, best_params, wait, stopped = None, 0, params, 0, None
    for epoch in range(max_epochs):
        params, losses = train(X, Y, params, lr, batch_size, 1, rng)
        history.append(losses[-1])
        val_history.append(binary_cross_entropy(forward(np.asarray(X_val, dtype=float),
                                                        params)[0], np.asarray(Y_val)))
        wait += 1
        if best is None or val_history[-1] < best - min_delta:
            best, best_epoch, best_params, wait = val_history[-1], epoch, params, 0
        elif {stop}:
            stopped = epoch
            break
    {restore}
    return params, history, val_history, stopped, best_epoch
"""


TRAIN_RETURNS_LAST = _train(restore="pass")
TRAIN_ALWAYS_RESTORES = _train(restore="params = best_params")
TRAIN_PATIENCE_OFF_BY_ONE = _train(stop="wait > patience and epoch > 0")
TRAIN_RNG_NOT_PASSED = _train().replace("train(X, Y, params, lr, batch_size, 1, rng)",
                                        "train(X, Y, params, lr, batch_size, 1)")
TRAIN_SNAPSHOT_BEFORE = _train().replace(
    "        params, losses = train(X, Y, params, lr, batch_size, 1, rng)\n",
    "        before = params\n        params, losses = train(X, Y, params, lr, batch_size, 1, rng)\n"
).replace("best_params, wait = val_history[-1], epoch, params, 0",
          "best_params, wait = val_history[-1], epoch, before, 0")
TRAIN_VAL_ON_TRAIN = _train().replace("forward(np.asarray(X_val, dtype=float),",
                                      "forward(np.asarray(X, dtype=float),").replace(
    "params)[0], np.asarray(Y_val)))", "params)[0], np.asarray(Y)))")

MUTANTS = {m.name: m for m in (
    Mutant("es_patience_off_by_one", EX, "early_stopping",
           _from_source("early_stopping", ES_PATIENCE_OFF_BY_ONE)),
    Mutant("es_stops_one_epoch_early", EX, "early_stopping",
           _from_source("early_stopping", ES_STOPS_ONE_EARLY)),
    Mutant("es_wait_never_reset", EX, "early_stopping",
           _from_source("early_stopping", ES_WAIT_NEVER_RESET)),
    Mutant("es_ignores_min_delta", EX, "early_stopping",
           _from_source("early_stopping", ES_IGNORES_MIN_DELTA)),
    Mutant("es_tie_is_improvement", EX, "early_stopping",
           _from_source("early_stopping", ES_TIE_IS_IMPROVEMENT)),
    Mutant("es_min_delta_sign_flipped", EX, "early_stopping",
           _from_source("early_stopping", ES_MIN_DELTA_SIGN)),
    Mutant("es_stopped_epoch_one_based", EX, "early_stopping",
           _from_source("early_stopping", ES_STOPPED_ONE_BASED)),
    Mutant("es_stopped_epoch_never_none", EX, "early_stopping",
           _from_source("early_stopping", ES_NEVER_NONE)),
    Mutant("es_compares_with_previous_epoch", EX, "early_stopping",
           _from_source("early_stopping", ES_COMPARES_PREVIOUS)),
    Mutant("es_rng_not_passed", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_RNG_NOT_PASSED)),
    Mutant("es_best_weights_from_before_the_epoch", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_SNAPSHOT_BEFORE)),
    Mutant("es_validation_loss_on_training_data", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_VAL_ON_TRAIN)),
    Mutant("es_returns_last_weights", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_RETURNS_LAST)),
    Mutant("es_always_restores_best_weights", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_ALWAYS_RESTORES)),
    Mutant("es_train_patience_off_by_one", EX, "train_with_early_stopping",
           _from_source("train_with_early_stopping", TRAIN_PATIENCE_OFF_BY_ONE)),
)}
