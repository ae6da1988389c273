"""`grader grade` on a small class: statuses, scores, reasons, identities and every output."""

import csv
import io
import json
import zipfile

import pytest

from grader import config
from grader.errors import GraderError
from grader.grading import format_gradebook, format_summary, grade
from grader.assignments import get as get_assignment

# Assignment 1's submissions (the course also has assignment 2).
EXERCISE_FILES = tuple(f"{ex}.py" for ex in get_assignment("1").exercises)

pytestmark = pytest.mark.sandbox

SEED = 4242


def solution(name: str) -> bytes:
    return (config.SOLUTIONS_DIR / name).read_bytes()


def write_student(folder, files):
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def correct():
    return {name: solution(name) for name in EXERCISE_FILES}


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    klass = root / "class"
    write_student(klass / "ana", correct())
    luis = correct()
    luis["activations.py"] += (b"\n\ndef sigmoid(z):\n    import numpy as np\n"
                               b"    return np.asarray(z, dtype=float)\n")
    del luis["sgd.py"]
    write_student(klass / "luis", luis)
    marta = correct()
    marta["perceptron.py"] += b"\n\ndef broken(:\n    pass\n"
    marta["backprop.py"] += (b"\n\ndef layer_gradients(delta, A_prev):\n    import numpy as np\n"
                             b"    d = np.asarray(delta, dtype=float)\n"
                             b"    return (np.full((np.shape(A_prev)[1], d.shape[1]), np.nan),"
                             b" np.full(d.shape[1], np.nan))\n")
    marta["dropout.py"] += (b"\n\ndef dropout_backward(dout, mask):\n    import numpy as np\n"
                            b"    return np.zeros(3)\n")
    write_student(klass / "marta", marta)
    rosa = correct()
    rosa["activations.py"] = b"\n\n"
    rosa["perceptron.py"] = "# comentario: ñandú\n".encode("latin-1") + solution("perceptron.py")
    write_student(klass / "rosa", rosa)
    (klass / "pepe.zip").write_bytes(b"PK\x03\x04 broken beyond repair")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in correct().items():
            zf.writestr(f"Eva Ruiz_555_assignsubmission_file_/{name}", data)
    moodle = root / "moodle.zip"
    moodle.write_bytes(buffer.getvalue())
    calls = []
    report = grade([klass, moodle], out=root / "out", jobs=2, seed=SEED, timeout_s=2.0,
                   lang="en", progress=lambda done, total, label: calls.append((done, total)))
    return report, {r.student_id: r for r in report.rows}, root / "out", calls


def test_every_student_gets_one_row_in_id_order(batch):
    report, rows, _, _ = batch
    assert [r.student_id for r in report.rows] == ["555", "ana", "luis", "marta", "pepe", "rosa"]


def test_the_correct_submission_scores_every_point(batch):
    _, rows, _, _ = batch
    assert rows["ana"].status == "graded" and rows["ana"].total == pytest.approx(100)
    assert rows["555"].total == pytest.approx(100) and rows["555"].name == "Eva Ruiz"


def test_a_mistake_in_one_exercise_costs_no_points_in_another(batch):
    _, rows, _, _ = batch
    luis = rows["luis"]
    assert luis.scores["activations"] < luis.max_scores["activations"]
    assert luis.scores["backprop"] == pytest.approx(luis.max_scores["backprop"])


def test_a_missing_file_makes_the_row_partial_with_the_reason(batch):
    _, rows, _, _ = batch
    luis = rows["luis"]
    assert luis.status == "partial" and luis.scores["sgd"] == 0
    assert "sgd.py is missing" in luis.reason_text("en")


def test_syntax_errors_nan_and_wrong_shapes_cost_their_exercise_with_clear_feedback(batch):
    _, rows, out, _ = batch
    marta = rows["marta"]
    assert marta.status == "partial"              # a file that cannot run: said in words
    assert "perceptron.py has a syntax error (line" in marta.reason_text("en")
    assert "perceptron.py tiene un error de sintaxis" in marta.reason_text("es")
    assert marta.scores["perceptron"] == 0
    assert marta.scores["backprop"] < marta.max_scores["backprop"]
    assert marta.scores["dropout"] < marta.max_scores["dropout"]
    text = (out / marta.report_dir / "feedback.md").read_text(encoding="utf-8")
    assert "Syntax error in perceptron.py" in text
    assert "non-finite value" in text
    assert "shape" in text


def test_empty_and_non_utf8_files_are_reasons_of_a_partial_row(batch):
    _, rows, _, _ = batch
    rosa = rows["rosa"]
    assert rosa.status == "partial"
    assert rosa.scores["activations"] == 0 and rosa.scores["perceptron"] == 0
    assert "activations.py is empty" in rosa.reason_text("en")
    assert "not saved as UTF-8" in rosa.reason_text("en")
    assert rosa.scores["dropout"] == pytest.approx(rosa.max_scores["dropout"])


def test_a_corrupted_archive_is_a_rejected_row_with_the_reason(batch):
    _, rows, _, _ = batch
    pepe = rows["pepe"]
    assert pepe.status == "rejected" and pepe.total is None
    assert "corrupted" in pepe.reason_text("en")


