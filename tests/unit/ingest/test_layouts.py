"""Every layout of hand-ins is read into the right students, files and identities."""

import io
import json
import os
import zipfile

import pytest

from grader.errors import GraderError
from grader.ingest import discover, latest_per_student
from grader.assignments import get as get_assignment

# Assignment 1's modules (the course also has assignment 2).
EXERCISE_FILES = tuple(f"{ex}.py" for ex in get_assignment("1").exercises)
FILES = {name: f"# {name}\ndef f():\n    return 1\n".encode() for name in EXERCISE_FILES}


def write_folder(folder, files=FILES, mtime=None):
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        if mtime is not None:
            os.utime(path, (mtime, mtime))
    return folder


def zip_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def submit_archive(student_id, when="2025-03-01T10:00:00Z", files=FILES):
    import hashlib

    manifest = {"format": "dl-grader-submission/1", "student_id": student_id,
                "submitted_at_utc": when, "grader_version": "0.1.0",
                "files": {n: hashlib.sha256(d).hexdigest() for n, d in files.items()},
                "results": {"score": 100, "max_score": 100, "checks": []}}
    return zip_bytes({**files, "manifest.json": json.dumps(manifest)})


def by_id(subs):
    return {s.student_id: s for s in subs}


def test_a_grader_submit_archive_is_identified_by_its_manifest(tmp_path):
    path = tmp_path / "whatever-name.zip"
    path.write_bytes(submit_archive("ana.perez"))
    (sub,) = discover([path])
    assert sub.student_id == "ana.perez" and sub.source == "submit"
    assert sorted(sub.files) == sorted(EXERCISE_FILES)
    import hashlib
    assert sub.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sub.timestamp > 0 and sub.notes == []


def test_a_changed_file_after_submit_is_graded_as_handed_in_with_a_note(tmp_path):
    data = submit_archive("ana")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["sgd.py"] = b"# edited later\n"
    path = tmp_path / "ana.zip"
    path.write_bytes(zip_bytes(members))
    (sub,) = discover([path])
    assert sub.files["sgd.py"] == b"# edited later\n"
    assert [n.key for n in sub.notes] == ["grading.note.manifest_mismatch"]


def test_a_student_folder_and_a_zip_of_it_are_named_after_themselves(tmp_path):
    folder = write_folder(tmp_path / "luis")
    archive = tmp_path / "marta.zip"
    archive.write_bytes(zip_bytes({f"marta/{n}": d for n, d in FILES.items()}))
    subs = by_id(discover([folder, archive]))
    assert subs["luis"].source == "folder" and subs["marta"].source == "zip"
    assert sorted(subs["marta"].files) == sorted(EXERCISE_FILES)


def test_a_class_folder_holds_one_student_per_subfolder_and_per_zip(tmp_path):
    write_folder(tmp_path / "class" / "ana")
    write_folder(tmp_path / "class" / "luis" / "entrega" / "src")
    (tmp_path / "class" / "marta.zip").write_bytes(zip_bytes(FILES))
    (tmp_path / "class" / "notes.txt").write_text("not a student")
    (tmp_path / "class" / "datasets").mkdir()
    (tmp_path / "class" / "datasets" / "x.csv").write_text("1,2")
    subs = by_id(discover([tmp_path / "class"]))
    assert sorted(subs) == ["ana", "luis", "marta"]
    assert all(sorted(s.files) == sorted(EXERCISE_FILES) for s in subs.values())


def test_a_student_folder_of_only_links_gets_a_row_saying_links_are_not_followed(tmp_path):
    write_folder(tmp_path / "class" / "ana")
    (tmp_path / "class" / "bob").mkdir()
    (tmp_path / "class" / "bob" / "activations.py").symlink_to("/etc/passwd")
    (tmp_path / "class" / "bob" / "sgd.py").symlink_to(tmp_path / "class" / "ana" / "sgd.py")
    (tmp_path / "class" / "links").mkdir()
    (tmp_path / "class" / "links" / "data").symlink_to(tmp_path, target_is_directory=True)
    subs = by_id(discover([tmp_path / "class"]))
    assert sorted(subs) == ["ana", "bob", "links"]
    assert subs["bob"].rejected.key == "batch.reason.links_not_followed"
    assert "activations.py" in subs["bob"].rejected.render("en")
    assert subs["bob"].files == {} and "passwd" not in str(subs["bob"].rejected.params)
    assert subs["links"].rejected.key == "batch.reason.links_not_followed"


def test_a_notebook_beside_the_py_files_is_not_read_and_a_note_says_so(tmp_path):
    write_folder(tmp_path / "eva", {n: d for n, d in FILES.items() if n != "activations.py"})
    (tmp_path / "eva" / "activations.ipynb").write_text("{}")
    sub = _only_sub(discover([tmp_path / "eva"]))
    assert "activations.py" not in sub.files
    assert [n.key for n in sub.notes] == ["grading.note.notebook_ignored"]
    assert "activations.ipynb" in sub.notes[0].render("es")


