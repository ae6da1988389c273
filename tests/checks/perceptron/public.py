"""Public checks of perceptron.py: the course's worked examples, hand-worked steps, AND/OR/XOR.

The expected values are the course's perceptron g(1 + 3*x1 - 2*x2) worked by
hand (see tests/checks/perceptron/golden_spec.py) and golden values
recorded from the reference, with the outputs of the named mistakes.
"""

import numpy as np

from grader.checks.expect import (as_array, close, consistent, expect_array, expect_unchanged,
                                  fail)
from grader.checks.feedback import show


DATA = {"or": "OR", "and": "AND", "and_budget": "AND", "xor": "XOR",
        "first_epoch": "X = [[1, 0], [0, 1], [1, 1]], d = [1, 0, 0]",
        "pass_fail": "pass/fail (classes, hours) / aprobado (clases, horas)"}


def vec(values):
    """A short text for a small vector: [3, -2]."""
    return "[" + ", ".join(f"{float(v):g}" for v in np.ravel(values)) + "]"


def short(errors):
    """A list of epoch errors, abbreviated in the middle when long."""
    if len(errors) <= 12:
        return str(list(errors))
    items = [str(e) for e in errors[:6]] + ["..."] + [str(e) for e in errors[-3:]]
    return f"[{', '.join(items)}] (len {len(errors)})"


def integer_prediction(got, call):
    """The student's prediction as an integer array (bool or float is a named mistake)."""
    arr = as_array(got, call=call)
    if arr.dtype.kind not in "iu":
        fail("feedback.perceptron_not_integer", call=call, dtype=str(arr.dtype), got=show(got),
             mistake="perceptron_predict_not_integer")
    return arr


def as_tuple(got, n, call, what):
    if not isinstance(got, (tuple, list)) or len(got) != n:
        fail("feedback.perceptron_not_a_tuple", call=call, what=what, got=show(got))
    return got


def number(got, call, what):
    arr = as_array(got, call=call)
    if arr.size != 1:
        fail("feedback.perceptron_not_a_number", call=call, what=what, got=show(got))
    return arr.reshape(())      # a float, or lenient: a one-element array


def epoch_errors(got, call):
    if not isinstance(got, (list, tuple, np.ndarray)):
        fail("feedback.perceptron_errors_not_ints", call=call, got=show(got))
    arr = np.asarray(got)
    if arr.ndim != 1 or (arr.size and (arr.dtype.kind not in "iuf"
                                        or not np.all(arr == np.round(arr)))):
        fail("feedback.perceptron_errors_not_ints", call=call, got=show(got))
    return [int(e) for e in arr]


def expect_update(got, case, call, allowed=None):
    """(w_new, b_new) against the case; a mistake is named when both parts match it (and,
    with ``allowed``, only one of those: the mistakes every case of the check matched)."""
    w_new, b_new = as_tuple(got, 2, call, "(w_new, b_new)")
    b_new = number(b_new, call, "b_new")
    named = {name: (mw, mb) for name, (mw, mb) in case["mistakes"].items()
             if close(w_new, mw) and close(b_new, mb) and (allowed is None or name in allowed)}
    expect_array(w_new, case["expected_w"], call=f"{call} -> w_new",
                 mistakes={n: v[0] for n, v in named.items()})
    expect_array(b_new, case["expected_b"], call=f"{call} -> b_new",
                 mistakes={n: v[1] for n, v in named.items()})


def run_train(student, name, case):
    """The student's (w, b, errors) on one golden case, with its structure checked."""
    call = f"train(X, d, lr={case['lr']:g}, epochs={case['epochs']})  [{DATA[name]}]"
    got = student.perceptron.train(case["X"], case["d"], case["lr"], case["epochs"])
    w, b, errors = as_tuple(got, 3, call, "(w, b, errors)")
    return call, w, number(b, call, "b"), epoch_errors(errors, call)


def _train_mistake(w, b, errors, case):
    """The one mistake whose (w, b, errors) on this case matches, else the one whose errors do."""
    mistakes = case["mistakes"]
    full = [n for n, m in mistakes.items()
            if errors == m["errors"] and close(w, m["w"]) and close(b, m["b"])]
    by_errors = [n for n, m in mistakes.items()
                 if errors == m["errors"] and m["errors"] != case["errors"]]
    for names in (full, by_errors):
        if names:
            return names[0] if len(names) == 1 else None    # ambiguous: name none
    return None


def shape_symptom(got, expected):
    """How a value of the wrong shape relates to the expected one (e.g. reshaped), or None."""
    from grader.checks.symptoms import symptom
    try:
        return symptom(got, expected)
    except Exception:  # noqa: BLE001 - a symptom is a help, never a reason to break
        return None


def errors_symptom(errors, expected):
    """How a list of errors per epoch differs from the expected one (sequence symptoms)."""
    from grader.checks.symptoms import symptom
    try:
        return symptom(np.asarray(errors, dtype=float), np.asarray(expected, dtype=float),
                       sequence=True)
    except Exception:  # noqa: BLE001 - a symptom is a help, never a reason to break
        return None


def expect_train(got, case):
    call, w, b, errors = got
    mistake = _train_mistake(w, b, errors, case)
    if errors != case["errors"]:
        fail("feedback.perceptron_wrong_errors", call=call, got=short(errors),
             expected=short(case["errors"]), mistake=mistake,
             symptom=errors_symptom(errors, case["errors"]))
    named = {mistake: case["mistakes"][mistake]} if mistake else {}
    expect_array(w, case["w"], call=f"{call} -> w", mistakes={n: m["w"] for n, m in named.items()})
    expect_array(b, case["b"], call=f"{call} -> b", mistakes={n: m["b"] for n, m in named.items()})


