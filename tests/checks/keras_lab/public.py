"""Public checks of keras_lab.py: the student's Keras code, run in a Keras worker.

The judge never imports Keras: ``student.call("keras_probe", ...)`` runs the
student's functions in the worker (grader/sandbox/keras_probe.py) and returns
plain data (layers, parameter count, compile and fit settings, callbacks,
history, validation accuracy), checked here against the contract.
"""

from grader.checks.expect import expect_true, fail
from grader.mutants import mistakes_of

LAB = mistakes_of("keras_lab")


def test_build_mlp_returns_an_uncompiled_sequential_with_an_input(student):
    call = "build_mlp(2, [8])"
    model = LAB.expect_model(LAB.probe(student, "describe_mlp", 2, [8], 1, 0.0), call)
    expect_true(model.get("type") == "Sequential", "feedback.keras_lab_not_sequential", call=call,
                got=str(model.get("type")))
    expect_true(model.get("input_shape") == [None, 2], "feedback.keras_lab_input", call=call,
                got=str(model.get("input_shape")))
    expect_true(not model.get("compiled"), "feedback.keras_lab_compiled", call=call)


def test_build_mlp_hidden_layers_use_relu_and_the_output_fits_one_output(student):
    call = "build_mlp(2, [8, 4], n_outputs=1)"
    model = LAB.expect_model(LAB.probe(student, "describe_mlp", 2, [8, 4], 1, 0.0), call)
    LAB.expect_layers(model, 2, [8, 4], 1, 0.0, call)


def test_build_mlp_output_of_several_classes_is_softmax(student):
    call = "build_mlp(4, [6], n_outputs=3)"
    model = LAB.expect_model(LAB.probe(student, "describe_mlp", 4, [6], 3, 0.0), call)
    LAB.expect_layers(model, 4, [6], 3, 0.0, call)


def test_build_mlp_puts_dropout_after_every_hidden_layer_only(student):
    call = "build_mlp(3, [8, 8], dropout_rate=0.3)"
    model = LAB.expect_model(LAB.probe(student, "describe_mlp", 3, [8, 8], 1, 0.3), call)
    LAB.expect_layers(model, 3, [8, 8], 1, 0.3, call)


def test_compile_and_fit_compiles_with_adam_a_fitting_loss_and_accuracy(student):
    run = LAB.fit_settings(student)
    LAB.expect_compile(run, 1, 0.01, "compile_and_fit(model, ..., lr=0.01)  [one sigmoid output]")


def test_compile_and_fit_trains_with_validation_data_and_early_stopping(student):
    run = LAB.fit_settings(student)
    LAB.expect_fit(run, batch_size=25, epochs=4, patience=2,
               call="compile_and_fit(model, ..., batch_size=25, epochs=4, patience=2)")


def test_compile_and_fit_with_several_outputs_uses_categorical_cross_entropy(student):
    run = LAB.fit_settings(student, n_outputs=2, epochs=2)
    LAB.expect_compile(run, 2, 0.01, "compile_and_fit(model, ..., lr=0.01)  [two softmax outputs]")


def test_the_lab_learns_the_moons_with_early_stopping(student):
    """build_mlp + compile_and_fit on the moons, seed 0: validation accuracy at least 0.95."""
    X, Y, X_val, Y_val = LAB.moons()
    fit = LAB.FIT
    run = LAB.probe(student, "fit_mlp", 2, fit["hidden"], 1, 0.0, X, Y, X_val, Y_val, fit["lr"],
                fit["batch_size"], fit["epochs"], fit["patience"], fit["seed"], "student")
    call = (f"compile_and_fit(build_mlp(2, {fit['hidden']}), moons, lr={fit['lr']}, "
            f"batch_size={fit['batch_size']}, epochs={fit['epochs']}, "
            f"patience={fit['patience']}, seed={fit['seed']})")
    history = run.get("history") or {}
    expect_true("val_loss" in history, "feedback.keras_lab_no_validation", call=call,
                mistake="validation_data_missing")
    accuracy = run.get("val_accuracy")
    model = run.get("model") or {}
    mistake = LAB.diagnose_layers(model.get("layers") or [], fit["hidden"], 1, 0.0)
    if accuracy is None or accuracy < LAB.MIN_VAL_ACCURACY:
        fail("feedback.keras_lab_accuracy", call=call, got=accuracy,
             expected=LAB.MIN_VAL_ACCURACY, mistake=mistake)