def test_the_gradebook_has_a_row_per_student_with_scores_status_seed_and_digest(batch):
    report, rows, out, _ = batch
    table = list(csv.reader(io.StringIO(report.gradebook_path.read_text(encoding="utf-8"))))
    header = table[0]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert header[5:10] == list(config_order())
    assert header[10:15] == ["total", "status", "reason", "seed", "sha256"]
    assert header[15:] == ["Identifier", "Grade", "Last modified (grade)"]
    body = {line[1]: dict(zip(header, line)) for line in table[1:]}
    assert body["ana"]["total"] == "100" and body["ana"]["status"] == "graded"
    assert body["ana"]["seed"] == str(SEED) and len(body["ana"]["sha256"]) == 64
    assert body["pepe"]["total"] == "" and body["pepe"]["status"] == "rejected"
    assert body["555"]["Identifier"] == "Participant 555" and body["555"]["Grade"] == "100"
    assert body["555"]["Student"] == "Eva Ruiz"


def config_order():
    return get_assignment("1").exercises      # the class's assignment


def test_every_student_gets_results_json_and_feedback_in_markdown_and_html(batch):
    report, rows, out, _ = batch
    for row in rows.values():
        folder = out / row.report_dir
        doc = json.loads((folder / "results.json").read_text(encoding="utf-8"))
        assert doc["extra_data"]["seed"] == SEED
        assert (folder / "feedback.md").read_text(encoding="utf-8").startswith("# ")
        assert "<html" in (folder / "feedback.html").read_text(encoding="utf-8")


def test_the_class_summary_is_saved_and_printed_with_the_seed(batch):
    report, rows, out, _ = batch
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["seed"] == SEED and summary["students"] == 6 and summary["rejected"] == 1
    assert [e["exercise"] for e in summary["exercises"]] == list(config_order())
    text = format_summary(report, "en")
    assert str(SEED) in text and "pepe" in text
    assert "ana" in format_gradebook(report, "en")
    assert (out / "summary.md").read_text(encoding="utf-8").startswith("# Class summary")


def test_the_class_report_shows_distributions_check_rates_attention_and_similar_code(batch):
    report, rows, out, _ = batch
    page = (out / "summary.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 6                      # the total and every exercise
    assert "Pass rate of each check" in page and "activations/public.py::" in page
    assert "Rows that need attention" in page and "pepe" in page
    summary = report.summary
    assert sum(summary.histograms["total"]) == summary.graded + summary.partial
    assert all(0 <= passed <= run for _, _, passed, run in summary.check_rates)
    # ana and the Moodle student (Eva) handed in the reference itself: identical code
    keys = {rows["ana"].key, rows["555"].key}
    assert any({a, b} == keys and kind == "identical" for a, b, _, kind in summary.similar)
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "Score distribution" in md and "Similar submissions" in md


def test_the_class_report_renders_in_a_headless_browser(batch, tmp_path):
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("no chromium here (apt-get install -y chromium)")
    _, _, out, _ = batch
    png = tmp_path / "summary.png"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--window-size=1100,1800",
                    f"--screenshot={png}", (out / "summary.html").as_uri()],
                   capture_output=True, timeout=120, check=False)
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000     # a page, not a blank one


def test_progress_is_reported_once_per_student(batch):
    _, _, _, calls = batch
    assert [d for d, _ in calls] == list(range(1, 7)) and {t for _, t in calls} == {6}


def test_the_isolation_of_the_run_is_reported(batch):
    report, *_ = batch
    assert report.network_isolated == report.isolation["network"]
    assert set(report.isolation) >= {"network", "filesystem", "processes", "privileges"}


def test_mistakes_are_counted_in_the_summary(batch):
    report, *_ = batch
    assert all(count >= 1 for _, count in report.summary.mistakes)


@pytest.mark.parametrize("kwargs, key", [
    ({"submissions": []}, "error.grade_no_inputs"),
    ({"jobs": 0}, "error.grade_bad_jobs"),
    ({"timeout_s": -1}, "error.grade_bad_timeout"),
    ({"memory_mb": 10}, "error.grade_memory_too_low"),
    ({"lang": "fr"}, "error.grade_bad_lang"),
])
def test_bad_options_are_user_errors_before_any_work(tmp_path, kwargs, key):
    args = {"submissions": [tmp_path], "out": tmp_path / "out"}
    args.update(kwargs)
    with pytest.raises(GraderError) as info:
        grade(args.pop("submissions"), **args)
    assert info.value.key == key
    assert info.value.message("es") and info.value.message("en")


def test_a_path_that_does_not_exist_is_a_user_error(tmp_path):
    with pytest.raises(GraderError) as info:
        grade([tmp_path / "missing"], out=tmp_path / "out")
    assert info.value.key == "error.path_not_found"


def test_an_output_path_that_is_a_file_is_a_user_error(tmp_path):
    (tmp_path / "out").write_text("x")
    with pytest.raises(GraderError) as info:
        grade([tmp_path], out=tmp_path / "out")
    assert info.value.key == "error.grade_out_not_folder"


def test_an_output_folder_that_cannot_be_written_is_a_user_error(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(GraderError) as info:
        grade([tmp_path], out=locked / "out")
    assert info.value.key == "error.grade_cannot_write"
