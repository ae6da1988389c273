"""Generate the student stubs in exercises/ from the reference code in solutions/.

Every student-implemented function body in solutions/<topic>.py sits between two
marker lines (indented to the body level):

    # >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>
    # <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<

The stub keeps everything outside the markers (imports, signatures, docstrings,
given functions) and replaces what lies between them by one
``raise NotImplementedError(...)`` line naming the function. A function holds at
most one marked block; a solution file with no marked block at all is refused,
so a reference file can never be copied verbatim into exercises/.

    python -m grader.devtools.stubs          # regenerate exercises/
    python -m grader.devtools.stubs --check  # exit 1 listing out-of-date stubs
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

from grader.atomic import atomic_write_text

BEGIN_MARKER = "# >>> TU CÓDIGO AQUÍ / YOUR CODE HERE >>>"
END_MARKER = "# <<< FIN DE TU CÓDIGO / END OF YOUR CODE <<<"
# Words that only a marker line contains: a line holding them that is not
# exactly a marker is a typo, and is refused rather than silently ignored.
_MARKER_WORDS = ("TU CÓDIGO AQUÍ", "YOUR CODE HERE", "FIN DE TU CÓDIGO", "END OF YOUR CODE")

REPO_ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS_DIR = REPO_ROOT / "solutions"
EXERCISES_DIR = REPO_ROOT / "exercises"


class MarkerError(ValueError):
    """The markers of a solution file are malformed (unbalanced, misplaced, ...)."""


def _not_implemented_line(indent: str, function: str) -> str:
    """``function`` is a name such as ``sgd.train`` (module prefix when known)."""
    message = (
        f"Ejercicio pendiente: implementa {function}() / "
        f"Exercise not done yet: implement {function}()"
    )
    return f'{indent}raise NotImplementedError("{message}")'


def _enclosing_function(tree: ast.AST, lineno: int) -> ast.AST | None:
    """The innermost function whose body contains line ``lineno`` (1-based)."""
    best = None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body[0].lineno <= lineno <= node.end_lineno:
                if best is None or node.lineno > best.lineno:
                    best = node
    return best


def find_marked_blocks(source: str, filename: str = "<source>") -> list[tuple[str, int, int]]:
    """Locate the marked blocks of ``source``.

    Returns one ``(function_name, begin_index, end_index)`` per block, with the
    0-based indices of the two marker lines. Raises MarkerError when markers are
    unbalanced, nested, misspelt, indented differently, outside a function, or
    when one function holds two blocks.
    """
    lines = [line.rstrip("\r\n") for line in _split_lines(source)]
    blocks: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        where = f"{filename}:{i + 1}"
        if stripped == BEGIN_MARKER:
            if open_at is not None:
                raise MarkerError(f"{where}: begin marker inside the block opened at line {open_at + 1}")
            open_at = i
        elif stripped == END_MARKER:
            if open_at is None:
                raise MarkerError(f"{where}: end marker without a begin marker")
            if _indent(line) != _indent(lines[open_at]):
                raise MarkerError(f"{where}: end marker not indented like its begin marker (line {open_at + 1})")
            blocks.append((open_at, i))
            open_at = None
        elif any(word in line for word in _MARKER_WORDS):
            raise MarkerError(f"{where}: line looks like a marker but is not exactly one: {stripped!r}")
    if open_at is not None:
        raise MarkerError(f"{filename}:{open_at + 1}: begin marker never closed")

    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as exc:
        raise MarkerError(f"{filename}: not valid Python ({exc.msg}, line {exc.lineno})") from exc
    statements = [node for node in ast.walk(tree) if isinstance(node, ast.stmt)]
    result = []
    seen: dict[int, int] = {}  # def line -> begin index of its block
    for begin, end in blocks:
        function = _enclosing_function(tree, begin + 1)
        # 1-based: the block's code lies strictly between lines begin + 1 and end + 1.
        leaks = function is None or any(
            begin + 1 < node.lineno < end + 1
            and not function.lineno <= node.lineno <= node.end_lineno <= function.end_lineno
            for node in statements
        )
        if leaks or len(_indent(lines[begin])) <= len(_indent(lines[function.lineno - 1])):
            raise MarkerError(f"{filename}:{begin + 1}: marked block is not inside one function body")
        if function.lineno in seen:
            raise MarkerError(
                f"{filename}:{begin + 1}: {function.name}() already has a marked block "
                f"(line {seen[function.lineno] + 1})"
            )
        seen[function.lineno] = begin
        result.append((function.name, begin, end))
    return result


def _split_lines(source: str) -> list[str]:
    """Lines with their endings, split on "\n" only, as Python numbers them
    (str.splitlines would also split on form feeds and other separators)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", source)


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def make_stub_source(solution_source: str, filename: str = "<source>") -> str:
    """Return the stub of a solution module: each marked block's content becomes
    one ``raise NotImplementedError(...)`` naming its function; marker lines,
    indentation and everything outside the markers are kept as they are.

    ``filename`` only serves error messages and, when it is a path, prefixes the
    function named in the message with the module (``sgd.train``). Raises
    MarkerError on malformed markers or when there is no marked block."""
    blocks = find_marked_blocks(solution_source, filename)
    module = None if filename.startswith("<") else Path(filename).stem
    if not blocks:
        raise MarkerError(f"{filename}: no marked block; refusing to copy a solution verbatim")
    lines = _split_lines(solution_source)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out: list[str] = []
    previous_end = -1
    for function, begin, end in blocks:
        out.extend(lines[previous_end + 1: begin + 1])
        qualified = function if module is None else f"{module}.{function}"
        out.append(_not_implemented_line(_indent(lines[begin]), qualified) + newline)
        previous_end = end - 1  # the end marker itself is copied with what follows
    out.extend(lines[previous_end + 1:])
    stub = "".join(out)
    try:
        ast.parse(stub, filename=filename)
    except SyntaxError as exc:  # e.g. a block that was the only statement of an if/for
        raise MarkerError(f"{filename}: the stub would not be valid Python ({exc.msg}, line {exc.lineno})") from exc
    return stub


