"""Similar submissions: code that is identical or nearly so once names, comments and layout go.

Each student's exercise files and helper modules are parsed (never run), as one
hand-in whatever the files are called, and each function (top-level, or a method of
a class with its ``self`` left out) turned into a sequence of tokens from the AST:
node types, operators, constants and
attribute names (``np.exp`` stays ``exp``), with every local name (variables,
arguments, functions, imports' aliases) renamed in order of first use, and
docstrings dropped. Renaming ``z`` to ``x``, adding comments or reformatting
changes nothing.

Like MOSS, code everyone shares does not count: the stubs' own code (the
given scaffolding and signatures) and, in a class of 10 or more, shingles
found in more than 40 % of the submissions (the obvious ways of writing a
formula). Two submissions are compared by the Jaccard index of their
remaining k-grams ("shingles"). Pairs reported: identical after
normalization (grouped), and near-identical pairs above ``THRESHOLD``.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
from collections import Counter
from itertools import combinations

K = 8                      # tokens per shingle
THRESHOLD = 0.8            # Jaccard index from which a pair is reported
MIN_SHINGLES = 25          # less student-written code than this: too little to compare
COMMON_FRACTION = 0.4      # shingles in more submissions than this are everyone's
MAX_PAIRS = 25
MAX_SOURCE = 128 * 1024      # larger files are not compared (parsing costs ~100x the size)
_BUILTINS = set(dir(builtins))


class _Normalizer(ast.NodeVisitor):
    """``receiver``: a method's first parameter (``self``): left out, and ``self.f`` read as
    ``f``, so that a function moved into a class keeps its tokens."""

    def __init__(self, receiver: str | None = None):
        self.names: dict[str, str] = {}
        self.tokens: list[str] = []
        self.receiver = receiver

    def _name(self, name: str) -> str:
        if name in _BUILTINS:
            return name
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit(self, node):
        # Every node goes through generic_visit (there is no visit_<Node> method): called
        # directly, without NodeVisitor's lookup by name, for each of the tree's nodes.
        self.generic_visit(node)

    def generic_visit(self, node):
        kind = type(node).__name__
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
            self.tokens.append(kind)
            self.tokens.append(self._name(node.name))
        elif isinstance(node, ast.Name):
            self.tokens.append(self._name(node.id))
            return
        elif isinstance(node, ast.arg):
            if node.arg != self.receiver:
                self.tokens.append(self._name(node.arg))
            return
        elif isinstance(node, ast.alias):
            self.tokens.append(self._name(node.asname or node.name.split(".")[0]))
            return
        elif isinstance(node, ast.Attribute):
            if self.receiver and isinstance(node.value, ast.Name) \
                    and node.value.id == self.receiver:
                self.tokens.append(self._name(node.attr))
                return
            self.visit(node.value)
            self.tokens.append("." + node.attr)
            return
        elif isinstance(node, ast.Constant):
            self.tokens.append(repr(node.value)[:20])
            return
        elif isinstance(node, (ast.Load, ast.Store, ast.Del)):
            return
        else:
            self.tokens.append(kind)
        visit, AST = self.generic_visit, ast.AST       # ast.NodeVisitor.generic_visit, inlined
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        visit(item)
            elif isinstance(value, AST):
                visit(value)


# Codecs whose decoding is slow on crafted input (punycode is quadratic) or that turn escapes
# into text: a module declaring one is read as UTF-8 (Python itself refuses most of them).
_UNREAD_CODECS = frozenset({"punycode", "idna", "unicode_escape", "raw_unicode_escape"})


def source_text(source: bytes) -> str:
    """The module's text as Python reads it: its PEP 263 declaration (``# coding: utf-7``)
    honoured, so a copy re-encoded into unreadable bytes is still the same code."""
    import codecs
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        name = codecs.lookup(encoding).name
    except (SyntaxError, LookupError, ValueError):
        return source.decode("utf-8", "replace")
    if name in _UNREAD_CODECS:
        return source.decode("utf-8", "replace")
    try:
        return source.decode(encoding, "replace")
    except (LookupError, ValueError, TypeError):
        return source.decode("utf-8", "replace")


def tokens(source: bytes) -> list[str]:
    """The normalized token sequence of one module ([] when it does not parse)."""
    if len(source) > MAX_SOURCE:
        return []
    try:
        tree = ast.parse(source_text(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    norm = _Normalizer()
    try:
        norm.visit(tree)
    except RecursionError:
        return []
    return norm.tokens


def _functions(body, in_class: bool = False):
    """(function, its receiver or None) of a module body: top-level functions and the methods
    of its classes (code moved into a class is the same code)."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            static = any(isinstance(d, ast.Name) and d.id == "staticmethod"
                         for d in node.decorator_list)
            receiver = node.args.args[0].arg if in_class and node.args.args and not static \
                else None
            yield node, receiver
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, True)


