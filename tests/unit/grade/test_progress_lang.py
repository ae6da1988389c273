"""The progress lines of `grader grade` are in the language asked for (es / en)."""

import pytest

from grader import config
from grader.assignments import get as get_assignment
from grader.grading import grade

pytestmark = pytest.mark.sandbox


def _labels(klass, out, lang):
    labels = []
    grade([klass], out=out, jobs=1, seed=7, timeout_s=5.0, lang=lang,
          progress=lambda done, total, label: labels.append(label))
    return labels


def test_progress_lines_follow_the_language(tmp_path):
    klass = tmp_path / "class"
    ana = klass / "ana"
    ana.mkdir(parents=True)
    for ex in get_assignment("1").exercises:
        (ana / f"{ex}.py").write_bytes((config.SOLUTIONS_DIR / f"{ex}.py").read_bytes())
    (klass / "pepe.zip").write_bytes(b"PK\x03\x04 broken beyond repair")
    first = dict(label.split(": ", 1) for label in _labels(klass, tmp_path / "out", "es"))
    assert first["ana"].startswith("corregida "), first
    assert first["pepe"] == "rechazada", first
    again = dict(label.split(": ", 1) for label in _labels(klass, tmp_path / "out", "es"))
    assert again["ana"] == "sin cambios", again
    english = dict(label.split(": ", 1) for label in _labels(klass, tmp_path / "out", "en"))
    assert english["ana"] == "unchanged" and english["pepe"] == "rejected", english


def test_a_students_reports_are_written_as_soon_as_the_row_is_made(tmp_path):
    """Each row's reports are on disk when its progress line comes, not at the batch's end
    (the batch process writes them while the judges grade the others)."""
    klass = tmp_path / "class"
    for name in ("ana", "beto"):
        folder = klass / name
        folder.mkdir(parents=True)
        for ex in get_assignment("1").exercises:
            (folder / f"{ex}.py").write_bytes((config.SOLUTIONS_DIR / f"{ex}.py").read_bytes())
    out = tmp_path / "out"
    seen = []

    def progress(done, total, label):
        student = label.split(":", 1)[0]
        seen.append((student, sorted(p.name for p in (out / "students").glob(f"{student}*/*")),
                     (out / "gradebook.csv").exists()))

    grade([klass], out=out, jobs=1, seed=7, timeout_s=5.0, lang="en", progress=progress)
    assert [s for s, _, _ in seen] and all(
        files == ["feedback.html", "feedback.md", "results.json"] and not gradebook
        for _, files, gradebook in seen), seen
