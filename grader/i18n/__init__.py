"""Student-facing text in Spanish and English.

Every message lives in a TOML file: the grader's in this folder
(``messages.toml``, ``grading.toml``, ...), an exercise's in its unit
(``tests/checks/<exercise>/texts.toml``: the feedback of its checks and the
text of its named mistakes; its title, from exercise.toml, becomes
``notebook.exercise_title.<exercise>``): one table per key, one string per
language, plain files a translator can edit without reading Python. Code
asks for text with ``t(key, lang, **params)``; a test fails when a key lacks a
language or when code uses a key the catalog does not have.
"""

from __future__ import annotations

import locale
import os
import tomllib
from functools import lru_cache
from pathlib import Path

from grader import config

CATALOG_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """The flattened catalog: ``{"check.passed": {"es": ..., "en": ...}}``."""
    flat: dict[str, dict[str, str]] = {}

    def walk(prefix, table):
        if any(lang in table and isinstance(table[lang], str) for lang in config.LANGUAGES):
            flat[prefix] = {k: v for k, v in table.items() if isinstance(v, str)}
        for key, value in table.items():
            if isinstance(value, dict):
                walk(f"{prefix}.{key}" if prefix else key, value)

    for path in catalog_files():
        with path.open("rb") as fh:
            walk("", tomllib.load(fh))
    from grader.exercises import EXERCISES

    for ex in EXERCISES.values():
        flat.setdefault(f"notebook.exercise_title.{ex.name}", dict(ex.title))
    return flat


def catalog_files() -> list[Path]:
    """The grader's catalogs (grader/i18n/*.toml), then every unit's texts.toml."""
    from grader.exercises import TEXTS_FILE

    return (sorted(CATALOG_DIR.glob("*.toml"))
            + sorted(Path(config.CHECKS_DIR).glob(f"*/{TEXTS_FILE}")))


def resolve_lang(lang: str | None = None) -> str:
    """--lang, else $GRADER_LANG, else the locale; Spanish when undecided."""
    for candidate in (lang, os.environ.get(config.LANG_ENV_VAR)):
        if candidate:
            code = candidate.strip().lower()[:2]
            if code in config.LANGUAGES:
                return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "").strip()
        if not value:
            continue
        code = value.lower()[:2]
        # The first locale variable set decides; "C"/"POSIX" (or another language) say
        # nothing about Spanish or English, so the default applies.
        return code if code in config.LANGUAGES else config.DEFAULT_LANGUAGE
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    code = loc.lower()[:2]
    return code if code in config.LANGUAGES else config.DEFAULT_LANGUAGE


def t(key: str, lang: str, **params) -> str:
    """The message ``key`` in ``lang``, formatted with ``params``."""
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"message {key!r} is not in the catalog")
    text = entry.get(lang) or entry.get(config.DEFAULT_LANGUAGE) or next(iter(entry.values()))
    return text.format(**params) if params else text


def both(key: str, **params) -> dict[str, str]:
    """The message in every language, e.g. to store in a report."""
    return {lang: t(key, lang, **params) for lang in config.LANGUAGES}
