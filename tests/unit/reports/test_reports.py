"""Reports: Gradescope's results.json, feedback in Markdown/HTML, the gradebook CSV, the summary."""

import csv
import io
import json

import pytest

from grader.grading.model import StudentRow
from grader.grading.rows import graded_row, rejected_row
from grader.grading.summary import build_summary
from grader.ingest.model import Problem, Submission
from grader.reports.gradebook import COLUMNS, gradebook_csv, gradebook_text, number
from grader.reports.student import feedback_html, feedback_markdown, results_json
from grader.reports.summary import summary_json, summary_text

SECRET = "0.123456789"          # an expected value of a hidden check: never shown


def _check(cid, ex, status, points, top, feedback=None, title=None):
    suite = cid.split("/")[0]
    return {"id": cid, "exercise": ex, "suite": suite, "title": title or {"es": cid, "en": cid},
            "status": status, "points": points, "max_points": top, "feedback": feedback,
            "notes": [], "output": ""}


def _record():
    wrong = {"key": "feedback.wrong_values", "params": {
        "call": "relu(z)", "expected": SECRET, "got": "-1", "index": "0", "expected_at": SECRET,
        "got_at": "-1", "max_error": "1"}, "mistake": "relu_derivative_returns_relu",
        "details": None}
    public_wrong = dict(wrong, params=dict(wrong["params"], expected="[0, 1]", expected_at="1"))
    output = {"key": "feedback.exception", "params": {"call": "sigmoid(z)", "type": "ValueError",
                                                       "message": "<script>alert(1)</script>"},
              "mistake": None, "details": None}
    checks = [
        _check("public/test_activations.py::test_sigmoid", "activations", "passed", 10, 10),
        _check("public/test_activations.py::test_relu", "activations", "failed", 0, 5,
               public_wrong),
        _check("hidden/test_activations.py::test_relu_hidden", "activations", "failed", 0, 5,
               wrong),
        _check("public/test_perceptron.py::test_predict", "perceptron", "error", 0, 20, output),
    ]
    for ex in ("backprop", "dropout", "sgd"):
        checks.append(_check(f"public/test_{ex}.py::test_all", ex, "passed", 20, 20))
    return {"version": 1, "total_points": 100.0, "checks": checks, "substituted": [],
            "deadline_exceeded": False}


def _submission(**kw):
    base = dict(student_id="ana", source="folder", origin="/class/ana", name="Ana Pérez",
                files={n: b"x" for n in ("activations.py", "perceptron.py", "backprop.py",
                                         "dropout.py", "sgd.py")},
                timestamp=1_700_000_000.0, sha256="ab" * 32)
    base.update(kw)
    return Submission(**base)


@pytest.fixture
def row():
    return graded_row(_submission(), _record(), seed=99, report_dir="students/ana")


@pytest.fixture
def rejected():
    return rejected_row(_submission(student_id="pepe", name=None, files={}), seed=99,
                        problem=Problem("grading.reason.corrupted_archive",
                                        {"path": "pepe.zip", "reason": "bad"}))


def test_results_json_has_gradescopes_fields_and_hides_hidden_checks(row):
    doc = results_json(row, "en")
    assert doc["score"] == pytest.approx(70) and doc["max_score"] == pytest.approx(100)
    assert {"score", "max_score", "tests", "output", "extra_data"} <= set(doc)
    for test in doc["tests"]:
        assert {"name", "score", "max_score", "status", "output", "visibility"} <= set(test)
        assert test["status"] in ("passed", "failed")
        assert test["visibility"] == ("hidden" if test["number"].startswith("hidden/")
                                      else "visible")
    assert doc["extra_data"]["seed"] == 99 and doc["extra_data"]["student_id"] == "ana"
    json.dumps(doc)                               # plain JSON


def test_a_rejected_submission_still_gets_a_results_json_with_the_reason(rejected):
    doc = results_json(rejected, "es")
    assert doc["score"] == 0 and doc["tests"] == []
    assert "pepe.zip" in doc["output"]


@pytest.mark.parametrize("lang, words", [("en", ("Score: 70 out of 100", "hidden")),
                                          ("es", ("Puntuación: 70 de 100", "oculta"))])
