"""A judge's kept callback answers come from the reference alone, before its first student."""

import pytest

from grader import config
from grader.assignments import get, to_dict
from grader.grading import judge
from grader.sandbox import runner
from grader.sandbox.runner import answer_cache, default_forbidden

pytestmark = pytest.mark.sandbox

SETTINGS = {"assignment": {k: v for k, v in to_dict(get("1")).items() if k != "title"}}
# output_delta with its sign flipped: backprop fails, and sgd's checks run with the
# reference backprop substituted, every training step a callback into the judge
WRONG_BACKPROP = b"\n\ndef output_delta(A_L, Y):\n    return Y - A_L\n"


def _student() -> dict:
    files = {name: (config.SOLUTIONS_DIR / name).read_bytes()
             for name in ("activations.py", "perceptron.py", "backprop.py", "dropout.py",
                          "sgd.py")}
    files["backprop.py"] += WRONG_BACKPROP
    return files


@pytest.fixture
def fresh_caches():
    judge._PRIMED["key"] = None
    yield
    judge._PRIMED["key"] = None
    for hidden in (True, False):
        answer_cache(hidden).clear()
        answer_cache(hidden).frozen = True


def _outcomes(record):
    return [(c["id"], c["status"], c["points"], (c["feedback"] or {}).get("key"))
            for c in record["checks"]]


def test_students_only_read_the_answers_the_reference_put_there(fresh_caches, monkeypatch):
    forbidden = default_forbidden()
    judge.prime_answers(3, SETTINGS, forbidden)
    kept = {hidden: dict(answer_cache(hidden).entries) for hidden in (True, False)}
    assert all(kept.values()) and answer_cache(True).frozen and answer_cache(False).frozen
    hits = []
    real_get = runner.AnswerCache.get

    def counting_get(self, request):
        found = real_get(self, request)
        hits.append(found is not None)
        return found

    monkeypatch.setattr(runner.AnswerCache, "get", counting_get)
    record = judge.grade_files(_student(), seed=3, settings=SETTINGS, forbidden=forbidden)
    assert sum(hits) > 100                         # sgd.train's steps, answered from the cache
    assert {hidden: answer_cache(hidden).entries for hidden in (True, False)} == kept
    for hidden in (True, False):                   # the same student, every answer computed
        answer_cache(hidden).clear()
    again = judge.grade_files(_student(), seed=3, settings=SETTINGS, forbidden=forbidden)
    assert _outcomes(again) == _outcomes(record)
    assert record["substituted"] == ["backprop"]
    assert any(c["status"] != "passed" for c in record["checks"] if c["exercise"] == "backprop")
    assert all(c["status"] == "passed" for c in record["checks"] if c["exercise"] == "sgd")


def test_the_answers_are_filled_once_per_seed_and_assignment_and_none_when_it_fails(
        fresh_caches, monkeypatch):
    from grader.checks import engine

    runs = []
    real = engine.run_checks

    def counting(*args, **kwargs):
        runs.append(kwargs["seed"])
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "run_checks", counting)
    forbidden = default_forbidden()
    judge.prime_answers(5, SETTINGS, forbidden)
    judge.prime_answers(5, SETTINGS, forbidden)
    assert runs == [5]

    def broken(*args, **kwargs):
        answer_cache(False).put(b"half-filled", "sgd", "x", None, b"answer")
        raise RuntimeError("the reference could not be checked")

    monkeypatch.setattr(engine, "run_checks", broken)
    judge.prime_answers(6, SETTINGS, forbidden)
    for hidden in (True, False):
        assert answer_cache(hidden).entries == {} and answer_cache(hidden).frozen
