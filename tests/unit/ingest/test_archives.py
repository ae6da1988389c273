"""Bad archives become a rejected row with a clear reason; nothing extracted, nothing explodes."""

import io
import zipfile

from grader.ingest import discover
from grader.ingest.layouts import EXERCISE_FILES

FILES = {name: b"def f():\n    return 1\n" for name in EXERCISE_FILES}


def _zip(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _only(path):
    subs = discover([path])
    assert len(subs) == 1
    return subs[0]


def test_a_corrupted_zip_is_rejected_as_corrupted(tmp_path):
    path = tmp_path / "ana.zip"
    path.write_bytes(_zip(FILES)[:100])
    sub = _only(path)
    assert sub.student_id == "ana" and sub.rejected.key == "grading.reason.corrupted_archive"
    assert "corrupted" in sub.rejected.render("en")


def test_why_an_archive_is_unreadable_is_said_in_the_chosen_language(tmp_path):
    """zipfile's own reasons are English: the report says them in words of the catalog."""
    import zipfile as zf

    truncated = tmp_path / "ana.zip"
    truncated.write_bytes(_zip(FILES)[:100])
    bad_crc = tmp_path / "luis.zip"
    buffer = io.BytesIO()
    with zf.ZipFile(buffer, "w", zf.ZIP_STORED) as z:
        z.writestr("activations.py", b"x = 1\n" * 50)
    data = bytearray(buffer.getvalue())
    data[data.index(b"x = 1")] ^= 0x01            # one byte of the data: its CRC no longer fits
    bad_crc.write_bytes(bytes(data))
    for path in (truncated, bad_crc):
        sub = _only(path)
        problem = sub.rejected or next(iter(sub.file_problems.values()))
        spanish = problem.render("es")
        assert "está dañado" in spanish and "(" in spanish
        assert not any(word in spanish for word in ("File is", "Bad", "zip file", "CRC-32"))
        assert problem.render("en") != spanish
    assert "checksum" in _only(bad_crc).file_problems["activations.py"].render("en")
    assert zf.is_zipfile(bad_crc)


def test_a_file_that_only_looks_like_a_zip_is_rejected_too(tmp_path):
    path = tmp_path / "ana.zip"
    path.write_bytes(b"PK\x03\x04 not really")
    assert _only(path).rejected.key == "grading.reason.corrupted_archive"


def test_entries_that_escape_the_folder_reject_the_whole_archive(tmp_path):
    for evil in ("../evil.py", "/etc/evil.py", "a/../../evil.py", "..\\evil.py", "C:/evil.py"):
        path = tmp_path / "ana.zip"
        path.write_bytes(_zip({**FILES, evil: b"x"}))
        sub = _only(path)
        assert sub.rejected is not None and sub.rejected.key == "grading.reason.unsafe_entry", evil
        assert not (tmp_path / "evil.py").exists()


def test_a_zip_bomb_is_rejected_before_anything_is_decompressed(tmp_path):
    path = tmp_path / "ana.zip"
    path.write_bytes(_zip({**FILES, "data.bin": b"\0" * (300 * 1024 * 1024)}))
    assert path.stat().st_size < 2 * 1024 * 1024
    sub = _only(path)
    assert sub.rejected.key in ("grading.reason.zip_bomb", "grading.reason.archive_too_large")
    assert "bomb" in sub.rejected.render("en") or "too large" in sub.rejected.render("en")


def test_a_member_that_lies_about_its_size_is_caught_while_reading(tmp_path):
    data = bytearray(_zip({**FILES, "sgd.py": b"#" * (2 * 1024 * 1024)}))
    # rewrite the declared sizes of sgd.py (local header and central directory) to 10 bytes
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("sgd.py")
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    data = bytes(data).replace(real, fake)
    path = tmp_path / "ana.zip"
    path.write_bytes(data)
    sub = _only(path)
    assert "sgd.py" not in sub.files
    problem = sub.rejected or sub.file_problems.get("sgd.py")
    assert problem is not None


def test_zips_nested_too_deep_are_rejected(tmp_path):
    inner = _zip(FILES)
    for _ in range(4):
        inner = _zip({"again.zip": inner})
    path = tmp_path / "ana.zip"
    path.write_bytes(inner)
    sub = _only(path)
    assert sub.rejected.key == "grading.reason.nested_too_deep"


def test_an_encrypted_member_rejects_the_archive(tmp_path):
    data = bytearray(_zip(FILES, compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag bit on every header (local and central)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + offset] |= 0x1
            start += 4
    path = tmp_path / "ana.zip"
    path.write_bytes(bytes(data))
    assert _only(path).rejected.key == "grading.reason.encrypted_archive"


def test_an_archive_without_exercise_files_says_what_was_expected(tmp_path):
    path = tmp_path / "ana.zip"
    path.write_bytes(_zip({"readme.txt": b"hello"}))
    sub = _only(path)
    assert sub.rejected.key == "grading.reason.no_exercise_files"
    assert "sgd.py" in sub.rejected.render("es")


def test_one_bad_student_in_a_class_zip_does_not_stop_the_others(tmp_path):
    members = {f"ana/{n}": d for n, d in FILES.items()}
    members["luis.zip"] = b"PK\x03\x04 broken"
    members.update({f"marta/{n}": d for n, d in FILES.items()})
    path = tmp_path / "class.zip"
    path.write_bytes(_zip(members))
    subs = {s.student_id: s for s in discover([path])}
    assert sorted(subs) == ["ana", "luis", "marta"]
    assert subs["luis"].rejected.key == "grading.reason.corrupted_archive"
    assert subs["ana"].rejected is None and subs["marta"].rejected is None


def test_symbolic_links_inside_a_zip_are_ignored(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in FILES.items():
            if name != "sgd.py":
                zf.writestr(name, data)
        link = zipfile.ZipInfo("sgd.py")
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "/work/main/solutions/sgd.py")
    path = tmp_path / "ana.zip"
    path.write_bytes(buffer.getvalue())
    sub = _only(path)
    assert "sgd.py" not in sub.files
