"""click's own messages (usage errors, ``--help``) and the commands' help in the student's language.

click marks its messages for gettext; ``grader.cli`` routes them through
``gettext_for(lang)``, which looks each one up in the ``clickmsg.*`` keys of the
catalog (their ``en`` text is click's message id). This module does not import
click: ``cli.py`` stays the only one that does.
"""

from __future__ import annotations

from functools import lru_cache

from grader.i18n import catalog


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    return {entry["en"]: entry.get(lang, entry["en"]) for key, entry in catalog().items()
            if key.startswith("clickmsg.") and "en" in entry}


def gettext_for(lang: str):
    """``(gettext, ngettext)`` functions translating click's messages into ``lang``."""
    table = _table(lang)

    def gettext(message: str) -> str:
        return table.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return gettext, ngettext


def help_text(command: str, lang: str) -> str | None:
    """The help of a command (``"group"`` for ``grader`` itself) in ``lang``, if translated."""
    entry = catalog().get(f"cli.help.{command}")
    return entry.get(lang) if entry else None


def option_help(command: str, param: str, lang: str) -> str | None:
    """The help of one option of a command in ``lang`` (``lang`` is common to all), if any."""
    entry = catalog().get(f"cli.help.option.{command}.{param}") or catalog().get(
        f"cli.help.option.{param}")
    return entry.get(lang) if entry else None
