"""Writing files atomically: a reader sees the old file or the whole new one, never half.

Every file the grader writes (gradebook, reports, archives, stubs, caches) goes through here.

The bytes go to a temporary file in the same folder, are flushed to disk,
then renamed over the target (``os.replace`` is atomic on POSIX and Windows).
A crash leaves at most a ``.<name>.*.tmp`` file, removed by the next run.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

TMP_SUFFIX = ".tmp"


def _file_mode() -> int:
    """What a plain open() would give a new file: 0o666 minus the umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def atomic_write_bytes(target: Path, data: bytes, *, only_if_changed: bool = False,
                       durable: bool = True) -> bool:
    """Write ``data`` to ``target``; returns False when ``only_if_changed`` and it is equal.

    ``durable``: flush to the disk before renaming (what must survive a power cut).
    """
    target = Path(target)
    if only_if_changed:
        try:
            if target.read_bytes() == data:
                return False
        except OSError:
            pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TMP_SUFFIX)
    try:
        os.chmod(tmp, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        _sync_dir(target.parent)
    return True


def atomic_write_text(target: Path, text: str, **kwargs) -> bool:
    """``text`` as UTF-8; a lone surrogate (what a worker's JSON may carry, ``"\\ud800"``)
    becomes ``?`` instead of stopping the write."""
    return atomic_write_bytes(target, text.encode("utf-8", "replace"), **kwargs)


def zip_bytes(members: dict[str, bytes], executable=()) -> bytes:
    """A reproducible zip of ``members`` (fixed dates, sorted names; ``executable`` get 0755)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100755 if name in executable else 0o100644) << 16
            zf.writestr(info, members[name])
    return buffer.getvalue()


def _sync_dir(folder: Path):
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temporaries(folder: Path):
    """Delete what an interrupted atomic write left in ``folder``."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if name.startswith(".") and name.endswith(TMP_SUFFIX):
            try:
                os.unlink(Path(folder) / name)
            except OSError:
                pass
