"""The text as detectors read it: compatibility forms folded, invisible characters dropped.

A name written with a soft hyphen (``Love\\u00adlock``), a zero-width space or
joiner, or in full-width letters (``Ａｄａ``) reads the same to a person but
matches no pattern. Detectors therefore run on a folded copy (each character
in NFKC form, the invisible ones removed), and :class:`Folded` maps their
offsets back to the original, so that the original is what gets redacted.

Plain ASCII text, and text that is NFKC already with nothing invisible in it,
is its own folded copy: no copy and no mapping, so throughput holds.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

__all__ = ["INVISIBLE", "Folded", "fold"]

# soft hyphen, zero-width space, non-joiner and joiner, word joiner, byte-order mark
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True)
class Folded:
    """A folded text and where its changed characters came from.

    ``changes`` holds, for each original character that folding changed, in
    order: its position in the folded text, its position in the original, and
    how many folded characters replace it (0 for a removed one).
    """

    text: str
    changes: tuple[tuple[int, int, int], ...] = ()

    def start(self, pos: int) -> int:
        """The original position of the character at folded position ``pos``."""
        if not self.changes:
            return pos
        i = bisect_right(self.changes, (pos, 1 << 62, 0)) - 1
        if i < 0:
            return pos
        at, origin, width = self.changes[i]  # the last change at or before ``pos``
        if pos < at + width:
            return origin  # inside the expansion of one character ("…" to "...")
        return origin + 1 + (pos - at - width)

    def end(self, pos: int) -> int:
        """The original position just after the character before folded position ``pos``."""
        return 0 if pos <= 0 else self.start(pos - 1) + 1


def fold(text: str) -> Folded:
    """The text in NFKC form, character by character, without invisible characters."""
    if text.isascii() or (not _INVISIBLE.search(text) and unicodedata.is_normalized("NFKC", text)):
        return Folded(text)
    pieces: list[str] = []
    changes: list[tuple[int, int, int]] = []
    last = folded_len = 0
    for m in _NON_ASCII.finditer(text):
        ch, i = m.group(), m.start()
        new = "" if ch in INVISIBLE else unicodedata.normalize("NFKC", ch)
        if new == ch:
            continue
        pieces.append(text[last:i])
        folded_len += i - last
        changes.append((folded_len, i, len(new)))
        pieces.append(new)
        folded_len += len(new)
        last = i + 1
    if not changes:
        return Folded(text)  # only combining sequences, which are kept as written
    pieces.append(text[last:])
    return Folded("".join(pieces), tuple(changes))