# --- predict -------------------------------------------------------------------------

def test_predict_course_example_is_class_zero(student, golden):
    w, b = golden["course"]["w"], golden["course"]["b"]
    call = "predict(x = [-1, 2], w = [3, -2], b = 1)"
    got = student.perceptron.predict(np.array([-1.0, 2.0]), w, b)
    arr = integer_prediction(got, call)
    if arr.ndim != 0:
        fail("feedback.perceptron_not_0d", call=call, shape=str(arr.shape),
             symptom=shape_symptom(arr, np.array(0)))
    if int(arr) != 0:
        fail("feedback.perceptron_course_example", call=call, got=show(got))


def test_predict_on_a_batch_returns_int_zeros_and_ones(student, golden):
    case = golden["predict"]
    call = f"predict(X, w = {vec(case['w'])}, b = {case['b']:g})  [X = {case['X'].tolist()}]"
    got = student.perceptron.predict(case["X"], case["w"], case["b"])
    expect_array(got, case["expected"], call=call, mistakes=case["mistakes"])
    integer_prediction(got, call)


def test_predict_on_one_sample_returns_a_0d_int(student, golden):
    case = golden["predict"]
    for i, (x, expected) in enumerate(zip(case["X"], case["expected"])):
        call = f"predict(x = {vec(x)}, w = {vec(case['w'])}, b = {case['b']:g})"
        got = student.perceptron.predict(x, case["w"], case["b"])
        arr = integer_prediction(got, call)
        if arr.ndim != 0:
            fail("feedback.perceptron_not_0d", call=call, shape=str(arr.shape),
                 symptom=shape_symptom(arr, np.asarray(expected)))
        expect_array(arr, expected, call=call,
                     mistakes={k: v[i] for k, v in case["mistakes"].items()})


# --- update --------------------------------------------------------------------------

def test_update_matches_hand_worked_steps(student, golden):
    runs = []
    for case in golden["update"]:
        call = (f"update(w = {vec(case['w'])}, b = {case['b']:g}, x = {vec(case['x'])}, "
                f"d = {case['d']}, lr = {case['lr']:g})")
        runs.append((student.perceptron.update(case["w"], case["b"], case["x"], case["d"],
                                               case["lr"]), case, call))
    # A mistake is named only when every step matches it (one coincidence is not enough).
    allowed = consistent([(got, {n: tuple(v) for n, v in case["mistakes"].items()})
                          for got, case, _ in runs])
    for got, case, call in runs:
        expect_update(got, case, call, allowed)


def test_update_does_not_modify_its_arguments(student, golden):
    for case in golden["update"]:
        w, x = case["w"].copy(), case["x"].copy()
        call = (f"update(w = {vec(w)}, b = {case['b']:g}, x = {vec(x)}, d = {case['d']}, "
                f"lr = {case['lr']:g})")
        outcome = student.call("perceptron", "update", w, case["b"], x, case["d"], case["lr"],
                               return_args=True)
        expect_unchanged(w, outcome.args_after[0], call=call, argument="w")
        expect_unchanged(x, outcome.args_after[2], call=call, argument="x")


# --- train ---------------------------------------------------------------------------

def test_train_learns_or_like_the_worked_example(student, golden):
    expect_train(run_train(student, "or", golden["train"]["or"]), golden["train"]["or"])


def test_train_first_epoch_starts_from_zeros_in_row_order(student, golden):
    case = golden["train"]["first_epoch"]
    call, w, b, errors = run_train(student, "first_epoch", case)
    if errors != case["errors"] or not close(w, case["w"]) or not close(b, case["b"]):
        fail("feedback.perceptron_first_epoch", call=call, got_w=vec(w), got_b=f"{float(b):g}",
             got_errors=short(errors), expected_w=vec(case["w"]),
             expected_b=f"{case['b']:g}", expected_errors=str(case["errors"]),
             mistake=_train_mistake(w, b, errors, case))


def test_train_stops_after_the_first_epoch_without_errors(student, golden):
    # AND needs 6 epochs (the 6th without mistakes); with epochs = 3 the budget stops it.
    for name in ("and", "and_budget"):
        case = golden["train"][name]
        expect_train(run_train(student, name, case), case)


def test_train_separates_and_or_and_pass_fail(student, golden):
    for name in ("and", "or", "pass_fail"):
        case = golden["train"][name]
        got = run_train(student, name, case)
        errors = got[3]
        if not errors or errors[-1] != 0:
            fail("feedback.perceptron_did_not_separate", call=got[0], data=DATA[name],
                 epochs=case["epochs"], tail=str(errors[-5:]),
                 mistake=_train_mistake(got[1], got[2], errors, case))
        expect_train(got, case)


def test_train_never_reaches_zero_errors_on_xor(student, golden):
    case = golden["train"]["xor"]
    call, w, b, errors = run_train(student, "xor", case)
    if len(errors) != case["epochs"] or not errors or errors[-1] <= 0:
        fail("feedback.perceptron_xor_separated", call=call, got=short(errors),
             n=len(errors), epochs=case["epochs"], mistake=_train_mistake(w, b, errors, case))