_KEPT: dict[bytes, dict] = {}     # a file's digest -> its _function_shingles (a batch's files)
MAX_KEPT = 20_000


def warm_fingerprints(files: dict):
    """Compute (and keep) the shingles of one hand-in's files now, so that the class's
    comparison at the end of a batch only looks them up. Never raises."""
    try:
        for data in files.values():
            if isinstance(data, (bytes, bytearray)):
                _function_shingles(bytes(data))
    except Exception:  # noqa: BLE001 - a report section: computed again (and caught) later
        pass


def _function_shingles(source: bytes) -> dict[str, frozenset]:
    """{function name: its shingles} (a function's tokens are compared as a unit; methods
    count under their own name, with a top-level function of that name). Kept per file
    content: the same file is parsed once per process."""
    digest = hashlib.blake2b(source, digest_size=20).digest()
    kept = _KEPT.get(digest)
    if kept is None:
        kept = {name: frozenset(shingles) for name, shingles in _shingles_of(source).items()}
        if len(_KEPT) < MAX_KEPT:
            _KEPT[digest] = kept
    return dict(kept)


def _shingles_of(source: bytes) -> dict[str, set]:
    if len(source) > MAX_SOURCE:
        return {}
    try:
        tree = ast.parse(source_text(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    out: dict[str, set] = {}
    try:
        functions = list(_functions(tree.body))
    except RecursionError:
        functions = []
    for node, receiver in functions:
        norm = _Normalizer(receiver)
        try:
            norm.visit(node)
        except RecursionError:
            continue
        toks = norm.tokens
        out.setdefault(node.name, set()).update(
            hashlib.blake2b("\x1f".join(toks[i:i + K]).encode(), digest_size=8).digest()
            for i in range(max(1, len(toks) - K + 1)))
    return out


def _base(stubs: dict) -> dict[str, set]:
    """{function name: the stubs' shingles of that function} (every stub file pooled)."""
    base: dict[str, set] = {}
    for data in (stubs or {}).values():
        for func, shingles in _function_shingles(data).items():
            base.setdefault(func, set()).update(shingles)
    return base


def fingerprints(files_by_key: dict, stubs: dict | None = None) -> dict[str, set]:
    """{row key: the shingles of what the student wrote (stub code left out)}.

    A hand-in is compared as a whole: the functions of all its files (exercise files and
    helper modules) are pooled, not keyed by file name, so code moved into a helper
    (``from activations_impl import *`` in ``activations.py``) is the same code. The
    stubs' shingles are subtracted per function name, wherever the student defined it."""
    base = _base(stubs or {})
    prints = {}
    for key, files in files_by_key.items():
        shingles: set = set()
        for name in sorted(files):
            for func, funcs in _function_shingles(files[name]).items():
                shingles |= funcs - base.get(func, set())
        prints[key] = shingles
    return prints


def similar_pairs(files_by_key: dict, stubs: dict | None = None):
    """[(key a, key b, similarity 0..1, "identical" | "near")], most similar first."""
    prints = fingerprints(files_by_key, stubs)
    prints = {k: v for k, v in prints.items() if len(v) >= MIN_SHINGLES}
    if len(prints) >= 10:
        counts = Counter(s for v in prints.values() for s in v)
        common = {s for s, n in counts.items() if n > COMMON_FRACTION * len(prints)}
        prints = {k: v - common for k, v in prints.items()}
        prints = {k: v for k, v in prints.items() if len(v) >= MIN_SHINGLES}
    index: dict = {}
    for key, shingles in prints.items():
        for s in shingles:
            index.setdefault(s, []).append(key)
    shared: Counter = Counter()
    for keys in index.values():
        if len(keys) > 1:
            for a, b in combinations(sorted(keys), 2):
                shared[(a, b)] += 1
    pairs = []
    for (a, b), inter in shared.items():
        union = len(prints[a]) + len(prints[b]) - inter
        sim = inter / union if union else 0.0
        if sim >= THRESHOLD:
            kind = "identical" if prints[a] == prints[b] else "near"
            pairs.append((a, b, round(sim, 3), kind))
    pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return pairs


def identical_groups(pairs) -> list[list[str]]:
    """Connected groups of submissions identical after normalization."""
    parent: dict[str, str] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b, _, kind in pairs:
        if kind == "identical":
            parent[find(a)] = find(b)
    groups: dict[str, list] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), g))
