"""compare(): a correct student agrees with Keras; each named mistake is caught and located."""

import dataclasses

import pytest

from grader import config
from grader.compare import compare, format_table, plot

pytestmark = pytest.mark.keras

# Tiny and quick: XOR, 2-3-1, two mini-batches per epoch, 15 epochs.
SMALL = {"dataset": "xor", "hidden": (3,), "lr": 1.0, "batch_size": 2, "epochs": 15,
         "device": "cpu"}


@pytest.fixture(scope="module")
def agreeing(student_factory, keras_cache):
    return compare(student_factory(), cache_dir=keras_cache, **SMALL)


def test_a_correct_student_agrees_step_for_step(agreeing):
    result = agreeing
    assert result.verdict == "agree" and result.reasons == () and result.exact
    assert len(result.rows) == 15 and all(row.agrees for row in result.rows)
    assert max(row.diff for row in result.rows) <= result.atol
    assert all(g.agrees for g in result.gradients) and len(result.gradients) == 4
    assert result.first_diverging_epoch is None and result.first_bad_layer is None
    assert result.layer_sizes == (2, 3, 1)
    assert result.student_accuracy == result.keras_accuracy


def test_the_result_names_the_device_and_backend_actually_used(agreeing):
    device = agreeing.device
    assert device["device"] == "cpu" and device["backend"] in ("tensorflow", "jax")
    assert device["keras_version"] and device["backend_version"]


def test_the_reference_solutions_agree_with_keras(load_modules, keras_cache):
    solutions = load_modules(config.SOLUTIONS_DIR)
    result = compare(solutions, cache_dir=keras_cache, **SMALL)
    assert result.verdict == "agree", format_table(result, "en")


def test_hidden_delta_without_sigmoid_derivative_is_caught_in_the_hidden_layer(mutants,
                                                                                 keras_cache):
    result = compare(mutants["hidden_delta_without_sigmoid_derivative"], cache_dir=keras_cache,
                     **SMALL)
    assert result.verdict == "diverge" and "gradient" in result.reasons
    assert result.first_diverging_epoch == 1 and result.chaotic_from_epoch is None
    assert (result.first_bad_layer, result.first_bad_param) == (1, "W")
    output_layer = [g for g in result.gradients if g.layer == 2]
    assert all(g.agrees for g in output_layer)      # the output layer's delta is right


def test_summed_instead_of_averaged_gradients_are_caught_at_the_output_layer(mutants,
                                                                              keras_cache):
    result = compare(mutants["summed_gradients"], cache_dir=keras_cache, **SMALL)
    assert result.verdict == "diverge" and set(result.reasons) == {"loss", "gradient"}
    assert result.first_diverging_epoch == 1
    assert (result.first_bad_layer, result.first_bad_param) == (2, "W")
    assert not any(g.agrees for g in result.gradients)


def test_dropout_without_rescaling_is_caught(mutants, student_factory, keras_cache):
    kw = dict(SMALL, dataset="moons", hidden=(4,), batch_size=50, epochs=3, dropout=0.5)
    good = compare(student_factory(), cache_dir=keras_cache, **kw)
    bad = compare(mutants["dropout_without_scaling"], cache_dir=keras_cache, **kw)
    assert good.verdict == "agree" and not good.exact
    assert all(row.agrees is None for row in good.rows)
    assert good.dropout_check.student_scale == pytest.approx(2.0)
    assert bad.verdict == "diverge" and bad.reasons == ("dropout",)
    check = bad.dropout_check
    assert check.student_scale == pytest.approx(1.0) and check.keras_scale == pytest.approx(2.0)
    assert abs(check.student_dropped - 0.5) < 0.05 and check.student_eval_identity


