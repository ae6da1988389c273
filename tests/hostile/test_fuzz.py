"""Hundreds of malformed hand-ins: the batch always finishes, with one row each.

Most cases go through ingestion and the report writers in this process (fast);
a smaller set goes through the whole `grader grade` (judges, workers, reports).
"""

from __future__ import annotations

import csv
import io
import os
import re

import pytest

from tests.hostile.fuzz import cases

N_INGEST = 400
N_BATCH = 30
SEED = 9


def _write_class(root, n, seed):
    klass = root / "class"
    klass.mkdir(parents=True)
    names = []
    for name, kind, payload in cases(n, seed):
        names.append(name)
        if kind == "zip":
            (klass / f"{name}.zip").write_bytes(payload)
        elif kind == "notebook":
            (klass / name).mkdir()
            (klass / name / "sgd.ipynb").write_bytes(payload)
        else:
            for rel, data in payload.items():
                target = os.fsencode(klass) + b"/" + name.encode() + b"-" + rel
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as fh:
                    fh.write(data)
    return klass, names


def _case_of(origin: str, names) -> str:
    found = [n for n in names if n in origin]
    assert len(found) == 1, (origin, found)
    return found[0]


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_hundreds_of_malformed_hand_ins_are_read_and_reported_one_row_each(tmp_path):
    from grader.grading.rows import graded_row, rejected_row
    from grader.ingest import discover, resolve
    from grader.reports.write import write_outputs

    klass, names = _write_class(tmp_path, N_INGEST, SEED)
    subs = discover([klass])
    assert sorted(_case_of(s.origin, names) for s in subs) == sorted(names)
    chosen, older = resolve(subs)
    assert len(chosen) + sum(map(len, older.values())) == N_INGEST
    record = {"checks": [], "total_points": 100.0}
    rows = []
    for sub in chosen:
        where = f"students/{sub.key}"
        if sub.rejected is not None:
            rows.append(rejected_row(sub, seed=1, problem=sub.rejected, report_dir=where))
        else:
            rows.append(graded_row(sub, record, seed=1, report_dir=where))
    out = tmp_path / "out"
    for lang in ("es", "en"):
        report = write_outputs(rows, out=out, seed=1, lang=lang, isolation={}, older=older,
                               skipped=0, graded_now=0, jobs=1)
        table = list(csv.reader(io.StringIO((out / "gradebook.csv").read_text("utf-8"))))
        assert len(table) == len(chosen) + 1
        for row in table[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        for name in ("summary.md", "summary.html"):
            text = (out / name).read_text("utf-8")
            assert not CONTROL.search(text.replace("\n", "").replace("\t", "")), name
        for r in report.rows:
            text = r.reason_text(lang)
            assert not re.search(r"\b(grading|batch)\.(reason|note)\.", text), text
    assert report.attention > 0
    assert all((out / r.report_dir / "results.json").is_file() for r in report.rows)


@pytest.mark.sandbox
@pytest.mark.slow
def test_the_whole_batch_finishes_with_a_row_for_each_malformed_hand_in(tmp_path):
    from grader.grading import grade

    klass, names = _write_class(tmp_path, N_BATCH, SEED + 1)
    report = grade([klass], out=tmp_path / "out", jobs=2, seed=1, timeout_s=1.0, lang="es")
    assert sorted(_case_of(r.origin, names) for r in report.rows) == sorted(names)
    assert report.attention > 0
    assert (tmp_path / "out" / "summary.html").is_file()
    assert len((tmp_path / "out" / "gradebook.csv").read_text("utf-8").splitlines()) \
        == len(report.rows) + 1
