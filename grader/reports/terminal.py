"""Text for a terminal: nothing a student wrote can move the cursor, recolour or retitle it."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (incl. the 8-bit CSI \x9b), and the
# Unicode bidirectional overrides that reorder what a reader sees
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character (ANSI escapes included) made visible as '?'."""
    return _CONTROL.sub("?", str(text))


# ``<`` that could open an HTML tag, comment or processing instruction (``<img``, ``</a``,
# ``<!--``, ``<?``) or an autolink (``<_a@example.org>``: an e-mail autolink may start with
# a digit or any of ``.#$%&'*+=^_`{|}~-``); ``0 < 1`` is left as it is.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z0-9/!?.#$%&'*+=^_`{|}~-])")
# Markdown's inline syntax: links and images, autolinks, emphasis, code spans, strikethrough,
# table cells, entities, escapes (markdown_text)
_MD_INLINE = re.compile(r"([\\`*_\[\]()!<>|~&#])")


def markdown_text(value) -> str:
    """``value`` (a name, a path, an exception's message: what a student controls) as
    literal text in Markdown prose: its inline syntax backslash-escaped, as CommonMark
    allows for any ASCII punctuation. A zip member named ``![p](https://...)`` or
    ``[regrade](javascript:...)`` in a reason, or an exception message ``**100 / 100**``,
    rendered as an image that loads a URL of the student's choosing, a link or bold text
    in summary.md and feedback.md (rev5h F1). Newlines never reach prose (names and
    messages are flattened), so no block syntax can start."""
    return _MD_INLINE.sub(r"\\\1", str(value))


def markdown_safe(text: str) -> str:
    """``text`` for a Markdown file: no control characters (``terminal_safe``), and no raw
    HTML, which Markdown viewers would render (a student folder named
    ``<img src=x onerror=...>`` must show as text).

    A ``<`` that could open a tag is followed by a zero-width space: no tag can start
    there (CommonMark's raw HTML needs a letter, ``/``, ``!`` or ``?`` right after it), and
    it reads as ``<`` everywhere. ``&lt;`` did too in prose, but inside the reports' code
    blocks, which show entities as they are written, ``in <module>`` or ``<class 'list'>``
    read ``in &lt;module>``."""
    return _TAG_OPEN.sub("<\u200b", terminal_safe(text))


_BACKTICKS = re.compile("`+")


def code_block(text: str, info: str = "text", indent: str = "") -> list[str]:
    """``text`` verbatim as the lines of a fenced Markdown code block, each ``indent``-ed.

    The fence is longer than the longest run of backticks in ``text`` (CommonMark: a block
    closes only at a fence at least as long as the one that opened it), so nothing a
    student wrote (```` ``` ```` followed by ``## a heading``) can end the block early.
    """
    text = str(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return ([f"{indent}{fence}{info}"] + [f"{indent}{line}" for line in text.splitlines()]
            + [f"{indent}{fence}"])
