"""Public checks of early_stopping.py: Keras's rule on hand-made validation curves (ties,
min_delta, a late best that resets the wait, patience 0, losses running out), and
train_with_early_stopping on a small problem that overfits, with and without
restore_best_weights; arguments are accepted as lists and never modified."""

import numpy as np

from grader.checks.unit_support import call_clean
from grader.checks.expect import as_array, expect_array, fail, naming
from grader.checks.feedback import show

EX = "early_stopping"


def _as_epoch(value):
    if value is None:
        return None
    try:
        number = float(np.asarray(value))
    except (TypeError, ValueError):
        return value
    return int(number) if number.is_integer() else number


def expect_decision(got, expected, *, call, mistakes=None):
    """``got`` = ``(stopped_epoch, best_epoch)`` as the rule decides (None when never stopped)."""
    if not isinstance(got, (list, tuple)) or len(got) != 2:
        fail("feedback.es_decision_return", call=call, got=show(got))
    got = [_as_epoch(v) for v in got]
    expected = [_as_epoch(v) for v in expected]
    if got != expected:
        matching = [name for name, value in (mistakes.items() if mistakes is not None else ())
                    if value is not None and [_as_epoch(v) for v in value] == got]
        mistake = matching[0] if len(matching) == 1 else None   # ambiguous: name none
        fail("feedback.es_wrong_decision", call=call, got=show(tuple(got)),
             expected=show(tuple(expected)), mistake=mistake)


def check_run(got, expected, *, call, mistakes=None):
    """``(params, history, val_history, stopped_epoch, best_epoch)`` equal to ``expected``."""
    def mistake():                  # diagnosed only when the check fails
        if mistakes is None or not isinstance(got, (list, tuple)) or len(got) != 5:
            return None
        from grader.checks.expect import same

        matching = [name for name, value in mistakes.items()
                    if value is not None and same(list(got[:3]), list(value[:3]))
                    and [_as_epoch(v) for v in got[3:]] == [_as_epoch(v) for v in value[3:]]]
        return matching[0] if len(matching) == 1 else None

    with naming(mistake):
        if not isinstance(got, (list, tuple)) or len(got) != 5:
            fail("feedback.es_train_return", call=call, got=show(got))
        expect_decision(got[3:], expected[3:], call=call)
        for j, name in ((1, "history"), (2, "val_history")):
            arr = as_array(got[j], call=f"{call} -> {name}")
            if arr.shape != (len(expected[j]),):
                fail("feedback.es_history_length", call=call, name=name, got=str(arr.shape),
                     expected=len(expected[j]))
            expect_array(arr, expected[j], call=f"{call} -> {name}")
        params = got[0]
        if not isinstance(params, (list, tuple)) or len(params) != len(expected[0]) or not all(
                isinstance(p, (list, tuple)) and len(p) == 2 for p in params):
            fail("feedback.es_params_structure", call=call, expected=len(expected[0]),
                 got=show(params))
        for layer, (pair, (eW, eb)) in enumerate(zip(params, expected[0]), start=1):
            expect_array(pair[0], eW, call=f"{call} -> W{layer}")
            expect_array(pair[1], eb, call=f"{call} -> b{layer}")


def _curves(student, cases):
    """Run every curve, then fail on the first wrong decision, naming the one mistake (if
    exactly one) whose decisions agree with the student's on ALL these curves."""
    results = []
    for c in cases:
        losses, patience, min_delta = c["args"]
        call = f"early_stopping({losses}, patience={patience}, min_delta={min_delta:g})"
        got = student.early_stopping.early_stopping(losses, patience, min_delta)
        if not isinstance(got, (list, tuple)) or len(got) != 2:
            fail("feedback.es_decision_return", call=call, got=show(got))
        results.append((call, [_as_epoch(v) for v in got], c))
    wrong = [r for r in results if r[1] != [_as_epoch(v) for v in r[2]["expected"]]]
    names = set.intersection(*[
        {name for name, value in c["mistakes"].items()
         if value is not None and [_as_epoch(v) for v in value] == got}
        for _, got, c in results]) if wrong else set()     # diagnosed only on a failure
    mistake = next(iter(names)) if len(names) == 1 else None
    for call, got, c in results:
        if got != [_as_epoch(v) for v in c["expected"]]:
            with naming(mistake):
                expect_decision(got, c["expected"], call=call)


