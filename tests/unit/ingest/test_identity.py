"""Identity is decided by the platform, the layout or the instructor, never by a student's file."""

import io
import json
import os
import struct
import zipfile

import pytest

from grader.errors import GraderError
from grader.ingest import apply_identities, discover, load_identities, resolve
from grader.ingest.layouts import EXERCISE_FILES

FILES = {name: f"# {name}\ndef f():\n    return 1\n".encode() for name in EXERCISE_FILES}


def zip_bytes(members: dict, flag_utf8=True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def submit_archive(student_id, when="2025-03-01T10:00:00Z", files=FILES):
    import hashlib

    manifest = {"format": "dl-grader-submission/1", "student_id": student_id,
                "submitted_at_utc": when,
                "files": {n: hashlib.sha256(d).hexdigest() for n, d in files.items()}}
    return zip_bytes({**files, "manifest.json": json.dumps(manifest)})


def write_folder(folder, files=FILES):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def rows(paths):
    chosen, older = resolve(discover(paths))
    return {s.key: s for s in chosen}, older


def test_a_later_archive_claiming_another_student_never_replaces_her_hand_in(tmp_path):
    klass = tmp_path / "class"
    write_folder(klass / "ana", {**FILES, "sgd.py": b"# ana's own work\n"})
    (klass / "submission-mallory.zip").write_bytes(
        submit_archive("ana", when="2030-01-01T00:00:00Z",
                       files={**FILES, "sgd.py": b"# mallory\n"}))
    by_key, older = rows([klass])
    assert sorted(by_key) == ["ana", "mallory"] and older == {}
    assert by_key["ana"].files["sgd.py"] == b"# ana's own work\n"
    mallory = by_key["mallory"]
    assert mallory.claimed_id == "ana"
    assert [n.key for n in mallory.notes] == ["batch.note.manifest_claims_other_id"]


def test_archives_given_on_their_own_that_claim_one_id_are_a_conflict(tmp_path):
    ana, mallory = tmp_path / "submission-ana.zip", tmp_path / "submission-mallory.zip"
    ana.write_bytes(submit_archive("ana"))
    mallory.write_bytes(submit_archive("ana", when="2030-01-01T00:00:00Z"))
    by_key, older = rows([ana, mallory])
    assert sorted(by_key) == ["ana~1", "ana~2"] and older == {}
    assert {s.origin for s in by_key.values()} == {str(ana), str(mallory)}
    assert all(s.conflict for s in by_key.values())


def test_two_students_who_typed_the_placeholder_id_are_not_merged(tmp_path):
    paths = []
    for who in ("a", "b"):
        path = tmp_path / f"{who}.zip"
        path.write_bytes(submit_archive("TU_ID", files={**FILES, "sgd.py": f"# {who}\n".encode()}))
        paths.append(path)
    by_key, _ = rows(paths)
    assert len(by_key) == 2 and all(s.conflict for s in by_key.values())


def test_ids_that_clean_to_the_same_text_are_a_conflict_not_a_merge(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "victim.zip").write_bytes(zip_bytes(FILES))
    (klass / "victim!.zip").write_bytes(zip_bytes({**FILES, "sgd.py": b"# other\n"}))
    by_key, _ = rows([klass])
    assert sorted(by_key) == ["victim~1", "victim~2"]
    assert {s.files["sgd.py"] for s in by_key.values()} == {FILES["sgd.py"], b"# other\n"}


def test_a_students_zip_with_folders_named_after_others_is_hers_alone(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    write_folder(klass / "ana")
    members = {f"{who}/{n}": d for who in ("ana", "luis") for n, d in FILES.items()}
    (klass / "mallory.zip").write_bytes(zip_bytes(members))
    by_key, _ = rows([klass])
    assert sorted(by_key) == ["ana", "mallory"]
    assert by_key["mallory"].file_problems          # two copies at one level: not graded blind


def test_a_class_of_zips_each_holding_tarea_zip_is_one_row_per_student(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    for who in ("ana", "luis", "marta"):
        inner = zip_bytes({**FILES, "sgd.py": f"# {who}\n".encode()})
        (klass / f"{who}.zip").write_bytes(zip_bytes({"tarea.zip": inner}))
    by_key, _ = rows([klass])
    assert sorted(by_key) == ["ana", "luis", "marta"]
    assert by_key["luis"].files["sgd.py"] == b"# luis\n"


def test_an_identities_file_resolves_a_conflict(tmp_path):
    ana, other = tmp_path / "submission-ana.zip", tmp_path / "x.zip"
    ana.write_bytes(submit_archive("ana"))
    other.write_bytes(submit_archive("ana", files={**FILES, "sgd.py": b"# luis\n"}))
    subs = discover([ana, other])
    luis = next(s for s in subs if s.origin == str(other))
    table = tmp_path / "ids.csv"
    table.write_text(f"sha256,student_id,name\n{luis.sha256},luis,Luis Gómez\n", encoding="utf-8")
    chosen, _ = resolve(apply_identities(subs, load_identities(table)))
    by_key = {s.key: s for s in chosen}
    assert sorted(by_key) == ["ana", "luis"] and not any(s.conflict for s in chosen)
    assert by_key["luis"].name == "Luis Gómez"


def test_an_identities_file_without_the_needed_columns_is_a_user_error(tmp_path):
    table = tmp_path / "ids.csv"
    table.write_text("who,what\n1,2\n")
    with pytest.raises(GraderError):
        load_identities(table)


def _zip_with_raw_name(raw: bytes, data: bytes, utf8_flag: bool) -> bytes:
    """A stored (uncompressed) zip with one member named by these exact bytes."""
    import zlib

    crc = zlib.crc32(data)
    flags = 0x800 if utf8_flag else 0
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, 0, 0, 0x21, crc, len(data),
                        len(data), len(raw), 0) + raw + data
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, flags, 0, 0, 0x21, crc,
                          len(data), len(data), len(raw), 0, 0, 0, 0, 0, 0) + raw
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local), 0)
    return local + central + end


