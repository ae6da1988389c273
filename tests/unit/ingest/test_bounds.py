"""Sizes that come from a student are bounded before anything parses them."""

import json

import pytest

from grader.ingest.notebooks import NotebookProblem, capped, notebook_to_modules
from grader.sandbox import wire


def _notebook(source: str) -> bytes:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {"tags": ["sgd"]},
                                  "source": source, "outputs": [], "execution_count": None}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_a_notebook_code_cell_larger_than_a_file_may_be_is_refused_before_extraction(
        monkeypatch):
    import grader.notebooks.extract as extract

    called = []
    monkeypatch.setattr(extract, "modules_from_notebook_bytes",
                        lambda *a, **k: called.append(1) or {})
    with pytest.raises(NotebookProblem) as err:
        notebook_to_modules(_notebook("x = 1\n" * 100_000), "big.ipynb")
    assert err.value.problem.key == "grading.reason.file_too_large"
    assert "cell 1" in err.value.problem.params["file"]
    assert called == []                                  # the extractor never saw it


def test_modules_extracted_from_a_notebook_are_capped_like_files():
    ok, problems = capped({"sgd.py": b"x" * (600 * 1024), "dropout.py": b"y = 1\n"}, "nb.ipynb")
    assert list(ok) == ["dropout.py"]
    assert problems["sgd.py"].key == "grading.reason.file_too_large"


def test_a_reply_whose_json_part_is_too_large_is_refused_before_decoding():
    header = json.dumps([0.5] * 1_000_000).encode()      # ~5 MB of JSON: a million objects
    data = len(header).to_bytes(8, "big") + header
    assert len(header) > wire.MAX_HEADER_BYTES
    with pytest.raises(wire.WireError, match="header too large"):
        wire.decode(data)
