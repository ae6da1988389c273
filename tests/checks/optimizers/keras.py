"""Keras checks of optimizers.py on fixed inputs (grader.baseline.assignment2_suite):
each step function applied six times against ``keras.optimizers.SGD(momentum)``,
``RMSprop`` and ``Adam`` updating one variable, and train with each of the four optimizers
against ``model.fit(..., shuffle=False)`` step for step (the loss after every epoch and the
final weights). Momentum and Adam's betas are exact in float32 (0.875, 1 - 2**-9), as
Keras keeps them. Keras's results come from the baseline cache; without TensorFlow and
without a cached value the check is skipped."""

import numpy as np
import pytest

from grader.baseline import BASELINE_ATOL, BASELINE_RTOL
from grader.baseline.assignment2_suite import inputs, keras_results_or_skip
from grader.checks.unit_support import sibling_module
from grader.checks.expect import expect_array, fail
from grader.checks.feedback import show

pytestmark = pytest.mark.keras
TOL = {"rtol": BASELINE_RTOL, "atol": BASELINE_ATOL}


def test_step_functions_match_keras_optimizers_step_after_step(student):
    case = inputs("optimizers")
    keras = keras_results_or_skip("optimizers")["steps"]
    for name, func in (("momentum", "momentum_step"), ("rmsprop", "rmsprop_step"),
                       ("adam", "adam_step")):
        lr, hyper = case["lr"][name], case["hyper"][name]
        w = case["w0"]
        state = [np.zeros_like(w), np.zeros_like(w)]
        for t, g in enumerate(case["grads"], start=1):
            call = f"{func}(...)  [step {t} of {len(case['grads'])}, Keras {name}]"
            if func == "adam_step":
                got = student.optimizers.adam_step(w, g, state[0], state[1], t, lr, **hyper)
            else:
                got = getattr(student.optimizers, func)(w, g, state[0], lr, **hyper)
            if not isinstance(got, (list, tuple)) or len(got) != (3 if func == "adam_step" else 2):
                fail("feedback.optimizers_step_return", call=call, names="...", got=show(got))
            w = expect_array(got[0], keras[name][t - 1], call=call + " -> w_new", **TOL)
            state = [np.asarray(a, dtype=float) for a in got[1:]] + [state[1]]
            state = state[:2]


def test_train_matches_keras_fit_step_for_step(student):
    case = inputs("optimizers")
    public = sibling_module(__file__, "public")
    results = {}
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        lr, hyper = case["lr"][name], case["hyper"][name]
        results[name] = student.optimizers.train(case["X"], case["Y"], case["params"], name, lr,
                                                 case["batch_size"], case["epochs"], **hyper)
    keras = keras_results_or_skip("optimizers")["fits"]
    for name, got in results.items():
        call = (f"train(X, Y, params, \"{name}\", lr={case['lr'][name]:g}, "
                f"batch_size={case['batch_size']}, epochs={case['epochs']})  [Keras fit]")
        if not isinstance(got, (list, tuple)) or len(got) != 2:
            fail("feedback.optimizers_train_return", call=call, got=show(got))
        expect_array(got[1], keras[name]["history"], call=f"{call} -> history", **TOL)
        public.check_params(got[0], keras[name]["weights"], call=f"{call} -> params", **TOL)