def test_a_notebook_cell_whose_code_is_not_text_is_reported_as_damaged(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": [["def sigmoid(z):\n", "    return z\n"]]}
    path = tmp_path / "ana.ipynb"
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    sub = _only_sub(discover([path]))
    assert sub.rejected.key == "error.notebook_bad_cell" and "1" in sub.rejected.render("en")


def _only_sub(subs):
    assert len(subs) == 1
    return subs[0]


def test_moodle_download_folders_give_participant_number_and_name(tmp_path):
    root = tmp_path / "moodle"
    write_folder(root / "Ana María Pérez_123456_assignsubmission_file_")
    (root / "Ana María Pérez_123456_assignsubmission_onlinetext_").mkdir()
    online = root / "Ana María Pérez_123456_assignsubmission_onlinetext_"
    (online / "onlinetext.html").write_text("hi")
    luis = root / "Luis Gómez_654321_assignsubmission_file_"
    luis.mkdir()
    (luis / "submission-luis.zip").write_bytes(submit_archive("luis.gomez"))
    (root / "Solo Texto_777_assignsubmission_onlinetext_").mkdir()
    (root / "Solo Texto_777_assignsubmission_onlinetext_" / "onlinetext.html").write_text("x")
    subs = by_id(discover([root]))
    assert sorted(subs) == ["123456", "654321"]
    ana = subs["123456"]
    assert ana.name == "Ana María Pérez" and ana.source == "moodle"
    assert ana.lms == {"moodle_participant": "123456"}
    luis = subs["654321"]
    assert sorted(luis.files) == sorted(EXERCISE_FILES)
    assert luis.manifest["student_id"] == "luis.gomez"
    assert [n.key for n in luis.notes] == ["grading.note.manifest_other_id"]


def test_the_moodle_zip_and_its_flat_variant_are_read_the_same_way(tmp_path):
    members = {f"Ana Pérez_42_assignsubmission_file_/{n}": d for n, d in FILES.items()}
    members.update({f"Participant_43_assignsubmission_file_{n}": d for n, d in FILES.items()})
    path = tmp_path / "COURSE-Assignment-123.zip"
    path.write_bytes(zip_bytes(members))
    subs = by_id(discover([path]))
    assert sorted(subs) == ["42", "43"]
    assert subs["42"].name == "Ana Pérez" and subs["43"].name is None     # blind marking
    assert all(sorted(s.files) == sorted(EXERCISE_FILES) for s in subs.values())


def test_canvas_bulk_download_keeps_the_highest_resubmission_of_each_file(tmp_path):
    root = tmp_path / "submissions"
    root.mkdir()
    for name, data in FILES.items():
        (root / f"perezjuan_12345_67890_{name}").write_bytes(data)
    stem = "sgd"
    (root / f"perezjuan_12345_67890_{stem}-1.py").write_bytes(b"# second try\n")
    (root / f"perezjuan_12345_67890_{stem}-2.py").write_bytes(b"# third try\n")
    for name, data in FILES.items():
        (root / f"gomezluis_late_22222_33333_{name}").write_bytes(data)
    subs = by_id(discover([root]))
    assert sorted(subs) == ["12345", "22222"]
    juan = subs["12345"]
    assert juan.source == "canvas" and juan.name == "perezjuan"
    assert juan.files["sgd.py"] == b"# third try\n"
    assert juan.lms == {"canvas_user": "12345", "canvas_submission": "67890"}


def test_canvas_files_given_one_by_one_are_grouped_by_student(tmp_path):
    paths = []
    for name, data in FILES.items():
        path = tmp_path / f"perezjuan_12345_67890_{name}"
        path.write_bytes(data)
        paths.append(path)
    (sub,) = discover(paths)
    assert sub.student_id == "12345" and sorted(sub.files) == sorted(EXERCISE_FILES)


def test_two_archives_claiming_one_student_are_both_kept_as_a_conflict(tmp_path):
    old = tmp_path / "old.zip"
    new = tmp_path / "new.zip"
    old.write_bytes(submit_archive("ana", when="2025-03-01T10:00:00Z"))
    new.write_bytes(submit_archive("ana", when="2025-03-02T10:00:00Z",
                                   files={**FILES, "sgd.py": b"# newer\n"}))
    chosen, older = latest_per_student(discover([new, old]))
    assert [s.student_id for s in chosen] == ["ana", "ana"]
    assert older == {}
    assert sorted(s.key for s in chosen) == ["ana~1", "ana~2"]
    assert all(len(s.conflict) == 1 for s in chosen)


def test_two_moodle_downloads_of_one_participant_keep_the_latest(tmp_path):
    for day, text in ((1, b"# first\n"), (2, b"# second\n")):
        root = tmp_path / f"download{day}"
        write_folder(root / "Ana Pérez_42_assignsubmission_file_",
                     {**FILES, "sgd.py": text}, mtime=1_700_000_000 + day * 86400)
    chosen, older = latest_per_student(discover([tmp_path / "download1",
                                                 tmp_path / "download2"]))
    assert [s.files["sgd.py"] for s in chosen] == [b"# second\n"]
    assert chosen[0].conflict == [] and len(older["42"]) == 1


def test_a_notebook_that_is_not_a_notebook_is_rejected_with_its_reason(tmp_path):
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "practica.ipynb").write_text("this is not JSON")
    (sub,) = discover([folder])
    assert sub.rejected is not None and "practica.ipynb" in sub.rejected.render("en")
    assert sub.rejected.key != "grading.reason.notebook_unsupported"     # the real reason


