"""What every detector is given, and the small text helpers they share."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pspn_core.notes.anonymiser.model import Finding

if TYPE_CHECKING:
    from pspn_core.notes.anonymiser.patterns import Excerpt
    from pspn_core.notes.anonymiser.roster import CompiledRoster

__all__ = [
    "DetectionContext",
    "Detector",
    "is_sentence_start",
    "normalise",
]

# Characters that separate words for matching; letters, digits and the
# characters that occur inside names and handles (' - . _ &) are kept.
_SEPARATORS = str.maketrans({c: " " for c in ',;:!?()[]{}<>"“”/\\|*+=#~^`\t\n\r\f\v@«»…–—'})
_SEPARATORS[ord("’")] = "'"


def normalise(text: str) -> str:
    """Lower-case ``text`` and blank out separators, keeping every offset unchanged."""
    low = text.lower()
    if len(low) != len(text):  # a few characters (e.g. "İ") lower-case to two
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low.translate(_SEPARATORS)


_SENTENCE_START = re.compile(r"(?:^|[.!?][ \t]+)[ \t\-*•]*([A-Za-z])", re.MULTILINE)
_SKIPPABLE = " \t\"'“‘(*•-–—#_"


def is_sentence_start(text: str, start: int) -> bool:
    """Whether the token at ``start`` opens a sentence, line, bullet or header field."""
    i = start - 1
    while i >= 0 and text[i] in _SKIPPABLE:
        i -= 1
    if i < 0:
        return True
    ch = text[i]
    if ch in "\n.!?:;]>|":
        return True
    # numbered list items such as "1." or "2)"
    return ch == ")" and i > 0 and text[i - 1].isdigit()


@dataclass
class DetectionContext:
    """Everything a detector may look at besides the text.

    :param roster: the compiled roster of the network (may be empty).
    :param format: the detected or requested format (``text``, ``vtt``,
        ``teams-chat`` or ``email``).
    """

    text: str
    roster: CompiledRoster
    format: str

    @cached_property
    def lowercase_style(self) -> bool:
        """Whether the note is written mostly in lower case (names may be too)."""
        starts: list[str] = _SENTENCE_START.findall(self.text[:20000])
        if len(starts) < 3:
            return False
        return sum(s.islower() for s in starts) >= 0.4 * len(starts)

    @cached_property
    def lower(self) -> str:
        """The text in lower case, offsets unchanged (for case-insensitive patterns)."""
        low = self.text.lower()
        if len(low) != len(self.text):
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.text)
        return low

    @cached_property
    def kept(self) -> list[tuple[int, int]]:
        """Spans of national bodies and policies that the guideline keeps."""
        from pspn_core.notes.anonymiser.lexicon import national_spans

        return national_spans(self.text, self.normalised)

    @cached_property
    def digit_lines(self) -> Excerpt:
        """The lines of the text that hold a digit (all of it for a short note)."""
        from pspn_core.notes.anonymiser.patterns import Excerpt

        return Excerpt.of(self.text, self.lower)

    @cached_property
    def normalised(self) -> str:
        """:func:`normalise` of the text, computed once for all detectors."""
        return normalise(self.text)


@runtime_checkable
class Detector(Protocol):
    """Finds spans of one or more labels. Must not raise on any text."""

    name: str

    def detect(self, text: str, context: DetectionContext) -> Iterable[Finding]:
        """Yield candidate findings; they may overlap, the pipeline merges them."""
        ...
