"""Errors a person can cause (bad path, broken archive, ...), with bilingual text.

The CLI turns a GraderError into ``Error: <message>`` and exit code 1; the
Python API lets it propagate so a notebook shows one clear line.
"""

from __future__ import annotations

from grader.i18n import resolve_lang, t


class GraderError(Exception):
    """A user error. ``key`` names a message of the i18n catalog."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(self.message(resolve_lang()))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)
