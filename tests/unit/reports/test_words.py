"""Every user-facing string is in the chosen language: no raw codes, right plurals,
neutralized CSV cells, nothing a student wrote can drive the terminal."""

import csv
import io

from grader.grading.rows import graded_row
from grader.grading.summary import build_summary
from grader.reports.gradebook import gradebook_csv
from grader.reports.student import feedback_markdown
from grader.reports.summary import summary_text
from grader.reports.terminal import terminal_safe
from tests.unit.reports.test_reports import _check, _record, _submission


def _forbidden_record():
    record = _record()
    violation = {"key": "feedback.violation", "mistake": None, "details": "open /x",
                 "params": {"call": "activations.py",
                            "message": "forbidden_import, read_reference"}}
    record["checks"] = [c for c in record["checks"] if c["exercise"] != "activations"] + [
        _check("public/test_activations.py::test_sigmoid", "activations", "forbidden", 0, 20,
               violation, title={"es": "sigmoid (oculta)", "en": "sigmoid (hidden)"})]
    record["checks"][-1]["suite"] = "hidden"
    return record


def test_forbidden_actions_are_said_in_words_in_the_reports_and_the_reason():
    row = graded_row(_submission(), _forbidden_record(), seed=1, report_dir="students/ana")
    for lang, words in (("es", "intentó abrir archivos fuera de su carpeta"),
                        ("en", "tried to open files outside its own folder")):
        text = feedback_markdown(row, lang) + row.reason_text(lang)
        assert words in text
        assert "forbidden_import" not in text and "read_reference" not in text
    assert "(oculta) (oculta)" not in feedback_markdown(row, "es")


def test_counts_agree_with_their_number():
    row = graded_row(_submission(), _record(), seed=1, report_dir="students/ana")
    summary = build_summary([row], seed=1, isolation={}, older={})
    text = summary_text(summary, "es")
    assert "1 estudiante:" in text and "1 estudiantes" not in text
    assert "1 corregida" in text or "1 parcial" in text


def test_csv_cells_that_look_like_formulas_are_neutralized():
    evil = graded_row(_submission(name='=HYPERLINK("http://x","y")', student_id="-2+3"),
                      _record(), seed=1, report_dir="students/x")
    table = list(csv.reader(io.StringIO(gradebook_csv([evil], "en").decode("utf-8"))))
    cells = [c for c in table[1] if c]
    assert table[1][0] == '\'=HYPERLINK("http://x","y")' and table[1][2] == "'-2+3"
    assert not any(c[0] in "=+-@\t\r" for c in cells)


def test_formulas_behind_spaces_or_in_full_width_are_neutralized_too():
    names = [' =HYPERLINK("http://x","y")', "\u00a0\u3000+1", "\uff1dHYPERLINK(\"http://x\")",
             "\uff20SUM(A1)", "\n=1+1"]
    rows = [graded_row(_submission(name=name, student_id=f"s{i}"), _record(), seed=1,
                       report_dir=f"students/s{i}") for i, name in enumerate(names)]
    table = list(csv.reader(io.StringIO(gradebook_csv(rows, "en").decode("utf-8"))))
    assert [line[0][:1] for line in table[1:]] == ["'"] * len(names), table
    assert table[-1][0].endswith("=1+1")


def test_control_characters_never_reach_the_terminal():
    assert terminal_safe("ana\x1b[2J\x1b]0;pwned\x07 \u202eevil\r") == "ana?[2J?]0;pwned? ?evil?"
    assert terminal_safe("línea\n\tbien") == "línea\n\tbien"


def test_a_violation_seen_by_grader_check_is_said_in_words_too():
    """revIndep2: `grader check --lang es` showed the worker's English "the sandbox does not
    allow code to start programs (subprocess.Popen)"; it is said in the reader's language,
    with the operation's name as the only detail."""
    from grader.checks.engine import problem_feedback
    from grader.checks.errors import StudentProblem
    from grader.sandbox.runner import CallOutcome

    outcome = CallOutcome("violation", info={
        "message": "the sandbox does not allow code to start programs (subprocess.Popen)"})
    status, feedback = problem_feedback(StudentProblem("sgd", "train", outcome))
    assert status == "forbidden" and feedback.details == "subprocess.Popen"
    es, en = feedback.render("es"), feedback.render("en")
    assert "sgd.train intentó algo que el entorno de corrección no permite" in es
    assert "sgd.train tried something the grading sandbox does not allow" in en
    assert "does not allow code" not in es + en


def test_the_kinds_a_worker_recorded_are_said_in_words_in_grader_check_too():
    """The collector's path (a violation seen in a check's calls) gives the same words as
    stored records, not the worker's codes (read_reference) in `grader check`."""
    from grader.checks.engine import violation_feedback

    feedback = violation_feedback("activations.py", "forbidden_import, read_reference", "x")
    es, en = feedback.render("es"), feedback.render("en")
    assert "intentó abrir archivos fuera de su carpeta" in es
    assert "tried to open files outside its own folder" in en
    assert "read_reference" not in es + en and "forbidden_import" not in es + en
