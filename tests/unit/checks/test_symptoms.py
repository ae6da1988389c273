"""Each symptom is recognised from the values alone, and has es/en text."""

import numpy as np
import pytest

from grader.checks import symptoms
from grader.checks.errors import CheckFailed
from grader.checks.expect import expect_array, explaining, fail
from grader.checks.results import FAILED, CheckResult, Results
from grader.i18n import catalog, t

E = np.array([[0.5, -1.25, 2.0], [3.5, 0.75, -4.0], [1.0, 2.5, -0.5], [6.0, -2.0, 1.5],
              [0.25, 1.75, -3.0]])


def _id(got, expected=E, **context):
    found = symptoms.symptom(got, expected, **context)
    return found and found["id"], found


def test_every_symptom_has_spanish_and_english_text():
    for sid in symptoms.SYMPTOMS:
        entry = catalog()[f"symptom.{sid}"]
        assert entry.get("es") and entry.get("en") and entry["es"] != entry["en"]


@pytest.mark.parametrize("got, expected_id", [
    (-E, "sign_flipped"),
    (E.T, "transposed"),
    (E.ravel(), "reshaped"),
    (E + 0.3, "shifted"),
    (np.zeros_like(E), "all_zero"),
    (np.full_like(E, 0.7), "constant"),
    (E[::-1], "reordered"),
    (np.round(E), "rounded"),
])
def test_symptoms_from_the_values(got, expected_id):
    assert _id(got)[0] == expected_id


def test_a_tiny_value_returned_as_zero_is_not_called_rounded():
    # -log(1 - 1e-7) against 0 (a missing upper clip): nothing was rounded to an integer.
    assert _id(np.float64(0.0), np.float64(1.0000000494736474e-07))[0] != "rounded"


@pytest.mark.parametrize("name, value", [("N", 5), ("K", 3), ("rate", 0.3),
                                         ("1/(1-rate)", 1 / 0.7), ("lr", 0.05)])
def test_a_constant_factor_is_named(name, value):
    factors = {"N": 5, "K": 3, "rate": 0.3, "1/(1-rate)": 1 / 0.7, "lr": 0.05}
    sid, found = _id(E * value, factors=factors)
    assert sid == "factor_named" and found["params"]["factor"] == name


@pytest.mark.parametrize("factor, value", [(2.0, "2"), (0.5, "0.5")])
def test_a_factor_that_is_a_plain_number_is_not_named_twice(factor, value):
    sid, found = _id(E * factor)
    assert sid == "factor" and found["params"]["value"] == value
    for lang in ("en", "es"):
        assert "(= " not in t(f"symptom.{sid}", lang, **found["params"])


def test_the_inverse_of_a_named_factor_and_a_plain_number():
    sid, found = _id(E / 5, factors={"N": 5})
    assert sid == "factor_named" and found["params"]["factor"] == "1/(N)"
    sid, found = _id(E * 3.7)
    assert sid == "factor" and found["params"]["value"] == "3.7"


def test_wrong_only_at_the_boundary():
    z = np.array([-2.0, 0.0, 1.0, 0.0, 3.0])
    expected = (z > 0).astype(float)
    sid, found = _id((z >= 0).astype(float), expected, inputs={"z": z})
    assert sid == "boundary_only" and found["params"]["argument"] == "z"


def test_one_epoch_off_and_one_epoch_too_many():
    history = np.array([0.9, 0.7, 0.6, 0.55])
    assert _id(np.array([1.1, 0.9, 0.7, 0.6]), history, sequence=True)[0] == "off_by_one_step"
    assert _id(history[:-1], history)[0] == "length_off_by_one"
    assert _id(np.append(history, 0.5), history)[0] == "length_off_by_one"


def test_wrong_only_in_the_last_partial_batch():
    got = E.copy()
    got[4] *= 2
    assert _id(got, batch_size=2)[0] == "last_batch_only"
    assert _id(got, batch_size=5)[0] != "last_batch_only"   # no partial batch there


def test_right_for_scalars_only():
    assert _id(np.zeros(3) + 9, np.array([1.0, 2.0, 3.0]),
               scalar_values=[1.0, 2.0, 3.0])[0] == "scalars_only"


def test_returns_an_argument_and_some_entries():
    dout = E * 2
    assert _id(dout, inputs={"dout": dout})[0] == "returns_argument"
    got = E.copy()
    got[1, 2] = 99.0
    sid, found = _id(got)
    assert sid == "one_entry" and found["params"]["where"] == "(1, 2)"
    assert "1 of 15 values is wrong" in t("symptom.one_entry", "en", **found["params"])
    assert "1 de 15 valores es incorrecto" in t("symptom.one_entry", "es", **found["params"])
    got[0, 0] = 99.0
    sid, found = _id(got)
    assert sid == "some_entries" and found["params"]["count"] == 2


