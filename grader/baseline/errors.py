"""Errors of the Keras baseline, each with a message in every language of the grader.

The texts live in the i18n catalog (grader/i18n/keras.toml, keys ``baseline.*``).
"""

from __future__ import annotations

from grader import config
from grader.i18n import t


class BaselineError(Exception):
    """A problem a person can fix (device, backend, install), told in their language.

    ``key`` is a catalog key (``"baseline.no_gpu"``) and ``params`` fill its placeholders.
    ``message(lang)`` gives the text in ``lang``; ``str(error)`` uses the
    language the error was raised with (default: ``config.DEFAULT_LANGUAGE``).
    """

    def __init__(self, key: str, lang: str | None = None, **params):
        self.key, self.params = key, params
        self.lang = lang if lang in config.LANGUAGES else config.DEFAULT_LANGUAGE
        super().__init__(self.message(self.lang))

    def message(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


class DeviceUnavailableError(BaselineError):
    """``device="gpu"`` was asked for and the backend sees no GPU (never a silent fallback)."""
