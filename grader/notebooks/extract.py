"""A notebook (.ipynb) -> the student's exercise modules, WITHOUT running any of it.

Which cells make up module ``<m>`` (``sgd``, ``backprop``, ...):

1. code cells tagged ``exercise:<m>`` (cell metadata ``tags``), or whose first
   line is the marker comment ``#| exercise: <m>`` or ``#| exercise: <m>/<part>``
   (the generated notebooks have both; the marker survives editors that drop
   cell metadata);
2. failing any tag or marker in the whole notebook: the cells that DEFINE the
   exercise's functions (``def sigmoid(...)``). From them, and from the other
   cells, only imports, ``def``/``class`` statements and constant assignments
   are kept: calls, prints and experiments are left out.

Each cell's text is read as data, parsed with ``ast`` and never executed here.
IPython syntax is neutralised (the line becomes ``pass  # [grader] ...``, so
indentation stays valid): line magics (``%pip``), shell lines (``!ls``,
``files = !ls``), help (``np.sum?``), ``get_ipython()`` calls, and cell magics
(``%%time`` keeps its Python body; ``%%bash`` and other non-Python cell magics
become comments entirely). Bare expressions at the top level of an exercise
cell (``sigmoid(3.0)`` written to see a value) are dropped too: they are for
the student's eyes, and would otherwise run when the module is imported.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

from grader import config
from grader.errors import GraderError
from grader.exercises import EXERCISES, closure

TAG_PREFIX = "exercise:"
MARKER = re.compile(r"^#\s*\|\s*exercise:\s*(?P<module>[A-Za-z_]\w*)(?:/(?P<part>[\w.-]+))?\s*$")
# Where the notebook helpers (setup / check_here) keep the modules they write.
MODULES_DIR = "_modules"

# Cell magics whose body is Python: only the magic line is neutralised.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "writefile",
                                "file", "python", "python3", "ipython"})
# Modules a student cell may import that must not reach the sandboxed module.
NOTEBOOK_ONLY_IMPORTS = frozenset({"grader", "IPython", "ipywidgets", "google", "matplotlib",
                                   "tqdm"})
_NOTE = "pass  # [grader] {}"
_SHELL_ASSIGN = re.compile(r"^[A-Za-z_][\w.,\s\[\]()]*=\s*[%!]")
_HELP = re.compile(r"^\?*[A-Za-z_][\w.\[\]()'\"]*\?{1,2}$|^\?+[A-Za-z_]")


@dataclass
class Cell:
    """One code cell of a notebook: its 1-based position among all cells, text, tags."""

    number: int
    source: str
    tags: tuple[str, ...]


# -- reading ---------------------------------------------------------------------------------
def read_notebook(data: bytes, name: str) -> list[Cell]:
    """The code cells of a notebook file's bytes (nbformat 4, or 3 with worksheets).

    Raises GraderError when the bytes are not JSON or not a notebook. Outputs,
    widget state and Colab metadata are ignored.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GraderError("error.notebook_not_utf8", file=name, position=exc.start) from None
    if not text.strip():
        raise GraderError("error.notebook_empty", file=name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GraderError("error.notebook_invalid_json", file=name, line=exc.lineno,
                          column=exc.colno, message=exc.msg) from None
    if not isinstance(doc, dict):
        raise GraderError("error.notebook_not_a_notebook", file=name)
    raw_cells = doc.get("cells")
    if raw_cells is None and isinstance(doc.get("worksheets"), list):   # nbformat 3
        raw_cells = [c for ws in doc["worksheets"] if isinstance(ws, dict)
                     for c in ws.get("cells", []) or []]
    if not isinstance(raw_cells, list):
        raise GraderError("error.notebook_not_a_notebook", file=name)
    cells = []
    for number, raw in enumerate(raw_cells, start=1):
        if not isinstance(raw, dict) or raw.get("cell_type") != "code":
            continue
        source = raw.get("source", raw.get("input", ""))
        if isinstance(source, list):
            if not all(isinstance(s, str) for s in source):
                raise GraderError("error.notebook_bad_cell", file=name, cell=number)
            source = "".join(source)
        if not isinstance(source, str):
            raise GraderError("error.notebook_bad_cell", file=name, cell=number)
        meta = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
        tags = meta.get("tags") if isinstance(meta.get("tags"), list) else []
        cells.append(Cell(number, source, tuple(t for t in tags if isinstance(t, str))))
    return cells


def cell_module(cell: Cell) -> str | None:
    """The exercise module a cell belongs to by its tag or marker line, else None."""
    for tag in cell.tags:
        if tag.startswith(TAG_PREFIX) and tag[len(TAG_PREFIX):].strip() in EXERCISES:
            return tag[len(TAG_PREFIX):].strip()
    match = marker_of(cell.source)
    if match and match[0] in EXERCISES:
        return match[0]
    return None


def marker_of(source: str) -> tuple[str, str] | None:
    """``(module, part)`` of a ``#| exercise: <module>/<part>`` first line, else None."""
    for line in source.splitlines():
        if line.strip():
            m = MARKER.match(line.strip())
            return (m["module"], m["part"] or "") if m else None
    return None


# -- neutralising IPython syntax -------------------------------------------------------------
def _line_starts(source: str) -> list[bool]:
    """For each line: does it start a new logical line (outside brackets, strings and
    backslash continuations)? A light scanner, enough to tell ``!ls`` from text."""
    starts, depth, quote, continued = [], 0, None, False
    for line in source.split("\n"):
        starts.append(depth == 0 and quote is None and not continued)
        i, escaped, comment = 0, False, False
        while i < len(line):
            ch = line[i]
            if quote:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif line.startswith(quote, i):
                    i += len(quote) - 1
                    quote = None
            elif ch == "#":
                comment = True
                break
            elif ch in "\"'":
                quote = ch * 3 if line.startswith(ch * 3, i) else ch
                i += len(quote) - 1
            elif ch in "([{":
                depth += 1
            elif ch in ")]}":
                depth = max(0, depth - 1)
            i += 1
        if quote is not None and len(quote) == 1:
            quote = None            # an unterminated one-line string: a syntax error anyway
        continued = quote is None and not comment and line.rstrip().endswith("\\")
    return starts


def _is_ipython_line(stripped: str) -> bool:
    return bool(stripped) and (
        stripped[0] in "%!" or stripped.startswith("get_ipython()")
        or _SHELL_ASSIGN.match(stripped) is not None or _HELP.match(stripped) is not None)


def neutralise(source: str) -> str:
    """``source`` with every IPython-only line made inert (see the module docstring)."""
    lines = source.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split(maxsplit=1)
        name = magic[0] if magic else ""
        if name not in PYTHON_CELL_MAGICS:
            return "\n".join(f"# [grader] {line}" if line.strip() else line for line in lines)
        lines[first] = _NOTE.format(lines[first].strip())
        source = "\n".join(lines)
    # No valid Python line starts with % or ! or ends with ?, so this pass leaves
    # Python alone (continuation lines and strings are told apart by _line_starts).
    lines = source.split("\n")
    for i, (line, start) in enumerate(zip(lines, _line_starts(source))):
        stripped = line.strip()
        if start and _is_ipython_line(stripped):
            indent = line[: len(line) - len(line.lstrip())]
            lines[i] = indent + _NOTE.format(stripped)
    return "\n".join(lines)


def _drop_top_level_expressions(source: str) -> str:
    """Remove top-level bare expressions (not docstrings) that sit on lines of their own."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return source                       # reported to the student by the sandbox
    lines = source.split("\n")
    owner: dict[int, int] = {}
    for index, node in enumerate(tree.body):
        for n in range(node.lineno, (node.end_lineno or node.lineno) + 1):
            owner[n] = owner.get(n, index) if n not in owner else -1
    drop = set()
    for index, node in enumerate(tree.body):
        if not isinstance(node, ast.Expr) or isinstance(node.value, ast.Constant):
            continue
        span = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        if all(owner.get(n) == index for n in span):
            drop.update(span)
    return "\n".join(line for n, line in enumerate(lines, start=1) if n not in drop)


# -- assembling modules ----------------------------------------------------------------------
def _header(name: str, cell: Cell) -> str:
    return f"# --- {name}, celda / cell {cell.number} ---"


def _tagged_modules(cells: list[Cell], name: str) -> dict[str, str]:
    parts: dict[str, list[str]] = {}
    for cell in cells:
        module = cell_module(cell)
        if module is None:
            continue
        code = _drop_top_level_expressions(neutralise(cell.source))
        parts.setdefault(module, []).append(_header(name, cell) + "\n" + code.rstrip() + "\n")
    return {m: "\n\n".join(texts) for m, texts in parts.items()}


def _api_functions() -> dict[str, set[str]]:
    """Function name -> the modules whose API has it (``train`` is in two)."""
    owners: dict[str, set[str]] = {}
    for ex in EXERCISES.values():
        for func in ex.functions + ex.given:
            owners.setdefault(func, set()).add(ex.name)
    return owners


def _kept_statements(source: str) -> list[ast.stmt] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    kept = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            kept.append(node)
        elif isinstance(node, ast.Import):
            if all(a.name.split(".")[0] not in NOTEBOOK_ONLY_IMPORTS for a in node.names):
                kept.append(node)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and (node.module or "").split(".")[0] not in NOTEBOOK_ONLY_IMPORTS:
                kept.append(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            try:
                ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            kept.append(node)
    return kept


def _defined_modules(statements) -> set[str]:
    """The exercise modules whose student functions the notebook defines (no tags case).

    A name that two exercises share (``train``) decides nothing by itself.
    """
    owners: dict[str, set[str]] = {}
    for ex in EXERCISES.values():
        for func in ex.functions:
            owners.setdefault(func, set()).add(ex.name)
    defined = {n.name for stmts in statements for n in stmts
               if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return {next(iter(owners[f])) for f in defined if len(owners.get(f, ())) == 1}


def _untagged_modules(cells: list[Cell], name: str) -> dict[str, str]:
    owners = _api_functions()
    cells_stmts = []
    for cell in cells:
        source = neutralise(cell.source)
        stmts = _kept_statements(source)
        if stmts:
            cells_stmts.append((cell, source, stmts))
    modules = _defined_modules(s for _, _, s in cells_stmts)
    out = {}
    for module in sorted(modules):
        chunks = []
        for cell, source, stmts in cells_stmts:
            lines = source.split("\n")
            keep = []
            for node in stmts:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    mods = owners.get(node.name)
                    if mods and module not in mods:
                        continue            # another exercise's function
                first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                keep.append("\n".join(lines[first - 1: node.end_lineno]))
            if keep:
                chunks.append(_header(name, cell) + "\n" + "\n\n".join(keep) + "\n")
        out[module] = "\n\n".join(chunks)
    return out


def modules_from_cells(cells: list[Cell], name: str = "notebook.ipynb") -> dict[str, bytes]:
    """``{"sgd.py": source}`` for every exercise module the cells hold (see module docs)."""
    tagged = any(cell_module(c) for c in cells)
    texts = _tagged_modules(cells, name) if tagged else _untagged_modules(cells, name)
    return {f"{m}.py": text.encode("utf-8") for m, text in texts.items() if text.strip()}


def modules_from_notebook_bytes(data: bytes, name: str = "notebook.ipynb") -> dict[str, bytes]:
    """The exercise modules of a notebook given as bytes (e.g. a member of a zip)."""
    return modules_from_cells(read_notebook(data, name), name)


def modules_from_notebook(path: Path | str) -> dict[str, bytes]:
    """The exercise modules of a notebook file: ``{"sgd.py": b"..."}`` (may be empty).

    Raises GraderError when the file cannot be read, is not JSON or is not a notebook.
    """
    path = Path(path)
    if not path.exists():
        raise GraderError("error.path_not_found", path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GraderError("error.unreadable_file", file=str(path),
                          reason=exc.strerror or str(exc)) from None
    return modules_from_notebook_bytes(data, path.name)


# -- notebooks as a source of exercise files -------------------------------------------------
def is_notebook(path: Path | str) -> bool:
    return str(path).lower().endswith(".ipynb")


@dataclass
class Notice:
    """A warning for the student (a catalog key and its parameters), shown in their language."""

    key: str
    params: dict
    error: GraderError | None = None     # rendered as {message} in the same language

    def message(self, lang: str) -> str:
        from grader.i18n import t

        extra = {"message": self.error.message(lang)} if self.error is not None else {}
        return t(self.key, lang, **self.params, **extra)


def _functions_ast(source: bytes | str) -> dict[str, str] | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return None
    return {n.name: ast.dump(n) for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def is_untouched_stub(module: str, source: bytes) -> bool:
    """Whether a module's functions are exactly the unsolved stub's (comments aside)."""
    stub = stub_source(module)
    if stub is None:
        return False
    mine, theirs = _functions_ast(source), _functions_ast(stub)
    return mine is not None and mine == theirs


def choose_notebook(module: str, candidates: dict[Path, bytes]) -> Path:
    """The one notebook to take ``module`` from, when several hold it.

    The rule (the same for ``grader check``, ``grader submit`` and a notebook's
    setup): a notebook with the student's work (not the untouched stub) before
    one without; then the most recently saved; then the shorter name
    (``activations.ipynb`` before ``activations (1).ipynb``).
    """
    def key(path):
        try:
            mtime = path.stat().st_mtime
        except OSError:
            mtime = 0.0
        return (is_untouched_stub(module, candidates[path]), -mtime, len(path.name), path.name)

    return min(candidates, key=key)


def pick_modules(paths, notices: list | None = None) -> dict[str, tuple[Path, bytes]]:
    """``{"sgd.py": (notebook, module source)}``: for each module the notebooks hold,
    the notebook ``choose_notebook`` picks; a Notice names it when there was a choice."""
    held: dict[str, dict[Path, bytes]] = {}
    for path in paths:
        for filename, data in modules_from_notebook(path).items():
            held.setdefault(filename, {})[Path(path)] = data
    chosen = {}
    for filename, candidates in held.items():
        module = filename[:-3]
        best = choose_notebook(module, candidates)
        chosen[filename] = (best, candidates[best])
        if len(candidates) > 1 and notices is not None:
            notices.append(Notice("notice.duplicate_notebooks", {
                "module": module, "used": best.name,
                "others": ", ".join(p.name for p in candidates if p != best)}))
    return chosen


def files_from_notebooks(notebooks, *, skip_empty: bool = False, notices: list | None = None
                         ) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The files to check for some notebooks, and the exercises they hold.

    When several notebooks hold the same module (``activations (1).ipynb`` beside
    ``activations.ipynb``), one is taken by ``choose_notebook``'s rule and a
    Notice naming it is appended to ``notices``. Modules the notebooks'
    exercises import but do not hold (``sgd`` imports ``backprop``) come from
    next to the first notebook: a notebook holding it (by the same rule), else
    ``_modules/<dep>.py`` (written by a notebook's check cell), else ``<dep>.py``.
    Returns ``(files, exercises)``; raises GraderError when a notebook holds no
    exercise cell (unless ``skip_empty``) or a needed module is nowhere to be found.
    """
    paths = [Path(p) for p in notebooks]
    for path in paths:
        if not skip_empty and not modules_from_notebook(path):
            raise GraderError("error.notebook_no_exercise_cells", file=str(path),
                              tag=f"{TAG_PREFIX}<{'|'.join(EXERCISES)}>")
    files = {filename: data for filename, (_, data) in pick_modules(paths, notices).items()}
    exercises = tuple(n for n in EXERCISES if EXERCISES[n].filename in files)
    if not paths or not files:
        return files, exercises
    folder = paths[0].parent
    missing = []
    for dep in dict.fromkeys(d for ex in exercises for d in closure(ex)):
        filename = EXERCISES[dep].filename
        if filename in files:
            continue
        data = _dependency(folder, dep, notices)
        if data is None:
            missing.append(dep)
        else:
            files[filename] = data
    if missing:
        raise GraderError("error.notebook_missing_dependency", file=str(paths[0]),
                          exercises=", ".join(exercises), missing=", ".join(missing),
                          folder=str(folder))
    return files, exercises


def notebook_for_module(folder: Path, module: str, notices: list | None = None
                        ) -> tuple[Path, bytes] | None:
    """The notebook of ``folder`` to take ``module`` from (``choose_notebook``), or None."""
    candidates = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        try:
            data = modules_from_notebook(path).get(EXERCISES[module].filename)
        except GraderError as exc:
            if notices is not None and path.stem.startswith(module):
                notices.append(Notice("notice.unreadable_notebook", {"file": path.name}, exc))
            continue
        if data:
            candidates[path] = data
    if not candidates:
        return None
    found = pick_modules(list(candidates), notices)
    return found.get(EXERCISES[module].filename)


def _dependency(folder: Path, dep: str, notices: list | None = None) -> bytes | None:
    found = notebook_for_module(folder, dep, notices)
    if found is not None:
        return found[1]
    for candidate in (folder / MODULES_DIR / EXERCISES[dep].filename,
                      folder / EXERCISES[dep].filename):
        if candidate.is_file():
            return candidate.read_bytes()
    return None


def stub_source(module: str) -> bytes | None:
    """The untouched stub of an exercise module, when this installation has one."""
    for folder in (Path(__file__).parent / "stubs", config.EXERCISES_DIR):
        path = folder / f"{module}.py"
        if path.is_file():
            return path.read_bytes()
    return None
