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


def _zip_of_many_entries(count: int) -> bytes:
    """One real member, then ``count`` central-directory entries pointing at it (a 47-byte
    entry each: the smallest way to make zipfile build ``count`` ZipInfo objects)."""
    import struct
    import zlib

    data, name = b"x = 1\n", b"activations.py"
    crc = zlib.crc32(data)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, crc, len(data), len(data),
                        len(name), 0) + name + data
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 0, 0, 0, crc, len(data),
                        len(data), 1, 0, 0, 0, 0, 0, 0) + b"z"
    directory = entry * count
    z64 = struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count,
                      len(directory), len(local))
    locator = struct.pack("<IIQI", 0x07064B50, 0, len(local) + len(directory), 1)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return local + directory + z64 + locator + end


@pytest.mark.parametrize("as_file", [False, True])
def test_a_zip_with_too_many_entries_is_refused_before_zipfile_lists_them(tmp_path, as_file):
    import tracemalloc

    from grader import config
    from grader.ingest.archive import tree_from_zip
    from grader.ingest.model import ArchiveProblem

    blob = _zip_of_many_entries(4 * config.MAX_TREE_ENTRIES)      # 9 MB on disk
    source = blob
    if as_file:
        source = tmp_path / "submission-mallory.zip"
        source.write_bytes(blob)
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveProblem) as err:
            tree_from_zip(source, "submission-mallory.zip")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert err.value.problem.key == "grading.reason.too_many_files"
    # the archive's own bytes (read once) and little else: no 200 000 ZipInfo objects
    assert peak < 3 * len(blob), peak


def test_a_zip_just_under_the_entry_limit_still_opens():
    from grader import config
    from grader.ingest.archive import tree_from_zip

    tree = tree_from_zip(_zip_of_many_entries(10), "ok.zip")
    assert len(tree.entries) == 10
    assert config.MAX_TREE_ENTRIES > 10
