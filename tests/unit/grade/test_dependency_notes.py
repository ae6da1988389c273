"""A failing check names another exercise as a possible cause only where that exercise
failed and was not replaced by the reference (random functions included)."""

import pytest

from grader.grading.rows import _note_dependencies


def _record(substituted):
    def check(exercise, status):
        return {"id": f"{exercise}/public.py::t", "exercise": exercise, "status": status,
                "notes": []}

    return {"checks": [check("dropout", "failed"), check("sgd", "failed"),
                       check("backprop", "passed")],
            "substituted": substituted}


@pytest.mark.parametrize("substituted, noted", [([], ["dropout"]), (["dropout"], [])])
def test_sgd_names_a_failing_dropout_only_where_dropout_was_not_replaced(substituted, noted):
    record = _record(substituted)
    _note_dependencies(record)
    sgd = next(c for c in record["checks"] if c["exercise"] == "sgd")
    deps = [n["params"]["deps"] for n in sgd["notes"]
            if n and n.get("key") == "feedback.dependency_failing"]
    assert (deps[0].split(", ") if deps else []) == noted
