"""Every named mistake of sgd.py is caught by the checks and named in the feedback.

For each mistake, a student directory is built from the reference solutions
with ONE function replaced by a wrong version (written below as source code),
the public and hidden checks run on it through the engine, and at least one
check must fail naming that mistake. Correct implementations written
differently from the reference (a generator, another way to permute, random
numbers drawn in another order) must get full marks.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from grader.checks.engine import run_checks
from grader.checks.results import NOT_ATTEMPTED, PASSED
from grader.checks.session import read_student_files
from grader.devtools.mutate import solutions_with
from grader.mutants import mutants
from grader.rubric import load_rubric

REPO_ROOT = Path(__file__).resolve().parents[3]
EXERCISE = "sgd"
SUITES = ("public", "hidden")

_MINIBATCHES = """\
def minibatches(X, Y, batch_size, rng=None):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    n = X.shape[0]
"""


def _train(history_line: str, before_line: str = "") -> str:
    return f"""\
def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for _ in range(epochs):
        {before_line or "pass"}
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)
                         for W, _ in params[:-1]]
            _, cache = forward(X_batch, params, masks)
            params = sgd_step(params, backward(params, cache, Y_batch), lr)
        {history_line}
    return params, history
"""


# mistake name -> [(function, wrong source), ...]
WRONG = {
    "minibatches_drops_last_batch": [("minibatches", _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], Y[rows]
""")],
    "minibatches_with_replacement": [("minibatches", _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.choice(n, size=n, replace=True)
    return [(X[order[s:s + batch_size]], Y[order[s:s + batch_size]])
            for s in range(0, n, batch_size)]
""")],
    "minibatches_unpaired_shuffle": [("minibatches", _MINIBATCHES + """\
    if rng is not None:
        X = X[rng.permutation(n)]
        Y = Y[rng.permutation(n)]
    return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, n, batch_size)]
"""), ("minibatches", _MINIBATCHES + """\
    if rng is not None:
        X = X[rng.permutation(n)]   # Y is left in its order
    return [(X[s:s + batch_size], Y[s:s + batch_size]) for s in range(0, n, batch_size)]
""")],
    "sgd_step_sign_flipped": [("sgd_step", """
        def sgd_step(params, grads, lr):
            return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]
        """)],
    "sgd_step_in_place": [("sgd_step", """
        def sgd_step(params, grads, lr):
            for (W, b), (dW, db) in zip(params, grads):
                W -= lr * dW
                b -= lr * db
            return params
        """)],
    "sgd_train_history_last_batch": [("train", _train(
        "history.append(binary_cross_entropy(forward(X_batch, params)[0], Y_batch))"))],
    "sgd_train_history_before_epoch": [("train", _train(
        "history.append(loss)", "loss = binary_cross_entropy(forward(X, params)[0], Y)"))],
    "modified_in_place": [("minibatches", _MINIBATCHES + """\
    if rng is not None:
        state = rng.bit_generator.state
        rng.shuffle(X)                  # shuffles the caller's arrays
        rng.bit_generator.state = state
        rng.shuffle(Y)
    return [(X[s:s + batch_size].copy(), Y[s:s + batch_size].copy())
            for s in range(0, n, batch_size)]
""")],
}

# Correct implementations written differently from the reference: full marks.
RIGHT = {
    "minibatches": _MINIBATCHES + """\
    order = np.arange(n) if rng is None else rng.choice(n, size=n, replace=False)
    start = 0
    while start < n:
        rows = order[start:start + batch_size]
        yield X[rows], Y[rows]
        start += batch_size
""",
    "sgd_step": """
def sgd_step(params, grads, lr):
    new = []
    for layer, grad in zip(params, grads):
        W, b = (np.array(a, dtype=float) for a in layer)
        W -= lr * np.asarray(grad[0])
        b -= lr * np.asarray(grad[1])
        new.append((W, b))
    return new
""",
    # Masks drawn from the last hidden layer to the first, and before the forward pass.
    "train": """
def train(X, Y, params, lr, batch_size, epochs, rng=None, dropout_rate=0.0):
    X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
    params = [(np.array(W, dtype=float), np.array(b, dtype=float)) for W, b in params]
    history = []
    for epoch in range(epochs):
        for X_batch, Y_batch in minibatches(X, Y, batch_size, rng):
            masks = None
            if dropout_rate > 0:
                sizes = [W.shape[1] for W, _ in params[:-1]]
                masks = [dropout_mask((len(X_batch), k), dropout_rate, rng)
                         for k in reversed(sizes)][::-1]
            A_L, cache = forward(X_batch, params, masks)
            grads = backward(params, cache, Y_batch)
            params = sgd_step(params, grads, lr)
        A_L, _ = forward(X, params)
        history.append(float(binary_cross_entropy(A_L, Y)))
    return params, history
""",
}


def student_files(replacements) -> dict:
    return solutions_with(EXERCISE, replacements)


def test_every_mutant_of_the_exercise_has_a_wrong_source_here():
    assert set(mutants(EXERCISE)) <= set(WRONG)


@pytest.mark.sandbox
@pytest.mark.parametrize("mistake, func, source",
                         [(m, f, s) for m, variants in WRONG.items() for f, s in variants],
                         ids=lambda v: v if isinstance(v, str) and "\n" not in v else "")
def test_the_checks_catch_and_name_the_mistake(mistake, func, source):
    results = run_checks(student_files([(func, source)]), exercises=[EXERCISE], suites=SUITES,
                         lang="en")
    failing = [c for c in results.checks if c.status != PASSED]
    assert failing, f"no check failed with the mistake {mistake}"
    named = [c.id for c in failing if c.feedback is not None and c.feedback.mistake == mistake]
    assert named, (f"{mistake}: failing checks name "
                   f"{[(c.id, c.feedback and c.feedback.mistake) for c in failing]}")
    for c in failing:       # the message renders in both languages; no bug in a check
        assert c.message("es") and c.message("en")
        assert c.feedback.key != "feedback.internal_error", c.message("en")


@pytest.mark.sandbox
def test_correct_implementations_written_differently_get_full_marks():
    results = run_checks(student_files(RIGHT.items()), exercises=[EXERCISE], suites=SUITES,
                         lang="en")
    assert {c.status for c in results.checks} == {PASSED}, [
        (c.id, c.message("en")) for c in results.checks if c.status != PASSED]


@pytest.mark.sandbox
@pytest.mark.parametrize("graded", [False, True], ids=["check", "grade"])
def test_the_solutions_get_full_marks_and_the_stubs_are_not_attempted(graded):
    rubric = load_rubric()
    for directory, status in (("solutions", PASSED), ("exercises", NOT_ATTEMPTED)):
        results = run_checks(read_student_files(REPO_ROOT / directory), exercises=[EXERCISE],
                             suites=SUITES, lang="en", graded=graded)
        assert results.checks and {c.status for c in results.checks} == {status}, (
            directory, [(c.id, c.message("en")) for c in results.checks if c.status != status])
        assert {c.id for c in results.checks} == {
            i.id for i in rubric.for_exercises([EXERCISE], SUITES)}
    assert results.score == 0
    assert rubric.exercise_points(EXERCISE) == 20
