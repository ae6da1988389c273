"""Folders and zip archives as read-only trees of entries, read into memory safely.

Nothing is ever extracted to disk. A zip is refused as a whole when it is
corrupted, encrypted, or names an entry outside itself (``../``, an absolute
path, a drive letter). Its members are read lazily, each with a cap on the
bytes that come out, so a zip bomb (or a member that lies about its size) is
reported instead of filling memory. Declared sizes are checked before any
decompression, per student (see :func:`bomb_problem`).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from struct import error as struct_error

from grader import config
from grader.ingest.model import ArchiveProblem, Problem

JUNK_PARTS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", ".git")
JUNK_NAMES = (".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class Entry:
    """One file of a tree: relative posix path, sizes, time, and how to read it."""

    path: str
    size: int                    # declared (uncompressed) size
    packed: int                  # compressed size (== size on disk)
    mtime: float
    reader: Callable[[int], bytes]
    origin: str                  # for people: "/abs/path" or "class.zip!dir/file"

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def depth(self) -> int:
        return len(PurePosixPath(self.path).parts) - 1

    def read(self, limit: int) -> bytes:
        """The whole content; ArchiveProblem if it is (or turns out to be) above ``limit``."""
        if self.size > limit:
            raise ArchiveProblem("grading.reason.file_too_large", file=self.path,
                                 size=_mib(self.size), limit=_mib(limit))
        data = self.reader(limit)
        if len(data) > limit:
            raise ArchiveProblem("grading.reason.zip_bomb", file=self.path)
        return data


@dataclass
class Tree:
    """The files of a folder or an archive. ``label`` is where it came from."""

    label: str
    entries: list
    archive_sha256: str | None = None      # set when the tree is one zip file
    skipped: list = field(default_factory=list)   # relative paths of links not followed

    def under(self, prefix: str) -> "Tree":
        """The entries below the folder ``prefix``, with paths made relative to it."""
        prefix = prefix.strip("/")
        cut = prefix + "/"
        entries = [Entry(e.path[len(cut):], e.size, e.packed, e.mtime, e.reader, e.origin)
                   for e in self.entries if e.path.startswith(cut)]
        sep = "!" if self.archive_sha256 and "!" not in self.label else "/"
        return Tree(f"{self.label}{sep}{prefix}", entries,
                    skipped=[p[len(cut):] for p in self.skipped if p.startswith(cut)])


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def is_junk(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return (any(p in JUNK_PARTS for p in parts) or parts[-1] in JUNK_NAMES
            or parts[-1].startswith("._"))


def tree_from_dir(root: Path, *, skip: list[Path] = ()) -> Tree:
    """Every regular file below ``root`` (symbolic links are not followed)."""
    root = Path(root)
    skip_real = [os.path.realpath(p) for p in skip]
    entries, skipped = [], []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        real_dir = os.path.realpath(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in JUNK_PARTS and not any(
            os.path.realpath(os.path.join(dirpath, d)) == s for s in skip_real))
        for name in list(dirnames):
            if (os.path.islink(os.path.join(dirpath, name))      # os.walk does not enter it
                    and len(skipped) < config.MAX_TREE_ENTRIES):
                skipped.append(os.path.relpath(os.path.join(dirpath, name), root)
                               .replace(os.sep, "/"))
        for fname in sorted(filenames):
            full = os.path.join(dirpath, fname)
            try:
                st = os.lstat(full)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                if stat.S_ISLNK(st.st_mode) and len(skipped) < config.MAX_TREE_ENTRIES:
                    skipped.append(os.path.relpath(full, root).replace(os.sep, "/"))
                continue
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            if is_junk(rel):
                continue
            entries.append(Entry(rel, st.st_size, st.st_size, st.st_mtime,
                                 _file_reader(full), full))
            if len(entries) > config.MAX_TREE_ENTRIES:
                raise ArchiveProblem("grading.reason.too_many_files", path=str(root),
                                     limit=config.MAX_TREE_ENTRIES)
        del real_dir
    return Tree(str(root), entries, skipped=skipped)


def _file_reader(path: str):
    def read(limit: int) -> bytes:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    return read


def _safe_name(name: str) -> str | None:
    """The member's path as posix, or None when it escapes the archive."""
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return None
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        return None
    return "/".join(parts)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author meant it.

    The zip format says: UTF-8 when flag bit 11 is set, else code page 437.
    Linux ``zip``, macOS and many tools write UTF-8 without setting the flag,
    so a name without the flag is read as UTF-8 when its bytes are valid
    UTF-8, else as code page 437 (what Windows' own zips use for á, í, ñ...).
    """
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:           # not decoded by zipfile as cp437: keep it
        return name
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return name


def tree_from_zip(source, label: str, *, depth: int = 0) -> Tree:
    """A zip (a path or its bytes) as a tree; ArchiveProblem when it is unsafe or broken."""
    import hashlib

    if depth > config.MAX_ARCHIVE_DEPTH:
        raise ArchiveProblem("grading.reason.nested_too_deep", path=label,
                             limit=config.MAX_ARCHIVE_DEPTH)
    try:
        if isinstance(source, (str, Path)):
            size = os.path.getsize(source)
            if size > config.MAX_ARCHIVE_FILE_BYTES:
                raise ArchiveProblem("grading.reason.archive_too_large", path=label,
                                     size=_mib(size), limit=_mib(config.MAX_ARCHIVE_FILE_BYTES))
            if size <= config.MAX_SUBMISSION_BYTES:     # small: read once, close the file
                with open(source, "rb") as fh:
                    handle = io.BytesIO(fh.read())
                digest = hashlib.sha256(handle.getvalue()).hexdigest()
            else:                                        # a class download: read lazily
                handle = open(source, "rb")
                sha = hashlib.sha256()
                for block in iter(lambda: handle.read(1 << 20), b""):
                    sha.update(block)
                handle.seek(0)
                digest = sha.hexdigest()
        else:
            handle = io.BytesIO(bytes(source))
            digest = hashlib.sha256(handle.getvalue()).hexdigest()
    except OSError as exc:
        raise ArchiveProblem("grading.reason.unreadable", path=label,
                             reason=exc.strerror or str(exc)) from None
    try:
        too_many = _central_directory_count(handle) > config.MAX_TREE_ENTRIES
        zf = None if too_many else zipfile.ZipFile(handle)
        infos = [] if too_many else zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, zlib.error, struct_error, MemoryError) as exc:
        handle.close()
        raise ArchiveProblem("grading.reason.corrupted_archive", path=label,
                             reason=zip_trouble(exc)) from None
    if too_many or len(infos) > config.MAX_TREE_ENTRIES:
        handle.close()
        raise ArchiveProblem("grading.reason.too_many_files", path=label,
                             limit=config.MAX_TREE_ENTRIES)
    entries = []
    for info in infos:
        safe = _safe_name(member_name(info))
        if safe is None:
            raise ArchiveProblem("grading.reason.unsafe_entry", path=label,
                                 entry=member_name(info)[:200])
        if info.is_dir() or not safe:
            continue
        mode = (info.external_attr >> 16) & 0o170000
        if mode and mode != stat.S_IFREG:
            continue                      # links and devices inside a zip are ignored
        if info.flag_bits & 0x1:
            raise ArchiveProblem("grading.reason.encrypted_archive", path=label)
        if is_junk(safe):
            continue
        try:
            when = _zip_time(info.date_time)
        except (ValueError, OverflowError):
            when = 0.0
        entries.append(Entry(safe, info.file_size, info.compress_size, when,
                             _zip_reader(zf, info, label), f"{label}!{safe}"))
    return Tree(label, entries, archive_sha256=digest)


def _central_directory_count(handle) -> int:
    """How many entries the zip's central directory really holds, counted (not as declared)
    and only up to ``MAX_TREE_ENTRIES + 1``, reading one entry header at a time.

    ``zipfile.ZipFile`` builds a ZipInfo for every entry before anyone can count them:
    a 60 MB zip of 1.3 M empty entries took the batch to 600 MB. Returns 0 when there is
    no end record (ZipFile then says what is wrong).
    """
    endrec = zipfile._EndRecData(handle)
    if not endrec:
        return 0
    size_cd, offset_cd = endrec[zipfile._ECD_SIZE], endrec[zipfile._ECD_OFFSET]
    start = endrec[zipfile._ECD_LOCATION] - size_cd
    if endrec[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
        start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
    if start < 0 or offset_cd < 0:
        return 0
    count, position, end = 0, start, start + size_cd
    while position + zipfile.sizeCentralDir <= end and count <= config.MAX_TREE_ENTRIES:
        handle.seek(position)
        header = handle.read(zipfile.sizeCentralDir)
        if len(header) < zipfile.sizeCentralDir or header[:4] != zipfile.stringCentralDir:
            break
        names, extra, comment = (int.from_bytes(header[i:i + 2], "little") for i in (28, 30, 32))
        position += zipfile.sizeCentralDir + names + extra + comment
        count += 1
    handle.seek(0)
    return count


def _zip_time(date_time) -> float:
    import calendar

    y, mo, d, h, mi, s = date_time
    return float(calendar.timegm((max(y, 1980), max(mo, 1), max(d, 1), h, mi, s, 0, 0, 0)))


def _zip_reader(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str):
    def read(limit: int) -> bytes:
        try:
            with zf.open(info) as fh:
                return fh.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError, zipfile.LargeZipFile, zlib.error, MemoryError,
                RecursionError) as exc:
            raise ArchiveProblem("grading.reason.corrupted_archive", path=label, reason={
                "key": "grading.zip_trouble.in_member",
                "params": {"member": member_name(info)[:150], "what": zip_trouble(exc)}}) from None
    return read


def zip_trouble(exc: BaseException) -> dict:
    """Why an archive cannot be read, as a message of the catalog (the zipfile module's own
    words are English only)."""
    text = str(exc).lower()
    if isinstance(exc, (zipfile.LargeZipFile, MemoryError)):
        kind = "too_large"
    elif isinstance(exc, NotImplementedError):
        kind = "unsupported"
    elif "encrypt" in text or "password" in text:
        kind = "encrypted"
    elif "crc" in text:
        kind = "bad_crc"
    elif isinstance(exc, zipfile.BadZipFile) and "not a zip" in text:
        kind = "not_a_zip"
    elif isinstance(exc, (EOFError, struct_error)) or "truncat" in text:
        kind = "truncated"
    elif isinstance(exc, zlib.error):
        kind = "bad_data"
    else:
        kind = "damaged"
    return {"key": f"grading.zip_trouble.{kind}", "params": {}}


def bomb_problem(entries, label: str) -> Problem | None:
    """A zip bomb (by declared sizes) among one student's entries, before reading any."""
    total = 0
    for e in entries:
        total += e.size
        if e.size > config.BOMB_MIN_BYTES and e.size / max(e.packed, 1) > config.BOMB_MAX_RATIO:
            return Problem("grading.reason.zip_bomb", {"file": e.path})
    if total > config.MAX_SUBMISSION_BYTES:
        return Problem("grading.reason.archive_too_large", {
            "path": label, "size": _mib(total), "limit": _mib(config.MAX_SUBMISSION_BYTES)})
    return None