def _solution_files(src_dir: Path) -> list[Path]:
    return sorted(p for p in Path(src_dir).glob("*.py") if p.is_file())


def _expected_stubs(src_dir: Path) -> dict[str, str]:
    return {
        path.name: make_stub_source(path.read_text(encoding="utf-8"), filename=str(path))
        for path in _solution_files(src_dir)
    }


def _write_atomically(path: Path, text: str) -> None:
    atomic_write_text(path, text)


def write_stubs(src_dir: Path | str = SOLUTIONS_DIR, dst_dir: Path | str = EXERCISES_DIR) -> list[str]:
    """Write the stub of every ``src_dir/*.py`` into ``dst_dir``; return the names
    of the files that changed. Each file is replaced atomically (temp file +
    os.replace). All stubs are generated before any is written, so a marker error
    in one file leaves ``dst_dir`` untouched."""
    expected = _expected_stubs(Path(src_dir))
    dst = Path(dst_dir)
    dst.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected.items():
        target = dst / name
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        _write_atomically(target, text)
        written.append(name)
    return written


def check_stubs(src_dir: Path | str = SOLUTIONS_DIR, dst_dir: Path | str = EXERCISES_DIR) -> list[str]:
    """Names of the stubs in ``dst_dir`` that are missing or differ from what
    ``write_stubs`` would produce (empty when everything is up to date)."""
    stale = []
    for name, text in _expected_stubs(Path(src_dir)).items():
        target = Path(dst_dir) / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.devtools.stubs",
        description="Regenerate exercises/ (student stubs) from solutions/.",
    )
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any stub is missing or out of date")
    parser.add_argument("--src", type=Path, default=SOLUTIONS_DIR, help="default: %(default)s")
    parser.add_argument("--dst", type=Path, default=EXERCISES_DIR, help="default: %(default)s")
    args = parser.parse_args(argv)
    try:
        if args.check:
            stale = check_stubs(args.src, args.dst)
            for name in stale:
                print(f"out of date: {args.dst / name}", file=sys.stderr)
            if stale:
                print("run: python -m grader.devtools.stubs", file=sys.stderr)
                return 1
            print("exercises/ is up to date")
            return 0
        written = write_stubs(args.src, args.dst)
    except (MarkerError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name in written:
        print(f"wrote {args.dst / name}")
    if not written:
        print("exercises/ was already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
