"""A killed run resumes to the same gradebook, byte for byte; nothing is graded twice."""

import os
import signal
import subprocess
import sys
import time

import pytest

from grader import config
from grader.grading import grade
from grader.assignments import get as get_assignment

# Assignment 1's submissions (the course also has assignment 2).
EXERCISE_FILES = tuple(f"{ex}.py" for ex in get_assignment("1").exercises)

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]

SEED = 777


def _class(root):
    """Eight students: correct ones, partly correct ones, a broken archive."""
    klass = root / "class"
    for i in range(8):
        folder = klass / f"s{i}"
        folder.mkdir(parents=True)
        for name in EXERCISE_FILES:
            data = (config.SOLUTIONS_DIR / name).read_bytes() + f"\n# student {i}\n".encode()
            if i % 3 == 1 and name == "sgd.py":
                data = (config.EXERCISES_DIR / name).read_bytes()
            if i % 3 == 2 and name == "activations.py":
                data += b"\n\ndef relu(z):\n    return z\n"
            (folder / name).write_bytes(data)
    (klass / "broken.zip").write_bytes(b"PK\x03\x04 nope")
    return klass


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    return _class(tmp_path_factory.mktemp("resume"))


@pytest.fixture(scope="module")
def reference_run(klass, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted") / "out"
    report = grade([klass], out=out, jobs=2, seed=SEED, timeout_s=2.0, lang="en")
    return report, out


def _descendants(root_pid: int) -> set[str]:
    pids = [p for p in os.listdir("/proc") if p.isdigit()]
    parent = {}
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as fh:
                parent[p] = next(line.split()[1] for line in fh if line.startswith("PPid:"))
        except (OSError, StopIteration):
            pass
    mine, changed = {str(root_pid)}, True
    while changed:
        changed = False
        for p, pp in parent.items():
            if p not in mine and pp in mine:
                mine.add(p)
                changed = True
    return mine


def _alive_judges(pids) -> list[str]:
    """Those of ``pids`` that are still a judge or a zygote (of the run we killed).

    Only the killed run's own processes are looked at: graders that other people
    (or other tests) run on this machine at the same time are none of our business.
    """
    found = []
    for p in pids:
        try:
            with open(f"/proc/{p}/cmdline", "rb") as fh:
                cmdline = fh.read()
            with open(f"/proc/{p}/stat") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z" and (b"judge_entry" in cmdline or b"zygote_main(int(" in cmdline):
            found.append(p)
    return found


def test_a_run_killed_with_sigkill_resumes_to_the_same_gradebook(klass, reference_run,
                                                                 tmp_path):
    _, reference_out = reference_run
    out = tmp_path / "out"
    script = ("import sys\nfrom grader.grading import grade\n"
              f"grade([{str(klass)!r}], out={str(out)!r}, jobs=2, seed={SEED}, timeout_s=2.0,"
              " lang='en')\n")
    env = dict(os.environ, PYTHONPATH=str(config.REPO_DIR) + os.pathsep
               + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    results = out / ".grader" / "results"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if results.is_dir() and len(list(results.glob("*.json"))) >= 2:
            break
        time.sleep(0.02)
    ours = _alive_judges(_descendants(proc.pid) - {str(proc.pid)})
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished_before = len(list(results.glob("*.json")))
    assert 0 < finished_before < 8, "the kill should land in the middle of the batch"
    assert ours, "the killed run had judges (and zygotes) that could have been left behind"
    deadline = time.monotonic() + 10
    while _alive_judges(ours) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _alive_judges(ours) == []

    report = grade([klass], out=out, jobs=2, timeout_s=2.0, lang="en")   # seed from run.json
    assert report.seed == SEED
    assert report.skipped_unchanged == finished_before
    assert (out / "gradebook.csv").read_bytes() == (reference_out / "gradebook.csv").read_bytes()


def test_a_second_run_regrades_nothing_and_writes_the_same_bytes(klass, reference_run):
    first, out = reference_run
    before = (out / "gradebook.csv").read_bytes()
    again = grade([klass], out=out, jobs=2, timeout_s=2.0, lang="en")
    assert again.graded_now == 0 and again.skipped_unchanged == 8
    assert (out / "gradebook.csv").read_bytes() == before


def test_only_a_changed_submission_is_graded_again(klass, tmp_path):
    import shutil

    copy = tmp_path / "class"
    shutil.copytree(klass, copy)
    out = tmp_path / "out"
    grade([copy], out=out, jobs=2, seed=SEED, timeout_s=2.0, lang="en")
    (copy / "s0" / "sgd.py").write_bytes((config.EXERCISES_DIR / "sgd.py").read_bytes())
    report = grade([copy], out=out, jobs=2, timeout_s=2.0, lang="en")
    assert report.graded_now == 1 and report.skipped_unchanged == 7
    assert {r.student_id: r for r in report.rows}["s0"].scores["sgd"] == 0


def test_a_new_seed_grades_everything_again_and_is_recorded(klass, tmp_path):
    out = tmp_path / "out"
    grade([klass / "s0"], out=out, jobs=1, seed=1, timeout_s=2.0, lang="en")
    report = grade([klass / "s0"], out=out, jobs=1, seed=2, timeout_s=2.0, lang="en")
    assert report.graded_now == 1 and report.seed == 2
    text = (out / "gradebook.csv").read_text()
    assert ",2," in text
    assert grade([klass / "s0"], out=out, jobs=1, timeout_s=2.0, lang="en").seed == 2