def test_early_stopping_on_the_course_example_and_a_late_best(student, golden):
    _curves(student, (golden["curves"][0], golden["curves"][3], golden["curves"][5],
                      *golden["curves"][7:11]))


def test_early_stopping_ties_and_min_delta(student, golden):
    _curves(student, (*golden["curves"][1:3], *golden["curves"][11:]))


def test_early_stopping_patience_zero_and_short_curves(student, golden):
    _curves(student, golden["curves"][4:7])
    got = student.early_stopping.early_stopping([0.9, 0.8, 0.7], 1)
    expect_decision(got, (None, 2), call="early_stopping([0.9, 0.8, 0.7], patience=1)")


def _run(student, golden, which):
    c = golden["train"][which]
    a = c["args"]
    call = (f"train_with_early_stopping(X, Y, X_val, Y_val, params, lr={a[5]:g}, "
            f"batch_size={a[6]}, max_epochs={a[7]}, patience={a[8]}, "
            f"restore_best_weights={c['kwargs']['restore_best_weights']})")
    got = call_clean(student, EX, "train_with_early_stopping", *a, call=call,
                     names=["X", "Y", "X_val", "Y_val", "params"], **c["kwargs"])
    check_run(got, c["expected"], call=call, mistakes=c["mistakes"])


def expect_no_state_between_calls(run, *, call):
    """Two runs without an rng draw nothing: when ``run()`` twice gives two results, what
    differs is state kept from one call to the next (say so, not "randomness")."""
    from grader.checks.expect import same

    first, second = run(), run()
    if not (isinstance(first, (list, tuple)) and isinstance(second, (list, tuple))
            and same(list(first[:3]), list(second[:3]))):
        fail("feedback.es_calls_differ", call=call,
             symptom={"id": "state_between_calls", "params": {}})


def test_train_with_early_stopping_restores_the_best_weights(student, golden):
    _run(student, golden, "restore")


def test_train_with_early_stopping_without_restoring_keeps_the_last_weights(student, golden):
    _run(student, golden, "last")


def test_train_with_early_stopping_shuffles_with_the_rng(student, golden):
    c = golden["train"]["restore"]
    call = "train_with_early_stopping(X, Y, X_val, Y_val, params, ..., rng=rng)"
    runs = [student.early_stopping.train_with_early_stopping(
        *c["args"], rng=np.random.default_rng(3), **c["kwargs"]) for _ in range(2)]
    for run in runs:
        if not isinstance(run, (list, tuple)) or len(run) != 5:
            fail("feedback.es_train_return", call=call, got=show(run))
    from grader.checks.expect import same
    if not same(runs[0][:3], runs[1][:3]):
        expect_no_state_between_calls(lambda: student.early_stopping.train_with_early_stopping(
            *c["args"], **c["kwargs"]), call=call)
        fail("feedback.es_not_reproducible", call=call)
    first = as_array(runs[0][1], call=f"{call} -> history").reshape(-1)[:1]
    if same(first, np.asarray(c["expected"][1][:1]), rtol=1e-12, atol=0.0):
        fail("feedback.es_rng_not_used", call=call, mistake="es_rng_not_passed")


def test_lists_accepted(student, golden):
    got = student.early_stopping.early_stopping(np.array([1.0, 0.8, 0.9, 0.85, 0.95]), 2)
    expect_decision(got, golden["curves"][0]["expected"],
                    call="early_stopping(np.array([1.0, 0.8, 0.9, 0.85, 0.95]), patience=2)")
    c = golden["train"]["restore"]
    a = list(c["args"])
    listed = [x.tolist() if isinstance(x, np.ndarray) else
              [(W.tolist(), b.tolist()) for W, b in x] if isinstance(x, list) else x for x in a]
    got = student.early_stopping.train_with_early_stopping(*listed, **c["kwargs"])
    check_run(got, c["expected"], call="train_with_early_stopping(lists, ...)")
