"""Dates of birth that no label announces, written or read out.

"Mr P – 04.11.1950 – was admitted", "it says 17/03/1939 and should be",
"born on the third of May nineteen forty-eight". A full date whose year is
long past (2008 or before) is, in a patient-safety note, far more often
someone's date of birth than anything else: it is redacted, with low
confidence so that review looks at it first; higher next to a person (a
title and a name) or after a birth cue. A recent date is only a date of
birth after a cue ("born", "birthday", "year of birth"). Meeting and
incident dates of the last years stay.

The :class:`BirthDateDetector` reads written dates on the lines that hold a
digit. Dates read out are found by :mod:`.spoken` with :func:`spoken_date_at`
("the third of May nineteen forty-eight" is 3 May 1948) and judged by the
same :func:`birth_confidence`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from text_to_num import text2num

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["ORDINALS", "BirthDateDetector", "birth_confidence", "spoken_date_at", "spoken_year"]

_LAST_BIRTH_YEAR = 2008  # a date of birth in a note about care: someone 16 or older
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]
ORDINALS = {w: n for n, w in enumerate(_UNITS + _TEENS, start=1)}
ORDINALS.update({f"twenty-{w}": 20 + n for n, w in enumerate(_UNITS, start=1)})
ORDINALS.update({"thirtieth": 30, "thirty-first": 31})
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|"
    + "|".join(sorted((w.replace("-", r"[ -]") for w in ORDINALS), key=len, reverse=True))
    + ")"
)
_NUMBER = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|oh|and)(?![a-z])"
)
_YEAR_WORD = r"(?:nineteen|eighteen|twenty|two thousand)(?:[ -]" + _NUMBER + r"){1,3}"
_YEAR = r"(?:\d{4}|" + _YEAR_WORD + r")"
# on the lower-cased lines that hold a digit; three patterns, as one alternation scans slower
_NUMERIC = re.compile(r"\d{1,2}[/.]\d{1,2}[/.](\d{4}|\d{2})(?![\d/.]\d)")  # 04.11.1950
_WRITTEN = (
    _NUMERIC,
    re.compile(r"\d{1,2}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?" + _MONTHS + r",?[ \t]+(\d{4})"),
    re.compile(_MONTHS + r"[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?,?[ \t]+(\d{4})"),
)
_YEAR_OF_BIRTH = re.compile(r"(?:year[ \t]+of[ \t]+birth|yob)\b[\s:,(–-]*((?:19|20)\d\d)\b")
# read out: "the third of May nineteen forty-eight", "May the third"
_SPOKEN_DAY = re.compile(
    r"(" + _ORDINAL + r")(?:[ \t]+of)?[ \t]+" + _MONTHS + r"(?![a-z])(?:,?[ \t]+(" + _YEAR + r"))?"
)
_SPOKEN_MONTH = re.compile(_MONTHS + r"[ \t]+(?:the[ \t]+)?$")
_SPOKEN_YEAR = re.compile(r"(" + _ORDINAL + r")(?![a-z])(?:,?[ \t]+(" + _YEAR + r"))?")
_BIRTH_CUE = re.compile(r"(?:born|birth|dob|d\.o\.b|birthday|b\.)[^.\n]{0,40}$")
_TITLED_NEAR = re.compile(
    r"\b(?:mr|mrs|ms|miss|mx|dr|master|baby)\.?[ \t]+[a-z][\w'’-]*[^\w\n]{0,4}$"
)
_PERSON_NEAR = re.compile(
    r"(?:\b(?:mr|mrs|ms|miss|mx|dr|master|baby)\.?[ \t]+[a-z][\w'’-]*|\bpatient|\bhe|\bshe"
    r"|\bhis|\bher|\bsays|\bsaid|\bshows?)[^.\n]{0,20}$"
)


def spoken_year(words: str) -> int | None:
    """``nineteen forty-eight`` -> 1948, ``two thousand and five`` -> 2005 (else ``None``)."""
    if words.isdigit():
        return int(words)
    words = words.replace("-", " ").removesuffix(" and")
    for century in ("nineteen", "eighteen", "twenty"):
        if words.startswith(century + " ") and "hundred" not in words:
            rest = words[len(century) + 1 :].replace("oh ", "")
            try:
                return int(str(text2num(century, "en")) + f"{text2num(rest, 'en'):02d}")
            except ValueError:
                return None
    try:
        return int(text2num(words, "en"))
    except ValueError:
        return None


def birth_confidence(lower: str, start: int, year: int | None) -> float | None:
    """How likely the date at ``start`` is a date of birth (``None``: not one)."""
    before = max(0, start - 60)
    if _BIRTH_CUE.search(lower, before, start):
        return 0.85
    if year is None:  # "04.11.50" or "the third of May": a date of birth only next to a person
        return 0.5 if _TITLED_NEAR.search(lower, max(0, start - 30), start) else None
    if not 1880 <= year <= _LAST_BIRTH_YEAR:
        return None
    if _PERSON_NEAR.search(lower, before, start):
        return 0.7
    return 0.55 if year <= 1995 else 0.45


def spoken_date_at(lower: str, pos: int) -> tuple[int, int, int | None] | None:
    """A date read out whose day (an ordinal) starts at ``pos``: (start, end, year)."""
    m = _SPOKEN_DAY.match(lower, pos)
    start = pos
    if m is None:
        month = _SPOKEN_MONTH.search(lower, max(0, pos - 16), pos)
        m = _SPOKEN_YEAR.match(lower, pos) if month else None
        if m is None or month is None:
            return None
        start = month.start()
    year = spoken_year(m.group(2)) if m.group(2) else None
    end = m.end() - 4 if m.group().endswith(" and") else m.end()
    return start, end, year


class BirthDateDetector:
    """Full dates long past, and dates after a birth cue, in the lines that hold a digit."""

    name = "birthdates"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        excerpt = context.digit_lines
        lower = excerpt.lower
        for pattern in _WRITTEN:
            for m in word_matches(pattern, lower):
                year = int(m.group(1)) if len(m.group(1)) == 4 else None  # "4.11.50": unknown
                confidence = birth_confidence(lower, m.start(), year)
                if confidence is not None:
                    finding = Finding(m.start(), m.end(), "DATE_OF_BIRTH", self.name, confidence)
                    yield excerpt.restore(finding)
        for m in word_matches(_YEAR_OF_BIRTH, lower) if "birth" in lower or "yob" in lower else ():
            finding = Finding(m.start(1), m.end(1), "DATE_OF_BIRTH", self.name, 0.85)
            yield excerpt.restore(finding)
