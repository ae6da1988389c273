"""Similar submissions: identical after renaming, commenting and reformatting;
the stubs' code does not count."""

import re

from grader import config
from grader.grading.similarity import identical_groups, similar_pairs
from grader.ingest.layouts import EXERCISE_FILES


def _files(folder):
    return {n: (folder / n).read_bytes() for n in EXERCISE_FILES}


def _disguised(files):
    """The same code with other names, comments and layout."""
    out = {}
    for name, data in files.items():
        text = data.decode("utf-8")
        text = re.sub(r"\bz\b", "entrada", text)
        text = re.sub(r"\bX\b", "datos", text)
        text = text.replace("# ", "# comentario nuevo: ")
        text = re.sub(r"\n(\s*)return ", r"\n\1# ya casi\n\1return ", text)
        out[name] = text.encode("utf-8")
    return out


def test_renaming_commenting_and_reformatting_does_not_hide_a_copy():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    pairs = similar_pairs({"ana": ref, "copia": _disguised(ref), "stub": stubs}, stubs)
    assert ("ana", "copia", 1.0, "identical") in pairs
    assert not any("stub" in (a, b) for a, b, _, _ in pairs)      # the stubs' code is nobody's
    assert identical_groups(pairs) == [["ana", "copia"]]


def test_independent_work_is_not_reported():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    other = dict(stubs)                                           # only one exercise written
    other["activations.py"] = ref["activations.py"]
    pairs = similar_pairs({"ana": ref, "luis": other}, stubs)
    assert pairs == []


def test_files_that_do_not_parse_or_are_huge_are_skipped_not_fatal():
    ref = _files(config.SOLUTIONS_DIR)
    broken = {n: b"def (:\n" for n in EXERCISE_FILES}
    huge = {n: b"x = 1\n" * 100_000 for n in EXERCISE_FILES}
    assert similar_pairs({"a": broken, "b": broken, "c": huge, "d": ref}) == []


def _as_utf7(files):
    """The same bytes Python runs, re-encoded as UTF-7 with a coding declaration: every
    character base64-encoded, nothing left for a UTF-8 reader to parse."""
    import base64

    out = {}
    for name, data in files.items():
        body = base64.b64encode(data.decode("utf-8").encode("utf-16-be")).decode().rstrip("=")
        out[name] = b"# coding: utf-7\n+" + body.encode() + b"-\n"
    return out


def test_a_copy_re_encoded_with_a_coding_declaration_is_still_found():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    encoded = _as_utf7(ref)
    assert all(b"def " not in data for data in encoded.values())      # nothing readable left
    pairs = similar_pairs({"ana": ref, "copia": encoded, "stub": stubs}, stubs)
    assert ("ana", "copia", 1.0, "identical") in pairs


def _moved_into_helpers(files):
    """The same files byte for byte, renamed ``<exercise>_impl.py`` (helper modules),
    each exercise file a one-line re-export (similarity-evaded-by-helper)."""
    out = {}
    for name, data in files.items():
        stem = name[:-3]
        out[f"{stem}_impl.py"] = data
        out[name] = f"from {stem}_impl import *\n".encode()
    return out


def test_a_copy_moved_into_helper_modules_is_still_the_same_code():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    pairs = similar_pairs({"ana": ref, "copia": _moved_into_helpers(ref), "stub": stubs},
                          stubs)
    assert ("ana", "copia", 1.0, "identical") in pairs
    assert identical_groups(pairs) == [["ana", "copia"]]


def test_a_copy_of_the_stub_moved_into_a_helper_is_still_nobodys_code():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    pairs = similar_pairs({"ana": ref, "stub": stubs, "stub2": _moved_into_helpers(stubs)},
                          stubs)
    assert pairs == []


def _moved_into_a_class(files):
    """Every module's functions as methods of one class (``self`` first), called through
    an instance: the same code, laid out otherwise."""
    out = {}
    for name, data in files.items():
        text = data.decode("utf-8")
        defined = re.findall(r"^def (\w+)\(", text, flags=re.M)
        calls = re.compile(r"(?<![.\w])(" + "|".join(defined or ["$^"]) + r")\(")
        lines = []
        for line in text.splitlines():
            if line.startswith("def "):
                line = re.sub(r"^def (\w+)\(", r"def \1(self, ", line).replace("(self, )", "(self)")
            else:
                line = calls.sub(r"self.\1(", line)
            lines.append("    " + line if line.strip() else line)
        out[name] = ("class Ejercicio:\n" + "\n".join(lines) + "\n").encode("utf-8")
    return out


def test_a_copy_moved_into_class_methods_is_still_found():
    ref = _files(config.SOLUTIONS_DIR)
    stubs = _files(config.EXERCISES_DIR)
    moved = _moved_into_a_class(ref)
    pairs = similar_pairs({"ana": ref, "copia": moved, "stub": stubs}, stubs)
    found = {(a, b): sim for a, b, sim, _ in pairs}
    assert found.get(("ana", "copia"), 0) >= 0.8, pairs
    stub_in_class = similar_pairs({"ana": ref, "stub": _moved_into_a_class(stubs)}, stubs)
    assert stub_in_class == []          # the stub in a class is still nobody's code
