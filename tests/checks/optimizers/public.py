"""Public checks of optimizers.py: recorded values of the three step functions (with eps
large enough that inside and outside the root differ, and t = 1 and t = 4 for Adam's bias
correction), train with each optimizer on a small network, the ValueError, and the
contract's promises (new arrays, lists accepted, no warnings, reproducible with an rng)."""

import numpy as np

from grader.checks.unit_support import call_clean, expect_value_error
from grader.checks.expect import (as_array, diagnose, expect_array, expect_finite_shape,
                                  expect_true, fail, naming)
from grader.checks.feedback import show

EX = "optimizers"
STEP_OUTPUTS = {"momentum_step": ("w_new", "velocity_new"), "rmsprop_step": ("w_new", "s_new"),
                "adam_step": ("w_new", "m_new", "v_new")}
STEP_ARGS = {"momentum_step": ["w", "g", "velocity"], "rmsprop_step": ["w", "g", "s"],
             "adam_step": ["w", "g", "m", "v"]}


def diagnose_nan(got, mistakes):
    """Like expect.diagnose, where NaN in the same places as a mistake's value also matches."""
    found = diagnose(got, mistakes)
    if found:
        return found

    def same_nan(g, e):
        if isinstance(e, (list, tuple)):
            return (isinstance(g, (list, tuple)) and len(g) == len(e)
                    and all(same_nan(a, b) for a, b in zip(g, e)))
        try:
            g, e = np.asarray(g, dtype=float), np.asarray(e, dtype=float)
        except (TypeError, ValueError):
            return False
        return g.shape == e.shape and bool(np.allclose(g, e, rtol=1e-7, atol=1e-10,
                                                       equal_nan=True))
    for name, value in (mistakes.items() if mistakes is not None else ()):
        if value is not None and same_nan(got, value):
            return name
    return None


def expect_step(got, expected, func, *, call, mistakes=None):
    names = STEP_OUTPUTS[func]
    with naming(lambda: diagnose(got, mistakes)):
        if not isinstance(got, (list, tuple)) or len(got) != len(names):
            fail("feedback.optimizers_step_return", call=call, names=", ".join(names),
                 got=show(got))
        for name, g, e in zip(names, got, expected):
            expect_array(g, e, call=f"{call} -> {name}")


def check_train(got, expected, *, call, epochs, mistakes=None, warnings=()):
    """``got`` = ``(params, history)`` equal to ``expected``; names a matching mistake."""
    with naming(lambda: diagnose_nan(got, mistakes)):
        if warnings:
            fail("feedback.warning_emitted", call=call, inputs="X, Y, params",
                 warning=f"{warnings[0].get('category')}: {warnings[0].get('message')}")
        if not isinstance(got, (list, tuple)) or len(got) != 2:
            fail("feedback.optimizers_train_return", call=call, got=show(got))
        history = as_array(got[1], call=f"{call} -> history")
        expect_true(history.shape == (epochs,), "feedback.optimizers_history_length", call=call,
                    got=str(history.shape), expected=epochs)
        expect_array(history, expected[1], call=f"{call} -> history")
        check_params(got[0], expected[0], call=f"{call} -> params")


def check_params(got, expected, *, call, **tol):
    if not isinstance(got, (list, tuple)) or len(got) != len(expected) or not all(
            isinstance(p, (list, tuple)) and len(p) == 2 for p in got):
        fail("feedback.optimizers_params_structure", call=call, expected=len(expected),
             got=show(got))
    for layer, (pair, (eW, eb)) in enumerate(zip(got, expected), start=1):
        expect_array(pair[0], eW, call=f"{call} -> W{layer}", **tol)
        expect_array(pair[1], eb, call=f"{call} -> b{layer}", **tol)


def _step_case(student, golden, case, func):
    c = golden[case]
    kwargs = c["kwargs"]
    shown = ", ".join(f"{k}={v:g}" for k, v in kwargs.items())
    call = f"{func}(..., {shown})" + (f"  [t = {c['args'][4]}]" if func == "adam_step" else "")
    got = call_clean(student, EX, func, *c["args"], call=call, names=STEP_ARGS[func], **kwargs)
    expect_step(got, c["expected"], func, call=call, mistakes=c["mistakes"])


def test_momentum_step_matches_reference_values(student, golden):
    _step_case(student, golden, "momentum_step", "momentum_step")
    got = student.optimizers.momentum_step(1.0, 2.0, 0.5, 0.1, 0.9)
    expect_step(got, [1.25, 0.25], "momentum_step",
                call="momentum_step(w=1, g=2, velocity=0.5, lr=0.1, momentum=0.9)")


