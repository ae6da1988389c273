"""Malformed hand-ins, generated: truncated and bit-flipped archives, deep manifests and
notebooks, huge fields, odd encodings and names. Deterministic for a given seed.

``cases(n, seed)`` yields ``(name, kind, payload)``: ``kind`` is "zip" (payload: bytes of
an archive), "folder" (payload: {relative path as bytes: content bytes}, names may be
any bytes the file system takes) or "notebook" (payload: the .ipynb bytes).
"""

from __future__ import annotations

import io
import json
import random
import zipfile

from grader.ingest.layouts import EXERCISE_FILES

GOOD = {name: f"def f():\n    return {i}\n".encode() for i, name in enumerate(EXERCISE_FILES)}
ODD_NAMES = ["Ana García Núñez", "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0",
             "-2+3", "@SUM(A1)", "\x1b[31mred\x1b[0m", "tab\tname", "cr\rname", "..", ".",
             "nul\x00name", "﻿bom", "\u202eevil.txt", "日本語", "a" * 300, "con", "TU_ID",
             "victim!", "victim", " spaced ", "emoji 🎓"]


def _zip(members: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


def _manifest(student_id, **extra) -> bytes:
    doc = {"format": "dl-grader-submission/1", "student_id": student_id,
           "submitted_at_utc": "2030-01-01T00:00:00Z"}
    doc.update(extra)
    return json.dumps(doc).encode()


def _notebook(cells) -> bytes:
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                       "nbformat_minor": 5}).encode()


def _code_cell(source, tags=("sgd",)):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": source,
            "outputs": [], "execution_count": None}


def _flip(data: bytes, rng: random.Random, count: int) -> bytes:
    out = bytearray(data)
    for _ in range(count):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def _archive_variants(rng: random.Random):
    base = _zip({**GOOD, "manifest.json": _manifest("fuzz")})
    yield "truncated", base[:rng.randrange(1, len(base))]
    yield "bitflip", _flip(base, rng, rng.randint(1, 40))
    yield "bitflip-deflate", _flip(base, rng, 1)
    stored = _zip(GOOD, method=zipfile.ZIP_STORED)
    yield "stored-bitflip", _flip(stored, rng, rng.randint(1, 10))
    yield "garbage", bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
    yield "pk-garbage", b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(200))
    depth = rng.choice([100, 5_000, 50_000])
    yield "deep-manifest", _zip({**GOOD, "manifest.json": ("[" * depth + "]" * depth).encode()})
    yield "deep-manifest-obj", _zip({**GOOD, "manifest.json":
                                     ('{"a":' * depth + "1" + "}" * depth).encode()})
    yield "huge-id", _zip({**GOOD, "manifest.json": _manifest("x" * rng.choice(
        [10_000, 900_000]))})
    yield "odd-id", _zip({**GOOD, "manifest.json": _manifest(rng.choice(ODD_NAMES))})
    yield "id-not-text", _zip({**GOOD, "manifest.json": json.dumps(
        {"student_id": rng.choice([None, 3, [1], {"a": 1}])}).encode()})
    yield "bad-date", _zip({**GOOD, "manifest.json": _manifest("d", submitted_at_utc=rng.choice(
        ["yesterday", "9999-99-99T99:99:99Z", 12, None]))})
    yield "manifest-not-utf8", _zip({**GOOD, "manifest.json": b"\xff\xfe{\x00"})
    yield "manifest-files-garbage", _zip({**GOOD, "manifest.json": _manifest(
        "m", files=rng.choice([[1, 2], "x", {"sgd.py": 7}]))})
    nested = _zip(GOOD)
    for _ in range(rng.randint(2, 6)):
        nested = _zip({"inner.zip": nested})
    yield "nested-zips", nested
    yield "escape", _zip({"../evil.py": b"x", **GOOD})
    yield "absolute", _zip({"/etc/evil.py": b"x"})
    yield "odd-member-names", _zip({f"{rng.choice(ODD_NAMES)}/{n}": d for n, d in GOOD.items()})
    yield "not-utf8-source", _zip({**GOOD, "sgd.py": rng.choice(
        [b"\xff\xfe\x00", "ñandú = 1\n".encode("latin-1"), "x = 'é'\n".encode("utf-16")])})
    yield "empty-files", _zip({n: b"" for n in GOOD})
    yield "huge-source", _zip({**GOOD, "sgd.py": b"# " + b"x" * (600 * 1024)})
    yield "many-copies", _zip({f"d{i}/{n}": d for i in range(3) for n, d in GOOD.items()})
    yield "empty-zip", _zip({})
    yield "nul-source", _zip({**GOOD, "sgd.py": b"x = 1\x00\x00\n"})
    yield "two-zips", _zip({"a.zip": _zip(GOOD), "b.zip": _zip(GOOD)})
    yield "zip-of-notebook", _zip({"sgd.ipynb": _notebook([_code_cell("x = 1\n")])})


def _notebook_variants(rng: random.Random):
    yield "nb-not-json", b"{not json"
    yield "nb-truncated", _notebook([_code_cell("def train():\n    pass\n")])[:rng.randint(1, 60)]
    depth = rng.choice([1_000, 100_000])
    yield "nb-deep", ("[" * depth + "]" * depth).encode()
    yield "nb-cells-not-list", json.dumps({"cells": rng.choice([7, "x", {"a": 1}])}).encode()
    yield "nb-source-odd", _notebook([_code_cell(rng.choice([None, 5, [1, None], {"x": 1}]))])
    yield "nb-huge-cell", _notebook([_code_cell("x = 1\n" * (rng.choice([100_000, 300_000])))])
    yield "nb-many-cells", _notebook([_code_cell("x = 1\n")] * rng.choice([10, 6000]))
    yield "nb-odd-tags", _notebook([_code_cell("x = 1\n", tags=[rng.choice(ODD_NAMES)])])
    yield "nb-bitflip", _flip(_notebook([_code_cell("def train():\n    pass\n")]), rng, 3)


def _folder_variants(rng: random.Random):
    name = rng.choice(ODD_NAMES).encode("utf-8", "replace").replace(b"/", b"_")
    name = name.replace(b"\x00", b"_") or b"x"
    if name in (b".", b".."):
        name = b"dots" + name
    yield "odd-folder-name", {name[:200] + b"/" + n.encode(): d for n, d in GOOD.items()}
    latin = rng.choice(["García", "Núñez", "Peña"]).encode(rng.choice(["latin-1", "cp437"]))
    yield "not-utf8-folder-name", {latin + b"/" + n.encode(): d for n, d in GOOD.items()}
    yield "odd-file-names", {b"s/" + rng.choice(ODD_NAMES).encode("utf-8", "replace")
                             .replace(b"/", b"_").replace(b"\x00", b"_")[:200] + b".py": b"x"}


def cases(n: int, seed: int = 0):
    """``n`` malformed hand-ins: (unique name, kind, payload)."""
    rng = random.Random(seed)
    made = 0
    while made < n:
        for maker, kind in ((_archive_variants, "zip"), (_notebook_variants, "notebook"),
                            (_folder_variants, "folder")):
            for label, payload in maker(rng):
                if made >= n:
                    return
                yield f"fz{made:04d}-{label}", kind, payload
                made += 1
