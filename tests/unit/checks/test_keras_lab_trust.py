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


# -- the probe's replies are checked for their form before any check reads them -------------
WRONG_TYPES = Path(__file__).parent / "data" / "keras_lab_wrong_types.py"


def _honest_model():
    return {"is_model": True, "type": "Sequential",
            "layers": [{"type": "Dense", "name": "dense", "units": 8, "activation": "relu",
                        "use_bias": True},
                       {"type": "Dropout", "name": "dropout", "rate": 0.3},
                       {"type": "Dense", "name": "dense_1", "units": 1,
                        "activation": "sigmoid", "use_bias": True}],
            "params": 33, "input_shape": [None, 2], "compiled": False}


def _honest_run():
    return {"returned": "History", "history": {"loss": [0.7, 0.6], "val_loss": [0.7, 0.65]},
            "model": dict(_honest_model(), compiled=True),
            "compile": {"calls": 1, "optimizer": "Adam", "learning_rate": np.float64(0.01),
                        "loss": "binary_crossentropy", "metrics": ["accuracy"]},
            "fit": {"calls": 1, "batch_size": 25, "epochs": np.int64(4),
                    "validation_data": True, "shuffle": True},
            "callbacks": [{"type": "EarlyStopping", "monitor": "val_loss", "patience": 2,
                           "restore_best_weights": True, "baseline": None,
                           "stopped_epoch": 0}],
            "epochs_run": 2, "val_accuracy": 0.9,
            "weights": [np.ones((2, 8)), np.zeros(8), np.ones((8, 1)), np.zeros(1)]}


def test_the_probes_own_replies_are_well_formed():
    assert LAB.well_formed("describe_mlp", _honest_model())["type"] == "Sequential"
    assert LAB.well_formed("describe_mlp", {"is_model": False, "type": "NoneType"})
    assert LAB.well_formed("fit_mlp", _honest_run())["returned"] == "History"
    assert LAB.well_formed("fit_mlp", dict(_honest_run(), history=None, weights=None))


@pytest.mark.parametrize("func, reply", [
    ("describe_mlp", None),
    ("describe_mlp", [1, 2]),
    ("describe_mlp", {"is_model": True, "type": "Sequential", "layers": 5,
                      "input_shape": [None, 2], "compiled": False}),          # the attack's
    ("describe_mlp", dict(_honest_model(), layers=[{"type": "Dense", "units": "8"}])),
    ("describe_mlp", dict(_honest_model(), layers=[{"type": "Dense"}] * 1000)),
    ("describe_mlp", dict(_honest_model(), layers=[{"type": "x" * 10_000}])),
    ("describe_mlp", dict(_honest_model(), input_shape=7)),
    ("describe_mlp", {"is_model": "yes", "type": "Sequential"}),
    ("fit_mlp", {"returned": "History", "compile": "x", "fit": [], "callbacks": 7,
                 "history": {"val_loss": [1.0]}, "val_accuracy": "high", "model": 3}),
    ("fit_mlp", dict(_honest_run(), compile={"calls": 1})),
    ("fit_mlp", dict(_honest_run(), callbacks=[{"type": "EarlyStopping", "patience": [2]}])),
    ("fit_mlp", dict(_honest_run(), history={"val_loss": ["0.5"]})),
    ("fit_mlp", dict(_honest_run(), history={"val_loss": [0.5] * 20_000})),
    ("fit_mlp", dict(_honest_run(), weights=[[1.0, 2.0]])),
    ("fit_mlp", dict(_honest_run(), fit={"calls": 1, "batch_size": [25], "epochs": 4,
                                         "validation_data": True})),
])
def test_a_malformed_reply_is_a_failed_check_of_the_student(func, reply):
    with pytest.raises(Exception) as info:
        LAB.well_formed(func, reply)
    assert info.value.feedback.key == "feedback.keras_lab_malformed_reply"
    from grader.i18n import t
    for lang in ("es", "en"):
        assert t(info.value.feedback.key, lang, **info.value.feedback.params)


@pytest.mark.keras
@pytest.mark.sandbox
def test_a_lab_whose_probe_replies_have_wrong_types_fails_its_checks_without_grader_errors():
    """The hostile review's keras-reply-wrong-types: every check is an ordinary failure of
    the student's (it was a TypeError in the judge: "internal grader error", exit 3)."""
    files = read_student_files(config.SOLUTIONS_DIR)
    files["keras_lab.py"] = WRONG_TYPES.read_bytes()
    results = run_checks(files, exercises=["keras_lab"], suites=("public", "hidden"),
                         lang="en", graded=True)
    malformed = [c for c in results.checks
                 if c.feedback is not None and c.feedback.key == "feedback.keras_lab_malformed_reply"]
    assert malformed, [(c.id, c.message("en")) for c in results.checks]
    for c in results.checks:
        assert c.status != PASSED, c.id
        assert c.feedback is not None and c.feedback.key != "feedback.internal_error", (
            c.id, c.message("en"))


def test_a_huge_reply_puts_only_a_few_kb_in_the_feedback():
    """The hostile review's keras-reply-large-feedback: 30 000 layers (1.7 MB) in a reply
    made 600 KB of text per check; a check's text is now cut, with a mark that it was."""
    from grader.checks.errors import CheckFailed
    from grader.grading.records import _feedback_from_dict, _feedback_to_dict

    layers = [{"type": "Dense", "units": i, "activation": "relu" * 50} for i in range(30_000)]
    model = {"is_model": True, "type": "Sequential", "layers": layers, "params": 0,
             "input_shape": [None, 2], "compiled": False}
    with pytest.raises(CheckFailed) as info:
        LAB.expect_layers(model, 2, [8], 1, 0.0, "build_mlp(2, [8])")
    feedback = info.value.feedback
    for lang in ("es", "en"):
        text = feedback.render(lang)
        assert len(text) < 6000, len(text)
        assert "\u2026" in text
    assert _feedback_from_dict(_feedback_to_dict(feedback)).params == feedback.params


def test_every_check_text_is_bounded_and_cut_visibly():
    from grader.checks.feedback import CUT, DETAILS_CHARS, PARAMS_CHARS, Feedback

    big = "x" * 2_000_000
    fb = Feedback("feedback.exception", {"call": "f(x)", "type": big, "message": big},
                  details="Traceback\n" + big + "\nValueError: the end",
                  symptom={"id": "s", "params": {"a": big}})
    assert sum(len(v) for v in fb.params.values()) <= PARAMS_CHARS
    assert fb.params["call"] == "f(x)" and fb.params["type"].endswith(CUT)
    assert len(fb.details) <= DETAILS_CHARS and fb.details.endswith("ValueError: the end")
    assert len(fb.symptom["params"]["a"]) <= PARAMS_CHARS
    assert len(Feedback(fb.key, fb.params, details=fb.details).render("en")) < 10_000
    again = Feedback(fb.key, fb.params, details=fb.details, symptom=fb.symptom)
    assert (again.params, again.details) == (fb.params, fb.details)      # cut once only
    small = Feedback("feedback.exception", {"call": "f(x)", "type": "E", "message": "m", "n": 3})
    assert small.params == {"call": "f(x)", "type": "E", "message": "m", "n": 3}