def test_rmsprop_step_puts_eps_inside_the_root(student, golden):
    _step_case(student, golden, "rmsprop_step", "rmsprop_step")


def test_adam_step_matches_reference_values_with_bias_correction(student, golden):
    _step_case(student, golden, "adam_step_t1", "adam_step")
    _step_case(student, golden, "adam_step_t4", "adam_step")


def test_step_functions_accept_lists_and_default_hyperparameters(student):
    w, g, s = [[1.0, -2.0]], [[0.5, 0.25]], [[0.1, 0.2]]
    for func, args in (("momentum_step", (w, g, s, 0.1)), ("rmsprop_step", (w, g, s, 0.1)),
                       ("adam_step", (w, g, s, s, 2, 0.1))):
        from_lists = getattr(student.optimizers, func)(*args)
        arrays = tuple(np.array(a) if isinstance(a, list) else a for a in args)
        from_arrays = getattr(student.optimizers, func)(*arrays)
        expect_step(from_lists, from_arrays, func, call=f"{func}(lists)")
    expect_step(student.optimizers.momentum_step(0.0, 1.0, 1.0, 0.5), [0.4, 0.4],
                "momentum_step", call="momentum_step(0, 1, 1, 0.5)  [momentum = 0.9]",
                mistakes={"momentum_default_zero": [-0.5, -0.5]})


def test_rmsprop_and_adam_default_hyperparameters_are_keras(student, golden):
    for case, func, defaults in (("rmsprop_step_default", "rmsprop_step", "rho=0.9, eps=1e-7"),
                                 ("adam_step_default", "adam_step",
                                  "beta_1=0.9, beta_2=0.999, eps=1e-7")):
        c = golden[case]
        call = f"{func}(w, g * 1e-5, ...)  [defaults {defaults}]"
        got = getattr(student.optimizers, func)(*c["args"])
        expect_step(got, c["expected"], func, call=call, mistakes=c["mistakes"])


def test_train_with_each_optimizer_matches_reference_values(student, golden):
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        c = golden[f"train_{name}"]
        shown = "".join(f", {k}={v:g}" for k, v in c["kwargs"].items())
        call = (f"train(X, Y, params, \"{name}\", lr={c['args'][4]:g}, batch_size={c['args'][5]}, "
                f"epochs={c['args'][6]}{shown})")
        outcome = student.call(EX, "train", *c["args"], return_args=True, **c["kwargs"])
        check_train(outcome.value, c["expected"], call=call, epochs=c["args"][6],
                    mistakes=c["mistakes"], warnings=outcome.info.get("warnings") or [])
        from grader.checks.expect import expect_unchanged
        expect_unchanged(c["args"][2], (outcome.args_after or [None] * 3)[2], call=call,
                         argument="params")


def test_train_rejects_an_unknown_optimizer(student, golden):
    c = golden["train_sgd"]
    args = list(c["args"])
    args[3] = "adagrad"
    expect_value_error(student, EX, "train", *args, call="train(X, Y, params, \"adagrad\", ...)",
                       why="\"adagrad\" is not sgd, momentum, rmsprop or adam",
                       mistake="train_without_value_error")


def test_train_with_an_rng_shuffles_reproducibly(student, golden):
    c = golden["train_adam"]
    X, Y, params, name, lr, batch_size, epochs = c["args"]
    call = f"train(X, Y, params, \"adam\", lr={lr:g}, batch_size={batch_size}, epochs={epochs}, rng)"
    runs = [student.optimizers.train(X, Y, params, name, lr, batch_size, epochs,
                                     np.random.default_rng(7), **c["kwargs"]) for _ in range(2)]
    for got in runs:
        if not isinstance(got, (list, tuple)) or len(got) != 2:
            fail("feedback.optimizers_train_return", call=call, got=show(got))
        expect_finite_shape(got[1], (epochs,), call=f"{call} -> history")
    from grader.checks.expect import same
    if not same(runs[0], runs[1]):
        # Two runs without an rng draw nothing: if they differ too, what differs is state kept
        # from one call to the next, not the randomness.
        plain = [student.optimizers.train(X, Y, params, name, lr, batch_size, epochs, None,
                                          **c["kwargs"]) for _ in range(2)]
        if not same(plain[0], plain[1]):
            fail("feedback.optimizers_calls_differ", call=call,
                 symptom={"id": "state_between_calls", "params": {}})
        fail("feedback.optimizers_not_reproducible", call=call)
    expect_true(not same(runs[0][1], c["expected"][1], rtol=1e-12, atol=0.0),
                "feedback.optimizers_not_shuffled", call=call)
