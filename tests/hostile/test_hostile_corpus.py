"""Every hostile submission of the corpus is graded with the expected score and reason.

All cases are graded in ONE batch (two judges, 1 s per call): a case that
hangs, crashes, floods or attacks must cost only its own points, never the
batch or another student. Each case's expect.toml says, per exercise,
"full" / "zero" / "partial" (strictly between) / "not_full", plus the check
statuses, reasons, notes and side effects to look for (see corpus.py).
"""

from __future__ import annotations

import os
import re
import socket

import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.grading import grade

from tests.hostile.corpus import build_case, case_names, expectation, golden_relu_table

# The hostile submissions are assignment 1's; the course has more assignments.
ORDER = get_assignment("1").exercises

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

SEED = 20240607
# C0 controls but tab and newline, DEL, C1 controls, bidi overrides and isolates
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _comm_names() -> set[str]:
    names = set()
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as fh:
                    names.add(fh.read().strip())
            except OSError:
                continue
    return names


def _procname() -> str:
    """A process name unique to this test run (at most 15 characters, like comm)."""
    return f"hl-{os.getpid()}"[:15]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    out = root / "out"
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    values = {"SOLUTIONS_DIR": config.SOLUTIONS_DIR, "CHECKS_DIR": config.CHECKS_DIR,
              "OUT_DIR": out, "PORT": server.getsockname()[1], "MARKER": root / "pwned",
              "PROCNAME": _procname(),
              "GOLDEN_RELU": golden_relu_table()}
    for name in case_names():
        build_case(name, root / "students", values)
    try:
        report = grade([root / "students"], out=out, jobs=2, timeout_s=1.0, seed=SEED,
                       lang="en")
    finally:
        server.close()
    rows = {row.student_id: row for row in report.rows}
    return report, rows, root, out


def _checks(row, exercise):
    return [c for c in row.record["checks"] if c["exercise"] == exercise]


def _assert_level(row, exercise, level):
    score, top = row.scores[exercise], row.max_scores[exercise]
    assert top > 0
    if level == "full":
        assert score == pytest.approx(top), (exercise, score, top, _failing(row, exercise))
    elif level == "zero":
        assert score == 0, (exercise, score)
    elif level == "partial":
        assert 0 < score < top, (exercise, score, top)
    elif level == "not_full":
        assert score < top, (exercise, score, top)
    else:
        raise AssertionError(f"unknown level {level}")


def _failing(row, exercise):
    return [(c["id"], c["status"], (c.get("feedback") or {}).get("key"))
            for c in _checks(row, exercise) if c["status"] != "passed"]


def _cases():
    """Every case; one whose expect.toml has ``xfail = "why"`` is a known, open hole."""
    return [pytest.param(name, marks=pytest.mark.xfail(reason=expectation(name)["xfail"],
                                                       strict=True))
            if "xfail" in expectation(name) else name for name in case_names()]


@pytest.mark.parametrize("case", _cases())
def test_each_hostile_submission_gets_the_expected_score_and_reason(graded, case):
    report, rows, root, out = graded
    expect = expectation(case)["expect"]
    row = rows[case]
    needs = expect.get("isolation")
    if needs and not report.isolation.get(needs):
        pytest.skip(f"this system gives workers no {needs} isolation")
    assert row.status == expect.get("status", "graded"), row.reason_text("en")
    for exercise in ORDER:
        level = expect.get(exercise, expect.get("others", "full"))
        _assert_level(row, exercise, level)
    if "reason" in expect:
        assert expect["reason"] in row.reason_text("en")
    for exercise, statuses in expect.get("statuses", {}).items():
        seen = {c["status"] for c in _checks(row, exercise)}
        assert set(statuses) <= seen, (exercise, statuses, seen)
    by_id = {c["id"]: c for c in row.record["checks"]}
    for check_id in expect.get("passed", []):
        assert by_id[check_id]["status"] == "passed", by_id[check_id]
    for check_id in expect.get("failed", []):
        assert by_id[check_id]["status"] != "passed", by_id[check_id]
    for exercise, culprit in expect.get("note", {}).items():
        notes = [n["params"]["deps"] for c in _checks(row, exercise) for n in c["notes"]
                 if n and n.get("key") == "feedback.dependency_failing"]
        assert any(culprit in deps for deps in notes), notes
    if "output" in expect:
        texts = [str((c.get("feedback") or {}).get("params")) for c in row.record["checks"]]
        assert any(expect["output"] in text for text in texts)
    if "max_report_bytes" in expect:
        report_file = out / row.report_dir / "feedback.md"
        assert report_file.stat().st_size <= expect["max_report_bytes"]
    if expect.get("clean_reports"):    # no terminal escapes / bidi overrides in any report
        for name in ("feedback.md", "feedback.html", "results.json"):
            text = (out / row.report_dir / name).read_text(encoding="utf-8")
            assert not _CONTROL.search(text), (name, _CONTROL.findall(text)[:5])
    if "max_judge_mb" in expect:       # the largest judge of the whole corpus batch
        assert report.judge_peak_mb is not None
        assert report.judge_peak_mb <= expect["max_judge_mb"], report.judge_peak_mb
    if expect.get("marker_absent"):
        assert not (root / "pwned").exists()
    if expect.get("untouched_out"):
        for path in out.rglob("*"):
            if path.is_file() and ".grader" not in path.parts:
                assert "forged,100" not in path.read_text(encoding="utf-8", errors="replace")
        gradebook = (out / "gradebook.csv").read_text(encoding="utf-8")
        assert gradebook.startswith("Student,ID,")
    if "no_process" in expect:         # named after this run: another run's is not ours
        assert expect["no_process"].replace("{PROCNAME}", _procname()) not in _comm_names()


def test_the_batch_survives_the_whole_corpus_and_grades_everyone(graded):
    report, rows, _, out = graded
    assert sorted(rows) == case_names()
    assert (out / "gradebook.csv").is_file()
    assert all(row.total is not None for row in rows.values())


def test_nothing_a_worker_started_is_left_running_after_the_batch(graded):
    report, *_ = graded
    if not report.isolation.get("processes"):
        pytest.skip("no PID namespace on this system")
    assert _sandbox_processes() == []


def _sandbox_processes() -> list[str]:
    """Orphaned sandbox processes: running with a worker's uid (1 900 000 000 and up)
    with no live judge above them. A process still under some grader or test process
    (this one's check-suite fixtures, or another run on the same machine) belongs to a
    live worker; one whose ancestors up to init are all sandbox processes was left
    running by a killed worker."""
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    parent = {p: _field(p, "PPid:") for p in pids}
    uid = {p: int(_field(p, "Uid:") or 0) for p in pids}

    def sandboxed(p):
        return uid.get(p, 0) >= 1_900_000_000

    def orphaned(p):
        seen = set()
        while p in parent and p not in seen:
            seen.add(p)
            p = parent[p]
            if p in ("0", "1", None):
                return True
            if not sandboxed(p):
                return False       # a live judge or test process owns it
        return True

    return [p for p in pids if sandboxed(p) and orphaned(p)]


def _field(pid: str, name: str):
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(name):
                    return line.split()[1]
    except OSError:
        return None
    return None
