"""One broken file costs only its own exercise; the message names the file that failed."""

from pathlib import Path

import numpy as np
import pytest

from grader import config
from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.checks.session import CheckSession, read_student_files
from grader.exercises import EXERCISES

pytestmark = pytest.mark.sandbox

SOLUTIONS = read_student_files(Path(config.SOLUTIONS_DIR))
BROKEN = {
    "syntax": b"import numpy as np\n\ndef dropout_mask(shape, rate, rng)\n    return 1\n",
    "empty": b"",
    "not_utf8": "# caf\xe9\nimport numpy as np\n".encode("latin-1"),
    "raises_on_import": b"raise RuntimeError('boom')\n",
    "wrong_mask": SOLUTIONS["dropout.py"].replace(b"keep = rng.random(shape) >= rate",
                                                  b"keep = rng.random(shape) < rate"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_dropout_costs_sgd_nothing_when_graded(case):
    files = dict(SOLUTIONS, **{"dropout.py": BROKEN[case]})
    results = run_checks(files, exercises=["sgd"], suites=("public", "hidden"), graded=True)
    assert results.checks and {c.status for c in results.checks} == {PASSED}, [
        (c.id, c.status, c.message("en")) for c in results.checks if c.status != PASSED]


def test_a_syntax_error_names_the_file_and_line_that_failed():
    files = dict(SOLUTIONS, **{"dropout.py": BROKEN["syntax"]})
    results = run_checks(files, exercises=["sgd", "dropout"], suites=("public",), lang="en")
    dropout = [c for c in results.checks if c.exercise == "dropout"]
    assert all(c.status != PASSED for c in dropout)
    message = dropout[0].message("en")
    assert "dropout.py" in message and "line 3" in message and "sgd.py" not in message
    # sgd's own functions that do not use dropout still pass before grading.
    sgd = {c.id: c for c in results.checks if c.exercise == "sgd"}
    assert sgd["sgd/public.py::test_sgd_step_matches_reference_values"].status == PASSED
    failing = [c for c in sgd.values() if c.status != PASSED]
    assert failing and all("dropout.py" in c.message("en") and "sgd.py, line" not in
                           c.feedback.render("en").splitlines()[0] for c in failing)


def test_random_functions_reached_through_the_judge_advance_the_students_generator():
    session = CheckSession(files=SOLUTIONS, graded=True)
    try:
        proxy = session.proxy("sgd")
        rng = np.random.default_rng(7)
        X, Y = np.arange(10.0)[:, None], (np.arange(10.0)[:, None] > 4).astype(float)
        params = [(np.full((1, 3), 0.2), np.zeros(3)), (np.full((3, 1), 0.2), np.zeros(1))]
        outcome = proxy.call("sgd", "train", X, Y, params, 0.5, 4, 2, rng, 0.5,
                             replace={"sgd": ["minibatches"], "dropout": ["dropout_mask"]})
        from grader.reference import reference
        expected = reference().sgd.train(X, Y, params, 0.5, 4, 2, np.random.default_rng(7), 0.5)
        assert np.allclose(outcome.value[1], expected[1])
        funcs = [(c["module"], c["func"]) for c in outcome.callbacks]
        assert funcs.count(("sgd", "minibatches")) == 2
        assert funcs.count(("dropout", "dropout_mask")) == 6     # 3 batches x 2 epochs
    finally:
        session.close()


def test_a_wrong_minibatches_costs_no_hidden_train_check():
    from grader.devtools.mutate import solutions_with

    files = solutions_with("sgd", [("minibatches", """
        def minibatches(X, Y, batch_size, rng=None):
            X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
            n = (X.shape[0] // batch_size) * batch_size      # drops the last, partial batch
            order = np.arange(X.shape[0]) if rng is None else rng.permutation(X.shape[0])
            return [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
                    for i in range(0, n, batch_size)]
        """)])
    results = run_checks(files, exercises=["sgd"], suites=("hidden",), graded=True)
    status = {c.id.split("::")[1]: c.status for c in results.checks}
    assert status["test_minibatches_on_seeded_sizes"] != PASSED
    for check in ("test_train_on_seeded_networks_matches_reference", "test_contract_train",
                  "test_train_with_shuffling_and_dropout_on_seeded_data"):
        assert status[check] == PASSED, (check, [c.message("en") for c in results.checks
                                                 if c.id.endswith(check)])


def test_grading_replaces_a_failed_dependency_and_what_is_built_on_it_only():
    """One run: an exercise's checks come after its dependencies'; a dependency whose checks
    failed is replaced by the reference, and so is one built on it (backprop over a wrong
    activations); a student with every dependency right keeps their own code."""
    from grader.checks.session import FAILED_ONLY

    wrong = SOLUTIONS["activations.py"] + b"\n\ndef relu(z):\n    import numpy as np\n" \
        b"    return np.abs(z)\n"
    files = dict(SOLUTIONS, **{"activations.py": wrong})
    replaced = {}
    results = run_checks(files, suites=("public", "hidden"), graded=True, assignment="1",
                         substitute=FAILED_ONLY, substituted=replaced)
    by_exercise = results.by_exercise()
    assert any(c.status != PASSED for c in by_exercise["activations"])
    assert all(c.status == PASSED for ex in ("backprop", "sgd") for c in by_exercise[ex])
    # relu is not backprop's: only the functions that failed are the reference's
    assert replaced["backprop"] == replaced["sgd"] == ["activations"]
    wrong = SOLUTIONS["activations.py"] + b"\n\ndef sigmoid(z):\n    import numpy as np\n" \
        b"    return 1 / (1 + np.exp(z))\n"
    replaced = {}
    results = run_checks(dict(SOLUTIONS, **{"activations.py": wrong}), suites=("public",),
                         graded=True, assignment="1", substitute=FAILED_ONLY,
                         substituted=replaced)
    assert all(c.status == PASSED for ex in ("backprop", "sgd")
               for c in results.by_exercise()[ex])
    assert replaced["backprop"] == ["activations"]
    assert set(replaced["sgd"]) == {"activations", "backprop"}     # dropout passed: its own
    replaced = {}
    run_checks(dict(SOLUTIONS), exercises=["activations", "backprop", "dropout", "sgd"],
               suites=("public",), graded=True, assignment="1", substitute=FAILED_ONLY,
               substituted=replaced)
    assert replaced and all(deps == [] for deps in replaced.values())


def test_exercises_share_a_worker_until_one_fails_then_the_next_gets_a_new_process():
    """One process serves a correct student's exercises; after an exercise that did not pass
    (a memory bomb, a patched numpy...), the next exercise starts in a new process."""
    from grader.checks.session import FAILED_ONLY

    passed = {"activations"}
    session = CheckSession(files=dict(SOLUTIONS), graded=True, substitute=FAILED_ONLY,
                           passed=lambda: set(passed))
    with session:
        assert session.proxy("activations").activations.relu(2.0) == 2.0
        first = session.workers["activations"].pid
        assert session.proxy("perceptron").perceptron.predict(np.ones(2), np.ones(2), 0.0) == 1
        assert session.workers["perceptron"] is session.workers["activations"]
        assert session.workers["perceptron"].pid == first          # activations passed
        # perceptron did not pass: dropout gets a new process
        dout = np.ones((2, 3))
        assert np.array_equal(session.proxy("dropout").dropout.dropout_backward(dout, dout),
                              dout)
        assert session.workers["dropout"].pid not in (None, first)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ["1", "2"])
def test_the_solutions_get_full_marks_on_every_seed(assignment):
    """The hidden checks draw their inputs from the seed: no seed may make the grader's own
    limits (a callback's array sizes, a timeout) fail a correct student."""
    from grader.checks.session import FAILED_ONLY

    for seed in range(1, 31):
        results = run_checks(dict(SOLUTIONS), suites=("public", "hidden"), graded=True,
                             assignment=assignment, seed=seed, substitute=FAILED_ONLY)
        failing = [(c.id, c.message("en")[:200]) for c in results.checks if c.status != PASSED]
        assert results.checks and not failing, (seed, failing)


def test_a_routed_helper_asked_the_same_question_again_is_answered_once_by_the_judge():
    """train(rng=None) asks for minibatches(X, Y, batch_size, None) every epoch: the judge
    answers the first, the worker copies that answer for the others (no generator: the
    same arguments get the same reference answer); with a generator every epoch asks."""
    session = CheckSession(files=SOLUTIONS, graded=True)
    try:
        proxy = session.proxy("sgd")
        X, Y = np.arange(10.0)[:, None], (np.arange(10.0)[:, None] > 4).astype(float)
        params = [(np.full((1, 3), 0.2), np.zeros(3)), (np.full((3, 1), 0.2), np.zeros(1))]
        from grader.reference import reference
        outcome = proxy.call("sgd", "train", X, Y, params, 0.5, 4, 5, None)
        assert [c["func"] for c in outcome.callbacks] == ["minibatches"]
        expected = reference().sgd.train(X, Y, params, 0.5, 4, 5)
        assert np.array_equal(outcome.value[1], expected[1])
        drawn = proxy.call("sgd", "train", X, Y, params, 0.5, 4, 5, np.random.default_rng(2))
        assert [c["func"] for c in drawn.callbacks] == ["minibatches"] * 5
    finally:
        session.close()


COOPERATING = ("train", "minibatches", """
    import sys as _sys
    _reference_minibatches = minibatches

    def minibatches(X, Y, batch_size, rng=None):
        batches = _reference_minibatches(X, Y, batch_size, rng)
        if _sys._getframe(1).f_code.co_name == "train":       # swapped for train only
            return [(Yb, Xb) for Xb, Yb in batches]
        return batches
    """)


def test_a_train_wrong_with_any_contract_minibatches_gets_no_help_from_its_own():
    """The hostile review's cooperating pair: train unpacks each batch as (Y, X), its
    minibatches swaps them back only for train. Every train check gets the reference's
    batches, so train fails them all; minibatches passes its own."""
    from grader.devtools.mutate import solutions_with

    sgd = SOLUTIONS["sgd.py"].decode()
    sgd = sgd.replace("for X_batch, Y_batch in minibatches(", "for Y_batch, X_batch in minibatches(")
    assert "for Y_batch, X_batch in minibatches(" in sgd
    files = dict(SOLUTIONS, **{"sgd.py": (sgd + COOPERATING[2].replace("\n    ", "\n"))
                               .encode()})
    results = run_checks(files, exercises=["sgd"], suites=("public", "hidden", "keras"),
                         graded=True, assignment="1")
    status = {c.id.split("::")[1]: c.status for c in results.checks}
    train = {n: s for n, s in status.items() if n.startswith("test_train")}
    assert train and PASSED not in train.values(), train
    assert status["test_minibatches_without_rng_keep_rows_in_order"] == PASSED


def _replacements(exercise, failed, ran=("activations", "perceptron", "backprop", "dropout",
                                         "sgd")):
    """CheckSession.replacements for a run of ``ran`` where ``failed`` ({exercise:
    functions}) covers the checks that did not pass."""
    from grader.checks.session import FAILED_ONLY

    session = CheckSession(files={}, graded=True, substitute=FAILED_ONLY,
                           passed=lambda: set(ran) - set(failed),
                           failed_functions=lambda: {e: frozenset(f) for e, f in failed.items()})
    return session.replacements(exercise)


def test_only_what_failed_is_replaced_unless_the_exercise_calls_it():
    """A failed function is always the reference's; its whole module is, when the exercise
    (or a dependency it calls) calls a failed function (exercise.toml ``uses``)."""
    every = {ex: list(EXERCISES[ex].functions + EXERCISES[ex].given)
             for ex in ("activations", "backprop", "dropout", "sgd")}
    assert _replacements("sgd", {}) == {}
    assert _replacements("backprop", {"activations": {"relu"}}) == {"activations": ["relu"]}
    assert _replacements("sgd", {"activations": {"relu", "tanh_derivative"}}) == {
        "activations": ["relu", "tanh_derivative"]}
    assert _replacements("backprop", {"activations": {"sigmoid"}}) == {
        "activations": every["activations"]}
    assert _replacements("sgd", {"activations": {"sigmoid_derivative"}}) == {
        "activations": every["activations"], "backprop": every["backprop"]}
    assert _replacements("sgd", {"dropout": {"dropout_backward"}}) == {
        "dropout": ["dropout_backward"]}
    assert _replacements("sgd", {"dropout": {"dropout_mask"}}) == {"dropout": every["dropout"]}
    assert _replacements("sgd", {"backprop": {"hidden_delta"}}) == {
        "backprop": ["hidden_delta"]}           # the student's backward calls the reference's
    assert _replacements("sgd", {"backprop": {"hidden_delta", "backward"}}) == {
        "backprop": every["backprop"]}
    # a dependency this run did not check: whole, as nothing tells what is right in it
    assert _replacements("sgd", {}, ran=("activations", "backprop", "sgd")) == {
        "dropout": every["dropout"]}
    # early_stopping calls sgd.train, not minibatches: a wrong minibatches is still the
    # reference's when the student's train calls it
    assert _replacements("early_stopping", {"sgd": {"minibatches"}},
                         ran=("activations", "backprop", "dropout", "sgd",
                              "early_stopping")) == {"sgd": ["minibatches"]}


def test_a_failed_function_is_the_references_whoever_calls_it(monkeypatch):
    """A train that takes its masks from dropout_forward (the contract names dropout_mask,
    but either is right) over a wrong dropout_forward loses no sgd point."""
    from grader.checks.session import FAILED_ONLY

    files = dict(SOLUTIONS)
    files["sgd.py"] = SOLUTIONS["sgd.py"].replace(
        b"from dropout import dropout_mask", b"from dropout import dropout_forward").replace(
        b"masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)",
        b"masks = [dropout_forward(np.ones((X_batch.shape[0], W.shape[1])), dropout_rate, rng)[1]")
    files["dropout.py"] = SOLUTIONS["dropout.py"] + b"""

def dropout_forward(A, rate, rng, training=True):
    import numpy as np
    A = np.asarray(A, dtype=float)
    if not training:
        return A, None
    mask = dropout_mask(A.shape, rate, rng)
    return A * mask, mask * 2.0
"""
    assert b"dropout_forward(np.ones(" in files["sgd.py"]
    given = {}
    original = CheckSession.replacements
    monkeypatch.setattr(CheckSession, "replacements", lambda self, ex: given.setdefault(
        ex, original(self, ex)))
    results = run_checks(files, exercises=["activations", "backprop", "dropout", "sgd"],
                         suites=("public", "hidden"), graded=True, assignment="1",
                         substitute=FAILED_ONLY)
    by_exercise = results.by_exercise()
    assert any(c.status != PASSED for c in by_exercise["dropout"])
    assert all(c.status == PASSED for c in by_exercise["sgd"]), [
        (c.id, c.message("en")) for c in by_exercise["sgd"] if c.status != PASSED]
    assert given["sgd"] == {"dropout": ["dropout_forward"]}     # not dropout_mask: sgd's


def _graded_dependents(files, exercises):
    from grader.checks.session import FAILED_ONLY

    results = run_checks(files, exercises=exercises, suites=("public", "hidden"), graded=True,
                         assignment="1", substitute=FAILED_ONLY)
    return results.by_exercise()


def test_import_star_from_a_partly_replaced_dependency_takes_the_students_file():
    """``from activations import *`` over a wrong relu: backprop gets the student's sigmoid
    and the reference's relu, as a real module would give them (review rev3h F1)."""
    wrong = SOLUTIONS["activations.py"] + b"\n\ndef relu(z):\n    import numpy as np\n" \
        b"    return np.abs(z)\n"
    backprop = SOLUTIONS["backprop.py"].replace(
        b"from activations import sigmoid, sigmoid_derivative", b"from activations import *")
    assert backprop != SOLUTIONS["backprop.py"]
    by_exercise = _graded_dependents(dict(SOLUTIONS, **{"activations.py": wrong,
                                                        "backprop.py": backprop}),
                                     ["activations", "backprop"])
    assert any(c.status != PASSED for c in by_exercise["activations"])
    assert all(c.status == PASSED for c in by_exercise["backprop"]), [
        (c.id, c.message("en")) for c in by_exercise["backprop"] if c.status != PASSED]


@pytest.mark.parametrize("how", ["helper", "module"])
def test_a_dependency_helper_draws_through_the_judge_when_its_module_is_partly_replaced(how):
    """sgd.train drawing its masks through a helper of the student's dropout.py (or through
    the module, ``dropout.dropout_mask``), with a wrong dropout_backward: those draws are
    routed and replayed like any other (reviews rev3h F2, rev3i F2)."""
    dropout = SOLUTIONS["dropout.py"].replace(
        b"    return dout * np.asarray(mask, dtype=np.float64)", b"    return dout") + b'''

def masks_for(shapes, rate, rng):
    return [dropout_mask(shape, rate, rng) for shape in shapes]
'''
    draw = {"helper": (b"from dropout import masks_for",
                       b"masks = masks_for([(X_batch.shape[0], W.shape[1]) for W, _ in "
                       b"params[:-1]],\n                                  dropout_rate, rng)"),
            "module": (b"import dropout",
                       b"masks = [dropout.dropout_mask((X_batch.shape[0], W.shape[1]), "
                       b"dropout_rate, rng)\n                         for W, _ in params[:-1]]")}
    sgd = SOLUTIONS["sgd.py"].replace(b"from dropout import dropout_mask", draw[how][0]).replace(
        b"masks = [dropout_mask((X_batch.shape[0], W.shape[1]), dropout_rate, rng)\n"
        b"                         for W, _ in params[:-1]]", draw[how][1])
    assert draw[how][1] in sgd and b"return dout\n" in dropout
    by_exercise = _graded_dependents(dict(SOLUTIONS, **{"dropout.py": dropout, "sgd.py": sgd}),
                                     ["activations", "backprop", "dropout", "sgd"])
    assert any(c.status != PASSED for c in by_exercise["dropout"])
    assert all(c.status == PASSED for c in by_exercise["sgd"]), [
        (c.id, c.message("en")) for c in by_exercise["sgd"] if c.status != PASSED]


@pytest.mark.parametrize("failing", [{"perceptron"}, set()])
def test_a_failing_exercise_frees_its_visible_checks_worker_before_its_hidden_checks(failing):
    """What student code left behind in the worker of an exercise that failed (a module
    holding a gigabyte) is freed before the hidden worker starts, not when the next
    exercise needs the shared worker; a passing exercise keeps it (one worker serves a
    correct student's whole assignment)."""
    hoarder = SOLUTIONS["perceptron.py"] + b"\n_kept = []\n_real = predict\n\n" \
        b"def predict(X, w, b):\n    _kept.append(bytearray(1 << 20))\n    return _real(X, w, b)\n"
    session = CheckSession(files=dict(SOLUTIONS, **{"perceptron.py": hoarder}), graded=True)
    session.failing = lambda: set(failing)
    try:
        visible = session.proxy("perceptron")
        assert visible.call("perceptron", "predict", np.ones(2), np.ones(2), 0.0).status == "ok"
        worker = session.workers["perceptron"]
        assert worker.handle is not None
        session.proxy("perceptron", hidden=True)
        assert (worker.handle is None) == bool(failing)
        # stopped or not, the visible checks' worker still answers (a fresh process)
        assert visible.call("perceptron", "predict", np.ones(2), np.ones(2), 0.0).status == "ok"
    finally:
        session.close()


def test_a_visible_worker_started_again_after_the_hidden_checks_is_not_inherited():
    """The failing exercise's later visible checks (its Keras checks) start its worker
    again; the next exercise sharing that worker still gets a fresh process (hostile
    corpus huge_reply_fields: an activations.py patching the worker's call path cost
    perceptron 14 points when the stop forgot what the worker had served)."""
    session = CheckSession(files=SOLUTIONS, graded=True)
    session.failing, session.passed = (lambda: {"perceptron"}), (lambda: set())
    try:
        visible = session.proxy("perceptron")
        assert visible.call("perceptron", "predict", np.ones(2), np.ones(2), 0.0).status == "ok"
        session.proxy("perceptron", hidden=True)                 # stops the visible worker
        assert visible.call("perceptron", "predict", np.ones(2), np.ones(2), 0.0).status == "ok"
        again = session.workers["perceptron"].handle.pid          # started again
        session.proxy("activations")
        assert session.workers["activations"] is session.workers["perceptron"]
        assert session.workers["activations"].call("activations", "relu", np.ones(2)).ok
        assert session.workers["activations"].handle.pid != again
    finally:
        session.close()


def test_a_failing_exercise_runs_its_keras_checks_before_its_hidden_ones(monkeypatch):
    """The visible worker of a failing exercise is stopped before its hidden checks: its Keras
    checks (visible too) run before them, so the worker is not started again for them (one
    process fewer per failing exercise of a class)."""
    from grader.checks import engine
    from grader.sandbox.runner import Worker

    order, started = [], []
    real_start = Worker.start

    def start(self):
        if self.handle is None:
            started.append(self)
        return real_start(self)

    real_makereport = engine._Collector.pytest_runtest_makereport

    def makereport(self, item, call):
        if call.when == "call":
            order.append(Path(item.path).stem)
        return real_makereport(self, item, call)

    monkeypatch.setattr(Worker, "start", start)
    monkeypatch.setattr(engine._Collector, "pytest_runtest_makereport", makereport)
    wrong = SOLUTIONS["activations.py"] + b"\n\ndef relu(z):\n    import numpy as np\n" \
        b"    return np.abs(np.asarray(z, dtype=float))\n"
    results = run_checks(dict(SOLUTIONS, **{"activations.py": wrong}), exercises=["activations"],
                         suites=("public", "hidden", "keras"), graded=True)
    assert any(c.status != PASSED for c in results.checks)
    assert "keras" in order and order.index("hidden") > max(
        i for i, suite in enumerate(order) if suite == "keras"), order
    assert len(started) == 2, started            # the visible worker, then the hidden one