def test_round_off_growing_in_a_chaotic_training_is_not_blamed_on_the_student(student_factory,
                                                                             keras_cache):
    """pass/fail with raw features and lr=0.5 is chaotic: a 1e-13 nudge to the start weights
    (round-off of another operation order) grows until the curves part; one epoch restarted
    from Keras's weights still agrees, so the verdict stays 'agree'."""
    correct = student_factory()

    def nudged_train(X, Y, params, *args, **kwargs):
        params = [(W * (1 + 1e-13), b) for W, b in params]
        return correct.sgd.train(X, Y, params, *args, **kwargs)

    student = student_factory()
    student.sgd.train = nudged_train
    result = compare(student, cache_dir=keras_cache, dataset="pass_fail", hidden=(3,), lr=0.5,
                     batch_size=4, epochs=60, device="cpu")
    assert result.chaotic_from_epoch is not None and result.first_diverging_epoch is None
    assert result.verdict == "agree"
    assert any(row.agrees is False for row in result.rows)
    assert "round-off" in format_table(result, "en")


def test_a_history_of_the_wrong_length_is_reported_not_raised(student_factory, keras_cache):
    student = student_factory()
    correct_train = student.sgd.train
    student.sgd.train = lambda *a, **kw: (correct_train(*a, **kw)[0], [0.5])
    result = compare(student, cache_dir=keras_cache, **SMALL)
    assert result.verdict == "diverge" and result.reasons == ("output",)
    assert result.output_problem == {"what": "history", "expected": "(15,)", "got": "(1,)"}
    assert "history" in format_table(result, "en")


def test_the_tables_speak_both_languages_and_locate_the_mistake(mutants, keras_cache):
    result = compare(mutants["hidden_delta_without_sigmoid_derivative"], cache_dir=keras_cache,
                     **SMALL)
    es, en = format_table(result, "es"), format_table(result, "en")
    assert "DIFIEREN" in es and "época 1" in es and "dW de la capa 1" in es
    assert "DIVERGE" in en and "epoch 1" in en and "dW of layer 1" in en
    assert "tensorflow" in es or "jax" in es


def test_the_plot_is_a_png_with_curves_and_both_boundaries(agreeing, tmp_path):
    path = plot(agreeing, tmp_path / "out" / "compare.png", lang="en")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width = int.from_bytes(data[16:20], "big")
    assert width > 1200   # three panels side by side


def test_a_dataset_without_two_inputs_is_plotted_as_curves_only(agreeing, tmp_path):
    curves_only = dataclasses.replace(agreeing, boundary=None)
    data = plot(curves_only, tmp_path / "curves.png", lang="es").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(data[16:20], "big") < 700


def test_long_runs_are_shortened_to_notable_epochs(agreeing):
    lines = format_table(agreeing, "en", max_rows=6).splitlines()
    shown = [line.split()[0] for line in lines if line.strip() and line.split()[0].isdigit()]
    assert shown[0] == "1" and shown[-1] == "15" and len(shown) < 15
    assert any(line.strip() == "..." for line in lines)


@pytest.mark.parametrize("setting", [{"lr": 0}, {"batch_size": 0}, {"epochs": 2.5},
                                     {"dropout": 1.0}, {"hidden": (0,)}])
def test_unusable_settings_are_refused_in_the_chosen_language(student_factory, setting):
    with pytest.raises(ValueError, match="Invalid value"):
        compare(student_factory(), lang="en", **setting)
    with pytest.raises(ValueError, match="no válido"):
        compare(student_factory(), **setting)


def test_gradients_of_the_wrong_shape_are_located_not_raised(student_factory, keras_cache):
    student = student_factory()
    correct_backward = student.backprop.backward

    def backward_with_bias_as_row(params, cache, Y):
        grads = correct_backward(params, cache, Y)
        return [(dW, db.reshape(1, -1)) for dW, db in grads[:-1]] + grads[-1:]

    student.backprop.backward = backward_with_bias_as_row
    result = compare(student, cache_dir=keras_cache, **SMALL)
    assert result.verdict == "diverge" and result.reasons == ("gradient",)
    assert (result.first_bad_layer, result.first_bad_param) == (1, "b")
