"""The bundled sample submissions grade as the README says (the main-job command)."""

import pytest

from grader import config
from grader.grading import format_gradebook, grade

pytestmark = pytest.mark.sandbox

SAMPLES = config.PACKAGE_DIR / "data" / "samples"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    return grade([SAMPLES], out=tmp_path_factory.mktemp("samples") / "out", seed=1, lang="en")


def test_the_correct_sample_scores_every_point(report):
    rows = {r.student_id: r for r in report.rows}
    assert rows["ana.garcia"].total == pytest.approx(100)


def test_the_partly_correct_sample_loses_points_with_a_named_mistake(report):
    luis = {r.student_id: r for r in report.rows}["luis.perez"]
    assert 0 < luis.total < 100
    assert "hidden_delta_missing_sigma_prime" in luis.mistakes
    assert luis.scores["dropout"] == 0


def test_the_hostile_sample_costs_only_its_own_exercises(report):
    mallory = {r.student_id: r for r in report.rows}["mallory"]
    assert mallory.scores["activations"] == 0 and mallory.scores["sgd"] == 0
    assert mallory.scores["backprop"] == pytest.approx(mallory.max_scores["backprop"])
    assert mallory.scores["dropout"] == pytest.approx(mallory.max_scores["dropout"])
    assert "forbidden" in mallory.reason_text("en")


def test_the_gradebook_printed_lists_the_three_samples(report):
    text = format_gradebook(report, "en")
    assert all(name in text for name in ("ana.garcia", "luis.perez", "mallory"))
