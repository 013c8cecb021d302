"""Contact details written to dodge filters: "07700.900.123", "jo at example dot org".

Phones come from Google's ``phonenumbers`` (``PhoneNumberMatcher`` for GB at
its most lenient), which knows every separator people use and the lengths UK
numbers have; it runs on the lines that hold a digit only, and alongside the
hand pattern in :mod:`.patterns`, so everything either finds is kept. A match
must be written the way UK numbers are (a leading ``0``, ``+`` or ``00``), so
that ten-digit NHS numbers and references stay what they are. The library is
imported on the first candidate the hand pattern does not already cover, so a
note with no such number never loads it.

E-mail addresses written with spaces, ``(at)``, `` at `` and `` dot `` are
found from each "at" marker: the domain after it must end in a known
top-level domain, and an ordinary English word before " at " only counts when
the domain is spelt with "dot" ("we met at example.org" is not an address,
"jo at example.org" is).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import lexicon
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.spoken import DIGITS

__all__ = ["ContactDetector"]

# where a UK number may be: a 0 or +44 and at least nine more digits among separators
_CANDIDATE = re.compile(r"(?:\+|\b0)(?:[ \t().\-/]{0,3}+\d){9,12}")
_PLAIN = re.compile(r"0\d{3,4}[ ]?\d{3}[ ]?\d{3,4}")
# a number partly disguised: letter O for zero ("07700 9OO 425"), or its end read out in
# words ("07700 900 (six one two)")
_DIGIT_WORD = "(?:" + "|".join(DIGITS) + ")"
_DISGUISED = re.compile(
    r"(?<![\w+])(?:\+44[ \t]?|0)\d{2,4}(?:[ \t.-]{0,2}[\dOo]{2,6}){1,3}"
    r"(?:[ \t]*+\((?:" + _DIGIT_WORD + r"[ \t,-]*+){2,6}\))?(?![\w])",
    re.IGNORECASE,
)
_UK_START = re.compile(r"[(]?(?:0|\+|00)")
_DOT = r"(?:[ \t]*+(?:\.|\(dot\)|\[dot\])[ \t]*+|[ \t]++dot[ \t]++)"
_TLD = r"(?:org|com|net|uk|nhs|gov|ac|co|io|me|info|scot|wales|eu|edu)(?![a-z0-9-])"
_DOMAIN = re.compile(r"[ \t]*+([a-z0-9-]++(?:" + _DOT + r"[a-z0-9-]++)*" + _DOT + _TLD + r")")
_LOCAL_DOT = r"(?:\.|[ \t]*+(?:\(dot\)|\[dot\])[ \t]*+|[ \t]++dot[ \t]++)"
_LOCAL = re.compile(r"[a-z0-9_+'-]++(?:" + _LOCAL_DOT + r"[a-z0-9_+'-]++)*+[ \t]*+$")
_MARKERS = (" @", "@ ", "(at)", "[at]", " at ")
_WORD_DOT = re.compile(r"dot|\(dot\)|\[dot\]")


def _digit(word: re.Match[str]) -> str:
    """A digit word as its digit, a run of letters O as zeros ("oo" is "00")."""
    value = word.group()
    return DIGITS.get(value) or ("0" * len(value) if set(value) == {"o"} else "")


class ContactDetector:
    """UK phones by ``phonenumbers``, and e-mail addresses spelt out to dodge filters."""

    name = "contacts"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        yield from self._phones(context)
        lower = context.lower
        for marker in _MARKERS:
            if marker in lower:
                yield from self._emails(lower, marker)

    def _phones(self, context: DetectionContext) -> Iterator[Finding]:
        excerpt = context.digit_lines
        text = excerpt.text
        for m in _DISGUISED.finditer(text):
            value = m.group()
            if value.isdigit() or not re.search(r"[Oo(]", value):
                continue  # written plainly: the checks below and in .patterns judge it
            digits = re.sub(r"[^\d]", "", re.sub(r"[a-z]+", _digit, value.lower()))
            if 10 <= len(digits) <= 13:
                finding = Finding(m.start(), m.end(), "PHONE", self.name, 0.7, key=digits)
                yield excerpt.restore(finding)
        for candidate in _CANDIDATE.finditer(text):
            if _PLAIN.fullmatch(candidate.group()):
                continue  # "07700 900123": the hand pattern in .patterns has it already
            # late: most notes have no number the hand pattern misses (see the docstring)
            from phonenumbers import Leniency, PhoneNumberMatcher

            # the matcher reads a window, so that it sees what surrounds the number
            lo, hi = max(0, candidate.start() - 8), min(len(text), candidate.end() + 12)
            for match in PhoneNumberMatcher(text[lo:hi], "GB", leniency=Leniency.POSSIBLE):
                raw = match.raw_string
                if match.number.country_code != 44 or not _UK_START.match(raw):
                    continue
                start = lo + match.start
                start += 1 if raw.startswith("(") and ")" not in raw[:6] else 0
                digits = re.sub(r"\D", "", raw)
                finding = Finding(start, lo + match.end, "PHONE", self.name, 0.9, key=digits)
                yield excerpt.restore(finding)

    def _emails(self, lower: str, marker: str) -> Iterator[Finding]:
        at = lower.find(marker)
        while at >= 0:
            after = at + len(marker)
            if marker in (" @", " at "):
                after = at + len(marker.rstrip())
            domain = _DOMAIN.match(lower, after)
            local = _LOCAL.search(lower, max(0, at - 64), at + (1 if marker == " @" else 0))
            if domain and local and local.group().strip():
                spelt = bool(_WORD_DOT.search(domain.group(1)))
                plain_word = not re.search(r"[._+0-9-]|dot", local.group())
                # "jo at example.org" is an address; "we met at example.org" is not
                ordinary = plain_word and lexicon().is_common(local.group().strip())
                if marker != " at " or spelt or not ordinary:
                    start, end = local.start(), domain.end(1)
                    key = re.sub(r"\s+", "", lower[start:end])
                    yield Finding(start, end, "EMAIL", self.name, 0.8, key=key)
            at = lower.find(marker, at + 1)
