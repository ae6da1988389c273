"""`grader grade` refuses to grade without the isolation it needs, unless told otherwise."""

import json

import pytest
from click.testing import CliRunner

from grader import config
from grader.errors import GraderError
from grader.grading import grade
from grader.ingest.layouts import EXERCISE_FILES
from grader.sandbox.requirements import REQUIRED, missing_isolation

pytestmark = pytest.mark.sandbox


def _klass(root):
    folder = root / "class" / "ana"
    folder.mkdir(parents=True)
    for name in EXERCISE_FILES:
        (folder / name).write_bytes((config.SOLUTIONS_DIR / name).read_bytes())
    return root / "class"


def test_every_protection_is_required_and_a_missing_one_is_named():
    full = {p: True for p in REQUIRED}
    assert missing_isolation(full) == []
    assert missing_isolation({**full, "memory": False}) == ["memory"]


def test_without_isolation_nothing_is_graded_and_the_message_says_how_to_get_it(
        tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SANDBOX", "popen")       # workers without any namespace
    out = tmp_path / "out"
    with pytest.raises(GraderError) as err:
        grade([_klass(tmp_path)], out=out, jobs=1, seed=1, lang="en")
    assert err.value.key == "batch.error.isolation_missing"
    text = err.value.message("en")
    assert "file system" in text and "--allow-weak-isolation" in text
    assert "user namespaces" in text or "Linux" in text
    assert "sistema de archivos" in err.value.message("es")
    assert not (out / "gradebook.csv").exists()
    assert not list((out / ".grader" / "results").glob("*.json"))


def test_weak_isolation_when_asked_for_is_recorded_in_every_output(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADER_SANDBOX", "popen")
    out = tmp_path / "out"
    report = grade([_klass(tmp_path)], out=out, jobs=1, seed=1, lang="en",
                   allow_weak_isolation=True)
    (row,) = report.rows
    assert "weak isolation" in row.reason_text("en") and row.total == 100
    assert "weak isolation" in (out / "gradebook.csv").read_text("utf-8")
    doc = json.loads((out / row.report_dir / "results.json").read_text("utf-8"))
    assert "weak isolation" in doc["output"]
    assert json.loads((out / "summary.json").read_text("utf-8"))["weak_isolation"] is True
    for name in ("summary.md", "summary.html"):
        assert "WEAK isolation" in (out / name).read_text("utf-8")


def test_the_cli_exit_status_says_when_rows_need_attention(tmp_path):
    from grader.cli import cli

    klass = _klass(tmp_path)
    (klass / "broken.zip").write_bytes(b"PK\x03\x04 nope")
    result = CliRunner().invoke(cli, ["grade", str(klass), "--out", str(tmp_path / "out"),
                                      "--seed", "1", "--lang", "en"])
    assert result.exit_code == 3, result.output
    assert "1 row needs your attention" in result.output
    (klass / "broken.zip").unlink()
    result = CliRunner().invoke(cli, ["grade", str(klass), "--out", str(tmp_path / "out2"),
                                      "--seed", "1", "--lang", "en"])
    assert result.exit_code == 0, result.output