def test_the_markdown_report_is_in_the_chosen_language_without_hidden_details(row, lang, words):
    text = feedback_markdown(row, lang)
    for word in words:
        assert word in text
    assert SECRET not in text                     # hidden expected values stay hidden
    assert "[0, 1]" in text                       # public details are shown
    assert "relu" in text and "99" in text and "ab" * 32 in text


def test_the_html_report_escapes_what_student_code_produced(row):
    page = feedback_html(row, "en")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert SECRET not in page and page.startswith("<!DOCTYPE html>")


def test_the_report_of_a_rejected_submission_says_why(rejected):
    assert "could not be graded" in feedback_markdown(rejected, "en")
    assert "no se pudo corregir" in feedback_html(rejected, "es")


def test_the_gradebook_csv_is_what_canvas_and_moodle_import(row, rejected):
    moodle = graded_row(_submission(student_id="555", lms={"moodle_participant": "555"}),
                        _record(), seed=99)
    canvas = graded_row(_submission(student_id="12345", name="perezana",
                                    lms={"canvas_user": "12345", "canvas_submission": "9"}),
                        _record(), seed=99)
    data = gradebook_csv([row, moodle, canvas, rejected], "en")
    text = data.decode("utf-8")
    assert "\r\n" in text and not data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == COLUMNS
    rows = {line[1]: dict(zip(COLUMNS, line)) for line in table[1:]}
    assert rows["ana"]["total"] == "70" and rows["ana"]["SIS User ID"] == "ana"
    assert rows["555"]["Identifier"] == "Participant 555" and rows["555"]["Grade"] == "70"
    assert rows["555"]["Last modified (grade)"].endswith("UTC")
    assert rows["12345"]["SIS User ID"] == "" and rows["12345"]["Student"] == "perezana"
    assert rows["pepe"]["total"] == "" and rows["pepe"]["activations"] == ""
    assert rows["pepe"]["status"] == "rejected" and "pepe.zip" in rows["pepe"]["reason"]
    assert gradebook_csv([row, moodle, canvas, rejected], "en") == data      # deterministic


def test_numbers_have_at_most_two_decimals_and_no_trailing_zeros():
    assert [number(v) for v in (20.0, 17.5, 1 / 3, 0.0, None, -0.0)] == \
        ["20", "17.5", "0.33", "0", "", "0"]


def test_the_text_gradebook_shows_every_student_and_status(row, rejected):
    text = gradebook_text([row, rejected], "es")
    assert "ana" in text and "pepe" in text and "rechazada" in text


def test_the_summary_counts_statuses_averages_and_names_the_mistakes(row, rejected):
    summary = build_summary([row, rejected], seed=99, isolation={"network": False}, older={})
    assert (summary.students, summary.graded, summary.rejected) == (2, 1, 1)
    assert summary.mistakes == [("relu_derivative_returns_relu", 1)]
    text = summary_text(summary, "en")
    assert "99" in text and "pepe" in text and "NOT available" in text and "network" in text
    doc = summary_json(summary)
    assert doc["rejected"] == 1 and doc["rejected_submissions"][0]["student_id"] == "pepe"
    ex = {e["exercise"]: e for e in doc["exercises"]}
    assert ex["activations"]["mean"] == 10 and ex["backprop"]["median"] == 20


def test_a_dependency_that_fails_is_named_in_the_failing_checks_of_its_dependents():
    record = _record()
    record["checks"].append(_check("public/test_sgd.py::test_train", "sgd", "failed", 0, 5,
                                   {"key": "feedback.assertion", "params": {"message": "x"},
                                    "mistake": None, "details": None}))
    record["checks"].append(_check("public/test_dropout.py::test_mask", "dropout", "failed", 0, 5,
                                   {"key": "feedback.assertion", "params": {"message": "x"},
                                    "mistake": None, "details": None}))
    record["substituted"] = ["activations"]     # dropout was not replaced (see
    row = graded_row(_submission(), record, seed=1)   # tests/unit/grade/test_dependency_notes.py)
    sgd = [c for c in row.record["checks"] if c["id"] == "public/test_sgd.py::test_train"][0]
    assert [n["params"]["deps"] for n in sgd["notes"]] == ["dropout"]