def test_equal_values_and_odd_values_have_no_symptom():
    assert symptoms.symptom(E.copy(), E) is None
    assert symptoms.symptom(np.array([1.0, 2.0, 3.0]), np.array([0.3, -7.0, 11.0])) is None
    assert _id(["a", "b"], [1.0, 2.0])[0] == "not_a_number_type"


def test_nested_values_name_the_part_that_differs():
    want = [(E, E[0]), (E[:2], E[1])]
    got = [(E, E[0]), (E[:2], -E[1])]
    found = symptoms.nested_symptom(got, want)
    assert found["id"] == "sign_flipped" and found["params"]["part"] == "[1][1]"


def test_expect_array_shows_the_symptom_when_no_mistake_matches():
    with pytest.raises(CheckFailed) as info:
        expect_array(-E, E, call="f(z)", mistakes={"some_mistake": E * 2})
    fb = info.value.feedback
    assert fb.mistake is None and fb.symptom["id"] == "sign_flipped"
    assert t("symptom.sign_flipped", "en") in fb.render("en")
    assert t("symptom.sign_flipped", "es") in fb.render("es")


def test_a_named_mistake_only_when_its_values_match():
    with pytest.raises(CheckFailed) as info:
        expect_array(E * 2, E, call="f(z)", mistakes={"some_mistake": E * 2},
                     factors={"2": 2})
    assert info.value.feedback.mistake == "some_mistake" and info.value.feedback.symptom is None


def test_explaining_gives_nested_values_their_symptom():
    with pytest.raises(CheckFailed) as info:
        with explaining([(E * 4, E[0])], [(E, E[0])], factors={"N": 4}):
            fail("feedback.assertion", message="x")
    assert info.value.feedback.symptom["id"] == "factor_named"


def test_the_diagnosis_reaches_the_json_of_a_failing_check():
    def result(fb):
        return CheckResult("public/test_x.py::test_y", "activations", "public", {}, FAILED,
                           0.0, 1.0, fb)
    with pytest.raises(CheckFailed) as info:
        expect_array(-E, E, call="f(z)")
    with pytest.raises(CheckFailed) as named:
        expect_array(E * 2, E, call="f(z)", mistakes={"output_delta_sign_flipped": E * 2})
    with pytest.raises(CheckFailed) as none:
        expect_array(np.array([1.0, 2.0]), np.array([0.3, -7.0]), call="f(z)")
    doc = Results([result(info.value.feedback), result(named.value.feedback),
                   result(none.value.feedback)], "en", 100).to_gradescope()
    got = [test["extra_data"]["diagnosis"] for test in doc["tests"]]
    assert got == [{"symptom": "sign_flipped"}, {"mistake": "output_delta_sign_flipped"}, None]


def test_a_running_total_of_a_sequence():
    errors = np.array([3.0, 2.0, 0.0, 1.0])
    assert _id(np.cumsum(errors), errors, sequence=True)[0] == "cumulative"


def test_a_specific_rule_counts_as_a_diagnosis_and_a_generic_message_does_not():
    from grader.checks.feedback import Feedback

    def diagnosis(key):
        return CheckResult("public/test_x.py::test_y", "sgd", "public", {}, FAILED, 0.0, 1.0,
                           Feedback(key, {})).diagnosis
    assert diagnosis("feedback.sgd_sample_repeated") == {"rule": "feedback.sgd_sample_repeated"}
    assert diagnosis("feedback.wrong_values") is None


def test_a_wrong_scalar_shows_no_index():
    with pytest.raises(CheckFailed) as info:
        expect_array(np.float64(1.0), np.float64(0.0), call="predict(x, w, b)")
    for lang in ("en", "es"):
        text = info.value.feedback.render(lang)
        assert "index" not in text and "posición" not in text, text
        assert "predict(x, w, b)" in text and "1.0" in text and "0.0" in text



def test_only_the_last_row_wrong_is_said_in_the_singular():
    expected = np.array([1.0, 3.0, 3.0])
    sid, found = _id(np.array([1.0, 3.0, 2.0]), expected)
    assert sid == "last_row_only" and found["params"]["row"] == 2
    assert "only the last row (2) is wrong" in t("symptom.last_row_only", "en", **found["params"])
    sid, found = _id(np.array([1.0, 3.0, 2.0, 5.0]), np.array([1.0, 3.0, 3.0, 4.0]))
    assert sid == "last_rows_only" and found["params"]["rows"] == "2..3"


def test_no_factor_is_claimed_from_one_number_or_for_a_ratio_next_to_one():
    """revIndep2: w = [0, 1] against [0, 3] was "0.333333 times the expected one" (the cause:
    a tie at z = 0), and RMSProp with epsilon outside the root "0.999999 times": neither is a
    factor a student wrote."""
    one = symptoms.symptom(np.array([0.0, 1.0]), np.array([0.0, 3.0]))
    assert one is None or one["id"] != "factor"
    near = symptoms.symptom(E * 0.9995, E)               # differs, but by no factor
    assert near is None or near["id"] != "factor"
    assert _id(E * 3.0)[0] == "factor"                   # a real factor still is one
