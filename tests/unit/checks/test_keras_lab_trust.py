"""The Keras lab's verdicts do not take the student's process at its word.

The student's Keras code and the probe that describes it share one process, so whatever the
probe reports is the student's to forge. The compile_and_fit checks therefore hold the
reported training against the REFERENCE compile_and_fit run in a worker without student
code, and the accuracy check computes the accuracy of the returned weights in the judge.
"""

from pathlib import Path

import numpy as np
import pytest

from grader import config
from grader.checks.engine import run_checks
from grader.checks.results import PASSED
from grader.checks.session import read_student_files
from grader.exercises import load_unit_module

LAB = load_unit_module("keras_lab", "public")
FORGER = Path(__file__).parent / "data" / "keras_lab_forger.py"
TRAINING_CHECKS = [
    "keras_lab/public.py::test_compile_and_fit_compiles_with_adam_a_fitting_loss_and_accuracy",
    "keras_lab/public.py::test_compile_and_fit_trains_with_validation_data_and_early_stopping",
    "keras_lab/public.py::test_compile_and_fit_with_several_outputs_uses_categorical_cross_entropy",
    "keras_lab/public.py::test_the_lab_learns_the_moons_with_early_stopping",
    "keras_lab/hidden.py::test_compile_and_fit_on_seeded_settings",
]


def test_the_accuracy_is_that_of_the_returned_weights_of_the_contracts_network():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2))
    Y = (X[:, :1] > 0).astype(float)
    W1, b1 = np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros(2)
    W2, b2 = np.array([[1.0], [-1.0]]), np.zeros(1)        # relu(x) - relu(-x) = x
    assert LAB.judged_accuracy([W1, b1, W2, b2], [2, 2, 1], X, Y) == 1.0
    assert LAB.judged_accuracy([W1, b1, -W2, b2], [2, 2, 1], X, Y) == 0.0
    assert LAB.judged_accuracy([W1, b1, W2], [2, 2, 1], X, Y) is None         # not the network
    assert LAB.judged_accuracy([W1.T[:1], b1, W2, b2], [2, 2, 1], X, Y) is None
    assert LAB.judged_accuracy("1.0", [2, 2, 1], X, Y) is None


def test_a_reported_training_that_is_not_the_references_fails():
    history = {"loss": [0.5, 0.4], "val_loss": [0.6, 0.5]}
    weights = [np.ones((2, 3)), np.zeros(3)]
    run = {"history": history, "weights": weights,
           "reference": {"history": history, "weights": weights}}
    LAB.expect_reference_training(run, "call")                          # the same: passes
    LAB.expect_reference_training(dict(run, reference=None), "call")     # no reference: passes
    forged = [dict(run, history={"loss": [0.1], "val_loss": [0.1]}),
              dict(run, weights=[np.ones((2, 3)) * 1.001, np.zeros(3)]),
              dict(run, weights=None), dict(run, history="History")]
    for case in forged:
        with pytest.raises(Exception) as info:
            LAB.expect_reference_training(case, "call")
        assert info.value.feedback.key == "feedback.keras_lab_not_reproduced"


@pytest.mark.keras
@pytest.mark.sandbox
def test_a_lab_that_forges_the_probes_replies_earns_no_training_point():
    """A keras_lab.py that rewrites the probe at import (reported settings, history and
    accuracy all as the checks want, no model, no training: the hostile review's attack)."""
    files = read_student_files(config.SOLUTIONS_DIR)
    files["keras_lab.py"] = FORGER.read_bytes()
    results = run_checks(files, exercises=["keras_lab"], suites=("public", "hidden"),
                         lang="en", graded=True)
    checks = {c.id: c for c in results.checks}
    for check_id in TRAINING_CHECKS:
        assert checks[check_id].status != PASSED, check_id
    assert checks[TRAINING_CHECKS[0]].feedback.key == "feedback.keras_lab_not_reproduced"