def test_file_problems_replace_file_not_found_in_the_feedback():
    sub = _submission(files={}, file_problems={
        "activations.py": Problem("grading.reason.empty_file", {"file": "activations.py"})})
    row = graded_row(sub, _record(), seed=1)
    checks = [c for c in row.record["checks"] if c["exercise"] == "activations"]
    assert all(c["feedback"]["key"] == "grading.reason.empty_file" for c in checks)
    assert all(c["points"] == 0 for c in checks)
    assert row.status == "partial" and "empty" in row.reason_text("en")


def test_a_row_knows_its_reasons_in_both_languages():
    row = StudentRow("x", None, "folder", "x", "partial", 1, "s", 0.0,
                     reasons=[Problem("grading.reason.missing_file", {"file": "sgd.py"})])
    assert row.reason_text("en") == "sgd.py is missing"
    assert row.reason_text("es") == "falta sgd.py"


def test_the_markdown_reports_show_html_a_student_wrote_as_text(tmp_path):
    """A folder named like an HTML tag, or a message printing one, must not become HTML in
    feedback.md or summary.md (Markdown viewers render raw HTML)."""
    from grader.reports.terminal import markdown_safe
    from grader.reports.write import write_student

    hostile = "<img src=x onerror=alert(1)>"
    row = graded_row(_submission(student_id=hostile, name=hostile), _record(), seed=99)
    row.report_dir = "hostile"
    write_student(row, tmp_path, "en")
    text = (tmp_path / "hostile" / "feedback.md").read_text(encoding="utf-8")
    assert "<img" not in text and "<script" not in text
    assert "\\<\u200bimg src=x onerror=alert\\(1\\)\\>" in text     # shown as written
    safe = markdown_safe("0 <= rate < 1, <!-- x --> </a> <_a@b.c>")
    assert safe.replace("\u200b", "") == "0 <= rate < 1, <!-- x --> </a> <_a@b.c>"
    assert "<!" not in safe and "</" not in safe and "<_" not in safe
    assert "&lt;" not in text        # shown as written inside code blocks (in <module>)
    summary = build_summary([row], seed=99, isolation={}, older={})
    assert "<img" not in markdown_safe(summary_text(summary, "en", markdown=True))


MARKDOWN_PAYLOAD = ("![p](https://evil.example/p.png) [regrade](javascript:alert(1)) "
                    "<_a@evil.example> **100 / 100** `x` ~~y~~ &lt; | a |")


def test_what_a_student_named_is_literal_text_in_the_markdown_reports(tmp_path):
    """rev5h F1: a folder, a zip member or an exception message holding Markdown rendered in
    feedback.md and summary.md as an image loading the student's URL, a javascript: link,
    a mailto autolink or bold text. Rendered here by a CommonMark parser: nothing of it is
    active, and it reads as written."""
    markdown_it = pytest.importorskip("markdown_it")
    from grader.reports.terminal import markdown_safe
    from grader.reports.write import write_student

    reason = Problem("grading.reason.unsafe_entry", {"path": "a.zip",
                                                    "entry": "../" + MARKDOWN_PAYLOAD})
    sub = _submission(student_id="eve", name=MARKDOWN_PAYLOAD, origin="/class/" + MARKDOWN_PAYLOAD)
    row = rejected_row(sub, seed=1, problem=reason)
    row.report_dir = "eve"
    write_student(row, tmp_path, "en")
    summary = build_summary([row], seed=1, isolation={}, older={})
    pages = {"feedback.md": (tmp_path / "eve" / "feedback.md").read_text(encoding="utf-8"),
             "summary.md": markdown_safe(summary_text(summary, "en", markdown=True))}
    parser = markdown_it.MarkdownIt("commonmark")
    parser.validateLink = lambda url: True          # the spec's renderer keeps every URL
    for name, page in pages.items():
        html = parser.render(page)
        assert "evil.example" in html, name
        for active in ("<img", "<a ", "<strong>100", "<code>x", "<del", "<s>", "javascript:alert(1)\""):
            assert active not in html, (name, active)
        assert "![p](https://evil.example/p.png)" in html.replace("&quot;", '"'), name