@pytest.mark.parametrize("encoding, flag", [("utf-8", True), ("utf-8", False), ("cp437", False)],
                         ids=["utf8-flag", "utf8-no-flag-linux-macos", "cp437-windows"])
def test_names_in_zips_from_any_system_come_out_right(tmp_path, encoding, flag):
    folder = "Ana García Núñez_42_assignsubmission_file_/sgd.py"
    path = tmp_path / "moodle.zip"
    path.write_bytes(_zip_with_raw_name(folder.encode(encoding), FILES["sgd.py"], flag))
    (sub,) = discover([path])
    assert sub.name == "Ana García Núñez" and sub.student_id == "42"


def test_a_corrupt_deflate_stream_is_a_rejected_row_not_a_crash(tmp_path):
    data = bytearray(zip_bytes({n: d * 50 for n, d in FILES.items()}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("sgd.py")
    start = info.header_offset + 30 + len(info.filename)
    data[start] = 0xFF                                # deflate block type 3: zlib.error
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "broken.zip").write_bytes(bytes(data))
    write_folder(klass / "ana")
    by_key, _ = rows([klass])
    assert sorted(by_key) == ["ana", "broken"]
    broken = by_key["broken"]
    assert broken.file_problems["sgd.py"].key == "grading.reason.corrupted_archive"
    assert "sgd.py" not in broken.files and "activations.py" in broken.files


def test_a_manifest_nested_thousands_deep_is_a_note_not_a_crash(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "submission-ana.zip"
    path.write_bytes(zip_bytes({**FILES, "manifest.json": deep}))
    (sub,) = discover([path])
    assert sub.student_id == "ana" and sorted(sub.files) == sorted(EXERCISE_FILES)
    assert [n.key for n in sub.notes] == ["grading.note.bad_manifest"]


def test_folder_names_that_are_not_utf8_are_shown_without_breaking_anything(tmp_path):
    klass = tmp_path / "class"
    klass.mkdir()
    raw = os.fsencode(str(klass)) + b"/Garc\xeda"
    os.mkdir(raw)
    for name, data in FILES.items():
        with open(raw + b"/" + name.encode(), "wb") as fh:
            fh.write(data)
    (sub,) = discover([klass])
    sub.origin.encode("utf-8")                        # no lone surrogate left
    assert "García" in sub.origin
    assert sorted(sub.files) == sorted(EXERCISE_FILES)


def test_a_manifest_that_claims_another_id_does_not_lend_its_name_either(tmp_path):
    """Mallory's manifest says she is Ana: her row keeps her id AND shows no name of Ana's
    (the gradebook's Student column is what an instructor reads)."""
    klass = tmp_path / "class"
    write_folder(klass / "ana")
    write_folder(klass / "mallory")
    (klass / "mallory" / "manifest.json").write_text(json.dumps(
        {"student_id": "ana", "name": "Ana García"}), encoding="utf-8")
    write_folder(klass / "luis")
    (klass / "luis" / "manifest.json").write_text(json.dumps(
        {"student_id": "luis", "name": "Luis Pérez"}), encoding="utf-8")
    by_key, _ = rows([klass])
    assert by_key["mallory"].claimed_id == "ana"
    assert by_key["mallory"].name in (None, "")
    assert by_key["luis"].name == "Luis Pérez"          # a claim that agrees names its row
