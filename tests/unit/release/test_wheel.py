"""The student wheel: what `check()` needs is inside, what students must not see is not."""

import base64
import hashlib
import zipfile

import pytest

from grader import config
from grader.notebooks.assignment import assignment_exercises
from grader.release import find_solution_leaks, release, solution_lines
from grader.release.wheel import build_wheel, wheel_name


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return release(tmp_path_factory.mktemp("release") / "bundle")


@pytest.fixture(scope="module")
def members(bundle):
    with zipfile.ZipFile(bundle.wheel) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_release_writes_the_wheel_in_dist(bundle):
    assert bundle.wheel == bundle.path / "dist" / wheel_name()
    assert zipfile.is_zipfile(bundle.wheel)


def test_the_wheel_holds_no_solution_hidden_check_or_named_mistake(members):
    names = list(members)
    forbidden = ("solutions/", "/hidden/", "hidden.py", "grader/mutants/", "grader/devtools/",
                 "mistakes.py", "mistake_sources.py", "golden_spec", "data/samples/")
    leaked = [n for n in names if any(part in n for part in forbidden)]
    assert leaked == []
    text = "\n".join(data.decode("utf-8", errors="ignore") for data in members.values())
    lines = solution_lines()
    assert lines and [line for line in lines if line in text] == []


def test_the_wheel_holds_the_public_checks_golden_values_and_stubs(members):
    names = set(members)
    assert "grader/suites/conftest.py" in names and "grader/suites/pytest-checks.ini" in names
    for ex in assignment_exercises("1"):              # what `grader release` ships by default
        assert any(n.startswith("grader/suites/") and ex in n and "public" in n for n in names), ex
        assert f"grader/notebooks/stubs/{ex}.py" in names
    assert any(n.startswith("grader/suites/") and "golden" in n for n in names)
    for needed in ("grader/i18n/student.toml", "grader/notebooks/session.py",
                   "grader/sandbox/worker_main.py", "grader/cli.py"):
        assert needed in names
    # the points: the rubric file, or (exercise units) each unit's lines and the assignments
    assert "grader/rubric.toml" in names or (
        "grader/assignments/1.toml" in names
        and all(f"grader/suites/{ex}/exercise.toml" in names for ex in assignment_exercises("1")))


def test_the_wheel_metadata_installs_the_grader_command(members):
    info = f"dl_grader-{__import__('grader').__version__}.dist-info"
    assert b"grader = grader.cli:main" in members[f"{info}/entry_points.txt"]
    metadata = members[f"{info}/METADATA"].decode()
    assert "Name: dl-grader" in metadata and "Requires-Dist: numpy" in metadata
    assert b"Root-Is-Purelib: true" in members[f"{info}/WHEEL"]


def test_the_record_lists_every_member_with_its_hash(members):
    info = next(n.split("/")[0] for n in members if n.endswith(".dist-info/RECORD"))
    rows = [r.split(",") for r in members[f"{info}/RECORD"].decode().splitlines()]
    recorded = {name: (digest, size) for name, digest, size in rows}
    assert set(recorded) == set(members)
    for name, (digest, size) in recorded.items():
        if name.endswith("RECORD"):
            continue
        expected = base64.urlsafe_b64encode(hashlib.sha256(members[name]).digest()).rstrip(b"=")
        assert digest == "sha256=" + expected.decode() and int(size) == len(members[name])


def test_two_builds_of_the_same_package_are_identical(bundle, tmp_path):
    first = build_wheel(bundle.path / "grader", tmp_path / "a")
    second = build_wheel(bundle.path / "grader", tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()


def test_the_leak_scan_looks_inside_the_wheel(bundle, tmp_path):
    line = next(iter(solution_lines()))
    package = tmp_path / "grader"
    package.mkdir()
    (package / "leak.py").write_text(f"def f():\n    {line}\n")
    build_wheel(package, tmp_path / "dist")
    assert find_solution_leaks(tmp_path / "dist", config.SOLUTIONS_DIR)