def test_conflict_rows_carry_no_id_an_lms_would_import():
    """Two hand-ins claiming one Canvas or Moodle student: neither row may be imported as
    that student's grade (the last row would win); the name and reason stay for people."""
    from grader.grading.model import CONFLICT
    from grader.reports.gradebook import gradebook_rows

    rows = []
    for lms in ({"canvas_user": "12345", "canvas_submission": "9"},
                {"moodle_participant": "555"}, {}):
        for n in (1, 2):
            row = graded_row(_submission(student_id="12345", name="perezana", lms=lms),
                             _record(), seed=99)
            row.status = CONFLICT
            rows.append(row)
    table = gradebook_rows(rows, "en")
    header = table[0]
    for line in table[1:]:
        cells = dict(zip(header, line))
        assert cells["ID"] == cells["SIS User ID"] == cells["SIS Login ID"] == ""
        assert cells["Identifier"] == cells["Grade"] == ""
        assert cells["Student"] == "perezana" and cells["status"] == "conflict"
        assert cells["total"] == "70"


def test_a_failed_hidden_check_says_something_without_showing_its_inputs():
    record = _record()
    plain = {"key": "feedback.wrong_values", "params": {
        "call": "relu(z)", "expected": SECRET, "got": "-1", "index": "0",
        "expected_at": SECRET, "got_at": "-1", "max_error": "1"}, "mistake": None,
        "details": None}
    record["checks"][2]["feedback"] = dict(plain, symptom={"id": "factor",
                                                           "params": {"value": "2"}})
    record["checks"].append(_check("hidden/test_activations.py::test_other", "activations",
                                   "failed", 0, 0, dict(plain)))
    text = feedback_markdown(graded_row(_submission(), record, seed=99), "en")
    assert SECRET not in text
    assert "every value is 2 times the expected one" in text
    assert "On this check's hidden inputs your result is not the reference's" in text


LEAK = "LEAK-10.927032745376758"     # hidden inputs a student's code spelled out


@pytest.mark.parametrize("status,feedback", [
    ("error", {"key": "feedback.exception", "params": {
        "call": "activations.sigmoid", "type": "ValueError", "message": LEAK}}),
    ("error", {"key": "feedback.exception", "params": {
        "call": "activations.sigmoid", "type": LEAK.replace("-", "_").replace(".", "_"),
        "message": "x"}}),
    ("error", {"key": "feedback.import_failed", "params": {"file": f"{LEAK}.py",
                                                          "message": LEAK}}),
    ("not_attempted", {"key": "feedback.not_implemented_inside", "params": {
        "call": "activations.sigmoid", "where": LEAK, "file": "activations.py"}}),
    ("crashed", {"key": "feedback.crashed", "params": {"call": "activations.sigmoid",
                                                       "how": f"exit code 3 {LEAK}"}}),
    ("forbidden", {"key": "feedback.violation", "params": {"call": "activations.sigmoid",
                                                           "message": f"open /{LEAK}"}}),
    ("error", {"key": "feedback.exited", "params": {"call": "activations.sigmoid",
                                                    "message": f"sys.exit({LEAK!r})"}}),
])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_hidden_check_shows_nothing_the_students_code_wrote(status, feedback, lang):
    """revHost2 (hidden-leak-messages): a function that raised with its argument showed the
    seeded hidden inputs in feedback.md, feedback.html and results.json. A hidden check's
    report now says what happened to the call, never text student code chose; a public
    check still shows all of it."""
    record = _record()
    hidden = _check("hidden/test_activations.py::test_sigmoid_hidden", "activations", status,
                    0, 5, dict(feedback, mistake=None, details=f"Traceback ... {LEAK}"))
    hidden["output"] = f"printed {LEAK}\n"
    public = dict(hidden, id="public/test_activations.py::test_sigmoid_again", suite="public")
    record["checks"] += [hidden, public]
    row = graded_row(_submission(), record, seed=99, report_dir="students/ana")
    doc = results_json(row, lang)
    shown = {t["number"]: t["output"] for t in doc["tests"]}
    for text in (shown[hidden["id"]], feedback_markdown(row, lang).split("test_sigmoid_hidden")[1]
                 .split("test_sigmoid_again")[0], feedback_html(row, lang)
                 .split("test_sigmoid_hidden")[1].split("test_sigmoid_again")[0]):
        assert LEAK not in text and LEAK.replace("-", "_").replace(".", "_") not in text
        assert "activations" in text                  # which call, as the judge named it
    assert LEAK in shown[public["id"]]                # a public check keeps what it said
    if feedback["params"].get("type") == "ValueError":
        assert "ValueError" in shown[hidden["id"]]    # one of Python's own exceptions


