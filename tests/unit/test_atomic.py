"""Atomic writes: a reader sees the old file or the whole new one, never a half-written one."""

import os
import stat

import pytest

from grader import atomic
from grader.atomic import atomic_write_bytes, atomic_write_text, remove_stale_temporaries


def test_a_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "gradebook.csv"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["gradebook.csv"]


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "gradebook.csv"
    atomic_write_text(target, "old")

    def crash(*args):
        raise OSError("disk on fire")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new" * 1000)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["gradebook.csv"]


def test_temporaries_left_by_a_killed_run_are_removed_on_the_next(tmp_path):
    (tmp_path / ".gradebook.csv.abc123.tmp").write_text("half")
    (tmp_path / "keep.csv").write_text("ok")
    remove_stale_temporaries(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


def test_unchanged_content_is_not_rewritten_when_asked(tmp_path):
    target = tmp_path / "report.md"
    assert atomic_write_text(target, "same", only_if_changed=True) is True
    before = target.stat().st_mtime_ns
    assert atomic_write_text(target, "same", only_if_changed=True) is False
    assert target.stat().st_mtime_ns == before


def test_written_files_get_the_usual_permissions(tmp_path):
    target = tmp_path / "gradebook.csv"
    atomic_write_text(target, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
