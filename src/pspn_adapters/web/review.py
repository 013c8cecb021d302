"""The anonymised draft cut into plain text and redactions, for highlighting.

The stored text is the raw text with each finding that is not restored
replaced, so each finding's place in it follows from the findings alone: the
raw text is never needed to show the draft.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pspn_core.notes.model import StoredFinding

__all__ = ["Segment", "segments"]


@dataclass(frozen=True)
class Segment:
    text: str
    finding: int | None = None
    """The finding's number (from 1) when this piece is a redaction or a restored one."""
    restored: bool = False


def segments(text: str, findings: Sequence[StoredFinding]) -> list[Segment] | None:
    """``text`` as plain pieces and numbered findings; ``None`` if they do not line up."""
    pieces: list[Segment] = []
    shift = 0
    position = 0
    ordered = sorted(enumerate(findings, start=1), key=lambda pair: pair[1].start)
    for number, finding in ordered:
        start = finding.start - shift
        if finding.restored:
            width = finding.end - finding.start
        else:
            width = len(finding.replacement)
            shift += (finding.end - finding.start) - width
        if start < position or start + width > len(text):
            return None
        if not finding.restored and text[start : start + width] != finding.replacement:
            return None
        if start > position:
            pieces.append(Segment(text[position:start]))
        pieces.append(Segment(text[start : start + width], number, finding.restored))
        position = start + width
    if position < len(text):
        pieces.append(Segment(text[position:]))
    return pieces