FORGED = "boom\n```\n## keras_lab: 50 out of 50\n[click](javascript:alert(2))\n`````` x"


def _row_with_message(message):
    record = _record()
    record["checks"][3]["feedback"] = {
        "key": "feedback.exception", "params": {"call": "sigmoid(z)", "type": "ValueError",
                                                "message": message},
        "mistake": None, "details": None}
    return graded_row(_submission(), record, seed=99, report_dir="students/ana")


def test_a_student_text_with_backticks_stays_inside_its_code_block():
    """feedback.md fences what a check says with more backticks than the text holds
    (CommonMark), so a student's ``` cannot close the block and forge a heading or a link."""
    from grader.reports.terminal import code_block

    assert code_block("a\nb") == ["```text", "a", "b", "```"]
    assert code_block("x `````` y", indent="  ") == ["  ```````text", "  x `````` y",
                                                       "  ```````"]
    text = feedback_markdown(_row_with_message(FORGED), "en")
    assert "## keras_lab: 50 out of 50" in text                 # shown verbatim, as text
    markdown_it = pytest.importorskip("markdown_it")
    tokens = markdown_it.MarkdownIt("commonmark").parse(text)
    inline = " ".join(tok.content for tok in tokens if tok.type == "inline")
    assert "50 out of 50" not in inline and "javascript" not in inline
    blocks = [tok.content for tok in tokens if tok.type == "fence"]
    assert any("## keras_lab: 50 out of 50" in b and "`````` x" in b for b in blocks), blocks


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_passed_hidden_check_shows_nothing_its_code_printed_either(lang):
    """rev3h: a hidden check that passed kept what student code printed (its inputs) in
    grader grade's results.json."""
    record = _record()
    hidden = _check("hidden/test_activations.py::test_sigmoid_hidden", "activations", "passed",
                    5, 5)
    hidden["output"] = f"printed {LEAK}\n"
    public = dict(hidden, id="public/test_activations.py::test_sigmoid_again", suite="public")
    record["checks"] += [hidden, public]
    row = graded_row(_submission(), record, seed=99, report_dir="students/ana")
    shown = {t["number"]: t["output"] for t in results_json(row, lang)["tests"]}
    assert LEAK not in shown[hidden["id"]] and LEAK in shown[public["id"]]
    for text in (feedback_markdown(row, lang), feedback_html(row, lang)):
        assert text.count(LEAK) <= text.count("test_sigmoid_again") * 2


def test_the_gradescope_autograder_shows_the_judges_words_for_hidden_checks():
    """rev3h F4: the Gradescope entry point built each test's output from the full message,
    so hidden checks showed what student code printed and raised (the hidden inputs)."""
    from grader.checks.feedback import Feedback
    from grader.checks.results import CheckResult, Results
    from grader.export.autograder import gradescope_results

    def check(cid, suite, status, points, feedback=None):
        return CheckResult(cid, "activations", suite, {"es": cid, "en": cid}, status, points,
                           5.0, feedback=feedback, output=f"printed {LEAK}\n")

    raised = Feedback("feedback.exception", {"call": "activations.relu_derivative",
                                             "type": "ValueError", "message": LEAK})
    results = Results([check("activations/hidden.py::test_a", "hidden", "passed", 5.0),
                       check("activations/hidden.py::test_b", "hidden", "error", 0.0, raised),
                       check("activations/public.py::test_c", "public", "error", 0.0, raised)],
                      "en", 15.0)
    tests = gradescope_results(results, lang="en", hidden_visibility="after_published")["tests"]
    assert [LEAK in t["output"] for t in tests] == [False, False, True]
    assert "ValueError" in tests[1]["output"]
