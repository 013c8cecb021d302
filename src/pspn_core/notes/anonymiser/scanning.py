"""Whole-text scans that stay fast on long notes.

A one-hour transcript is a megabyte of text, and every pattern that scans all
of it costs milliseconds. Python's regex engine scans fastest when a pattern
starts with a literal or a set of characters: it can then jump from one
possible first character to the next. A pattern that starts with ``\\b``,
``^`` or a look-behind is instead tried at every position, five or more times
slower. The helpers here let a pattern keep its meaning without that cost:

* :func:`word_matches` checks the start-of-word boundary after the match;
* :class:`LinePattern` finds line starts by their newline character.

Inside a pattern, a look-behind can also come after the first character it
guards: ``[A-Z](?<!\\w[A-Z])`` is "a capital that does not follow a letter".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["LinePattern", "word_matches"]


def word_matches(
    pattern: re.Pattern[str], text: str, *, joiners: str = ""
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, keeping only matches that start a word.

    This is what a leading ``\\b`` (or ``(?<![\\w...])`` with ``joiners`` as the
    other characters) would do. A match inside a word ("ta" in "data") is
    skipped by one character only, so it never hides a real match after it.
    """
    pos = 0
    while m := pattern.search(text, pos):
        start = m.start()
        before = text[start - 1] if start else " "
        if before.isalnum() or before == "_" or before in joiners:
            pos = start + 1
        else:
            yield m
            pos = max(m.end(), start + 1)


class LinePattern:
    """A pattern anchored at the start of a line, like ``^body`` with ``re.MULTILINE``.

    ``finditer`` finds the same matches with the same groups; only ``start()``
    of a match after the first line includes the newline before it.
    """

    def __init__(self, body: str, flags: int = 0) -> None:
        self.pattern = body
        self._first_line = re.compile(body, flags | re.MULTILINE)
        self._next_lines = re.compile(r"\n(?:" + body + ")", flags | re.MULTILINE)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """The matches in ``text``, in order, each at the start of a line."""
        first = self._first_line.match(text)
        if first is not None:
            yield first
        yield from self._next_lines.finditer(text, first.end() if first else 0)