def test_without_the_notebook_extractor_notebooks_are_not_supported_and_say_so(
        tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "grader.notebooks.extract", None)    # not installed
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "practica.ipynb").write_text("{}")
    (sub,) = discover([folder])
    assert sub.rejected.key == "grading.reason.notebook_unsupported"
    assert "notebook" in sub.rejected.render("en").lower()


def test_the_notebook_hook_turns_a_notebook_into_the_modules_it_holds(tmp_path, monkeypatch):
    from grader.ingest import layouts

    monkeypatch.setattr(layouts, "notebook_to_modules",
                        lambda data, name: {"activations.py": b"def sigmoid(z):\n    return z\n"})
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "practica.ipynb").write_text("{}")
    (sub,) = discover([folder])
    assert sub.rejected is None and list(sub.files) == ["activations.py"]


def test_a_real_notebook_with_tagged_exercise_cells_is_read_without_running_it(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from grader import config

    book = nbformat.v4.new_notebook()
    source = (config.SOLUTIONS_DIR / "activations.py").read_text(encoding="utf-8")
    book.cells = [nbformat.v4.new_markdown_cell("# Activaciones"),
                  nbformat.v4.new_code_cell("#| exercise: activations\n" + source),
                  nbformat.v4.new_code_cell("print(sigmoid(0.0))")]
    folder = tmp_path / "ana"
    folder.mkdir()
    (folder / "activations.ipynb").write_text(nbformat.writes(book), encoding="utf-8")
    (sub,) = discover([folder])
    assert sub.rejected is None and list(sub.files) == ["activations.py"]
    assert b"def sigmoid" in sub.files["activations.py"]
    assert b"print(sigmoid(0.0))" not in sub.files["activations.py"]


def test_empty_non_utf8_too_large_and_duplicated_files_are_problems_of_that_file_only(tmp_path):
    folder = write_folder(tmp_path / "ana", {
        **FILES, "activations.py": b"  \n", "perceptron.py": "# ñandú\n".encode("latin-1"),
        "backprop.py": b"#" * (600 * 1024)})
    write_folder(folder / "a", {"sgd.py": b"# one\n"})
    write_folder(folder / "b", {"sgd.py": b"# two\n"})
    (folder / "sgd.py").unlink()
    (sub,) = discover([folder])
    keys = {name: p.key for name, p in sub.file_problems.items()}
    assert keys == {"activations.py": "grading.reason.empty_file",
                    "perceptron.py": "grading.reason.not_utf8",
                    "backprop.py": "grading.reason.file_too_large",
                    "sgd.py": "grading.reason.ambiguous_file"}
    assert sorted(sub.files) == ["dropout.py"]
    assert "UTF-8" in sub.file_problems["perceptron.py"].render("en")


def test_a_coding_declaration_lets_python_decide_the_encoding(tmp_path):
    folder = write_folder(tmp_path / "ana", {
        **FILES, "perceptron.py": "# -*- coding: latin-1 -*-\n# ñandú\n".encode("latin-1")})
    (sub,) = discover([folder])
    assert "perceptron.py" in sub.files


def test_a_path_that_does_not_exist_is_a_user_error(tmp_path):
    with pytest.raises(GraderError) as info:
        discover([tmp_path / "nope"])
    assert "nope" in info.value.message("en")


def test_the_output_folder_inside_an_input_folder_is_not_read_as_a_student(tmp_path):
    write_folder(tmp_path / "class" / "ana")
    write_folder(tmp_path / "class" / "grading-out" / "students" / "ana")
    subs = by_id(discover([tmp_path / "class"], skip=[tmp_path / "class" / "grading-out"]))
    assert sorted(subs) == ["ana"]
