"""Addresses without a house number: flats, house names, building + road + town lines.

:mod:`.patterns` finds "41 Albert Road, Caversham". Letters and signatures
also give addresses without a number, and those place a person as surely:

* "Flat 3, Elm Court", "Apartment 12, The Maltings, Quay Street",
  "Seminar Room 2, Marlstone Centre";
* "Rose Cottage, Mill Lane, Thornbury" and "Hartwell House, Ormond Road";
* a line of comma-separated capitalised parts, one of them a road
  ("Education Centre, Kingsway Building, Manor Road, Newtown");
* a signature's address block: the short lines just above a postcode.

A run of parts is an address when it holds a road, or a building name
followed by more parts; the postcode stays a span of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import words
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import LinePattern

__all__ = ["AddressDetector"]

_ROADS = words(
    "Road Rd Street St Lane Avenue Ave Drive Close Way Crescent Place Terrace Gardens Grove "
    "Square Mews Rise Parade Walk Row Hill Green Boulevard Quay Wharf Broadway Circus Gate"
)
_BUILDINGS = words(
    "Court Cottage Cottages House Lodge Farm Barn Villa Manor Hall Croft Bungalow Grange Mill "
    "Mansions Building Buildings Centre Tower Works Maltings Chambers Yard Estate Park "
    "Forge Granary Rectory Vicarage Stables Annexe Chapel Studios Oast Schoolhouse Smithy"
)
# a flat or room with its number: "Flat 3", "Seminar Room 2" (a floor, "Level 2", is left
# out, as the shared guideline leaves it)
_UNIT_WORD = r"(?:Flat|Apartment|Apt|Unit|Suite|Room)\.?[ \t]+\d+[A-Za-z]?"
_UNIT = r"(?:[A-Z][a-z]+[ \t]+)?" + _UNIT_WORD
# a line with a road or building word before a comma or at its end
# (two patterns: joined into one alternation, they scan 30 times slower)
_CANDIDATES = (
    re.compile(r"(?:" + "|".join(sorted(_ROADS | _BUILDINGS)) + r")(?=[ \t]*+(?:[,\n]|\Z))"),
    re.compile(_UNIT_WORD + ","),  # (led by the literal words: a scan of the whole text)
)
_PART = re.compile(
    _UNIT + r"|(?:(?:Flat|Apartment|Apt|Unit|Suite)\.?[ \t]+\d+[A-Za-z]?,?[ \t]+)?"
    r"(?:\d{1,4}[A-Za-z]?[ \t]+)?(?:The[ \t]+)?"
    r"[A-Z][\w'’.-]*(?:[ \t]+(?:upon|on|the|de|le|in|under|[A-Z][\w'’.-]*)){0,5}"
)
_TAIL = re.compile(
    _UNIT + r"[ \t]*$"
    r"|(?:(?:Flat|Unit|Apartment)[ \t]+\d+[A-Za-z]?[ \t]+)?(?:The[ \t]+)?"
    r"(?:[A-Z][\w'’-]*+[ \t]*+)+$"
)
_HEAD = re.compile(
    r"(?:The[ \t]+)?[A-Z][a-z][\w'’-]*+(?:[ \t]+[A-Z][a-z][\w'’-]*+)*"
    r"(?=[ \t]+[a-z]|[.;!?]|$|[ \t]+[A-Z]{1,2}\d)"  # then words, a full stop or a postcode
)
_TRAILING_POSTCODE = re.compile(r"[ \t]*[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}$")
_FLAT = re.compile(_UNIT + r"\b")
_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}")
_POSTCODE_LINE = LinePattern(r"[ \t]*+([A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})[ \t]*+$")
_BLOCK_LINE = re.compile(r"[ \t]*+([A-Z][\w'’.-]*(?:[ \t]+[A-Za-z][\w'’.-]*){0,4}),?[ \t]*+")


def _is_part(part: str) -> bool:
    return bool(_PART.fullmatch(part.strip())) and len(part.split()) <= 7


def _kind(part: str) -> str:
    last = part.strip().split()[-1] if part.strip() else ""
    if _FLAT.match(part.strip()):
        return "building"
    return "road" if last in _ROADS else "building" if last in _BUILDINGS else "other"


class AddressDetector:
    """Addresses that have no house number."""

    name = "addresses"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        lines = set()
        for pattern in _CANDIDATES:
            for m in pattern.finditer(text):
                lines.add(text.rfind("\n", 0, m.start()) + 1)
        for line_start in sorted(lines):
            line_end = text.find("\n", line_start)
            yield from self._line(text, line_start, len(text) if line_end < 0 else line_end)
        for m in _POSTCODE_LINE.finditer(text):
            yield from self._block(text, m.start(1))

    def _line(self, text: str, start: int, end: int) -> Iterator[Finding]:
        """The longest run of address parts on one line that holds a road or building."""
        parts: list[tuple[int, int, str]] = []
        pos = start
        for piece in text[start:end].split(","):
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            at = pos + lead
            pos += len(piece) + 1
            postcode = _TRAILING_POSTCODE.search(body)
            cut = postcode is not None and postcode.start() > 0
            if postcode is not None and cut:  # "Southampton SO16 6YD": the postcode is its own
                body = body[: postcode.start()].rstrip()
                piece = piece[: lead + len(body)]
            if _POSTCODE.fullmatch(body):
                parts.append((at, at + len(body), "postcode"))
            elif body and _is_part(body):
                parts.append((at, at + len(body), _kind(body)))
            else:  # a sentence around the address: "...at Elm House", "Mill Lane from 10"
                tail, head = _TAIL.search(piece), _HEAD.match(body)
                if head and parts and parts[-1][2] not in ("gap", "postcode"):
                    parts.append((at, at + len(head.group().rstrip()), _kind(head.group())))
                parts.append((at, at, "gap"))
                if tail and _kind(tail.group()) != "other":
                    parts.append((at - lead + tail.start(), at + len(body), _kind(tail.group())))
            if cut:
                parts.append((at, at, "gap"))
        run: list[tuple[int, int, str]] = []
        for part in [*parts, (end, end, "gap")]:
            if part[2] in ("gap", "postcode"):
                yield from self._run(run)
                run = []
            else:
                run.append(part)

    def _run(self, run: list[tuple[int, int, str]]) -> Iterator[Finding]:
        kinds = [k for _, _, k in run]
        if len(run) >= 2 and ("road" in kinds or kinds[0] == "building"):
            confidence = 0.85 if "road" in kinds else 0.7
            yield Finding(run[0][0], run[-1][1], "ADDRESS", self.name, confidence)

    def _block(self, text: str, postcode: int) -> Iterator[Finding]:
        """Up to four short lines just above a postcode on a line of its own."""
        lines: list[tuple[int, int, str]] = []
        end = text.rfind("\n", 0, postcode)  # the end of the line above
        while end > 0 and len(lines) < 4:
            start = text.rfind("\n", 0, end) + 1
            m = _BLOCK_LINE.fullmatch(text, start, end)
            if m is None:
                break
            kind = _kind(m.group(1))
            if kind == "other" and len(m.group(1).split()) > 2:
                break
            lines.append((m.start(1), m.end(1), kind))
            end = start - 1
        if any(k != "other" for _, _, k in lines) or len(lines) == 1:
            for start, stop, _ in lines:
                yield Finding(start, stop, "ADDRESS", self.name, 0.65)
