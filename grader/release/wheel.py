"""The student wheel: the bundle's ``grader/`` package as one installable file.

``pip install dl_grader-<version>-py3-none-any.whl`` (from a URL, a Drive link,
or the file uploaded beside a Colab notebook) gives a kernel everything a
notebook needs: the helpers its cells call, the public checks and their golden
values, the stubs. What the bundle leaves out (solutions, hidden checks, named
mistakes, golden specs) is not in the wheel either, since the wheel is made
from the bundle's package folder only.

The wheel is written directly (a wheel is a zip with a ``.dist-info`` folder),
so building it needs neither the network nor a build backend, and two builds
of the same sources are byte-identical (fixed dates, sorted members).
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from grader import __version__
from grader.atomic import atomic_write_bytes, zip_bytes

DIST_NAME = "dl-grader"
REQUIRES_PYTHON = ">=3.11"
REQUIRES = ("numpy>=1.24", "pytest>=7.4", "click>=8.1", "nbformat>=5.9")
EXTRAS = {"keras": ("tensorflow-cpu>=2.16", "matplotlib>=3.7"),
          "notebooks": ("ipykernel>=6.25", "matplotlib>=3.7")}
SUMMARY = "Ejercicios autocorregidos de aprendizaje profundo / Auto-graded DL exercises"
_SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints"}
_SKIP_SUFFIXES = (".pyc", ".pyo")


def wheel_name(version: str = __version__) -> str:
    """``dl_grader-0.1.0-py3-none-any.whl``."""
    return f"{DIST_NAME.replace('-', '_')}-{version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "sha256=" + digest.decode("ascii")


def _metadata(version: str, readme: str) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {DIST_NAME}", f"Version: {version}",
             f"Summary: {SUMMARY}", f"Requires-Python: {REQUIRES_PYTHON}"]
    lines += [f"Requires-Dist: {r}" for r in REQUIRES]
    for extra, reqs in EXTRAS.items():
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r}; extra == "{extra}"' for r in reqs]
    lines.append("Description-Content-Type: text/markdown")
    return "\n".join(lines) + "\n\n" + readme


def wheel_members(package_dir: Path | str, *, version: str = __version__,
                  readme: str = "") -> dict[str, bytes]:
    """Every member of the wheel of ``package_dir`` (a ``grader/`` folder): ``{name: bytes}``."""
    package_dir = Path(package_dir)
    members: dict[str, bytes] = {}
    for path in sorted(package_dir.rglob("*")):
        rel = path.relative_to(package_dir.parent)
        if (not path.is_file() or _SKIP_PARTS & set(rel.parts)
                or path.name.endswith(_SKIP_SUFFIXES)):
            continue
        members[rel.as_posix()] = path.read_bytes()
    info = f"{DIST_NAME.replace('-', '_')}-{version}.dist-info"
    members[f"{info}/METADATA"] = _metadata(version, readme).encode("utf-8")
    members[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: dl-grader release\n"
                                b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    members[f"{info}/entry_points.txt"] = b"[console_scripts]\ngrader = grader.cli:main\n"
    members[f"{info}/top_level.txt"] = package_dir.name.encode() + b"\n"
    record = [f"{name},{_record_hash(data)},{len(data)}" for name, data in sorted(members.items())]
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode("utf-8")
    return members


def build_wheel(package_dir: Path | str, out_dir: Path | str, *, version: str = __version__,
                readme: str = "") -> Path:
    """Write the wheel of ``package_dir`` into ``out_dir``; returns its path."""
    target = Path(out_dir) / wheel_name(version)
    atomic_write_bytes(target, zip_bytes(wheel_members(package_dir, version=version,
                                                       readme=readme)), durable=False)
    return target
