"""Golden inputs for sgd.py."""

import numpy as np

from grader.datasets import init_params, xor
from grader.devtools.golden import distinct_mistakes
from grader.mutants import mistakes_of, variants

train_variants = mistakes_of("sgd").train_variants

# sgd_step: a 2-3-1 network, gradients of mixed signs, lr = 0.1.
PARAMS = [(np.array([[0.5, -0.3, 0.8], [-1.2, 0.4, 0.1]]), np.array([0.1, -0.2, 0.05])),
          (np.array([[1.5], [-0.7], [0.25]]), np.array([-0.3]))]
GRADS = [(np.array([[0.02, -0.1, 0.4], [0.3, -0.05, -0.6]]), np.array([0.15, -0.25, 0.01])),
         (np.array([[-0.2], [0.45], [0.08]]), np.array([0.33]))]
LR = 0.1

# train: XOR, a 2-3-1 network with Keras's default initialisation, batches of 3 out of
# 4 samples (so every epoch ends with a partial batch of 1), rng=None, no dropout.
TRAIN = {"lr": 0.5, "batch_size": 3, "epochs": 25}




def record(ref):
    step = ref.sgd.sgd_step(PARAMS, GRADS, LR)
    X, Y = xor()
    params = init_params([2, 3, 1], seed=2)
    args = (X, Y, params, TRAIN["lr"], TRAIN["batch_size"], TRAIN["epochs"])
    trained = ref.sgd.train(*args)
    return {
        "sgd_step": {"params": PARAMS, "grads": GRADS, "lr": LR, "expected": step,
                     "mistakes": distinct_mistakes(
                         variants(ref, "sgd", "sgd_step", PARAMS, GRADS, LR), step)},
        "train": {"X": X, "Y": Y, "params": params, **TRAIN, "expected": trained,
                  "mistakes": distinct_mistakes(train_variants(ref, *args), trained)},
    }
