"""Pattern detectors: contact details, patient identifiers, addresses, links.

Each is a regular expression plus, where one exists, a check (the NHS
number's modulus-11 check digit, the UK postcode shape, a telephone number's
digit count). Field labels such as ``Mob:`` or ``DOB`` stay outside the span.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import LinePattern

__all__ = ["Excerpt", "PatternDetector", "nhs_number_is_valid"]

_EMAIL = re.compile(r"[\w.+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_EMAIL_LOCAL = re.compile(r"[\w.+'-]+$")
_URL = re.compile(r"\b(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\s<>\"'()\[\]]+")
# a handle written without "@" still has an underscore: "PriyaN_PSP", "mark_t99"
_UNDERSCORED = re.compile(r"(?<![\w@./:-])[A-Za-z][A-Za-z0-9]*+_[A-Za-z0-9_]++(?![\w@.-])")
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(0|0)\d[\d\s\-)]{7,13}\d(?!\d)",
)
# The patterns marked "lower" run on the lower-cased text (faster than IGNORECASE).
_EXTENSION = re.compile(r"\bext(?:n|ension)?\.?\s*:?\s*(\d{3,6})\b")  # lower
_NHS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_NHS_CONTEXT = re.compile(r"nhs\s*(?:no|number|num|#)", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s?\d[abd-hjlnp-uw-z]{2}\b")  # lower
_MEDICAL_PREFIXED = re.compile(r"\b[A-Z]{1,4}[ -]?\d{6,9}\b|\b[A-Z]{1,4}-\d{4,9}\b")
_MEDICAL_CONTEXT = re.compile(  # lower
    r"\b(?:pals|datix|complaint|incident|ref(?:erence)?|case|mrn|hospital\s+(?:no|number)"
    r"|unit\s+(?:no|number)|log)\b\.?\s*(?:no\.?|number|ref\.?|#)?\s*[:#]?\s*"
    r"((?!(?:is|was|in|on|at|of|for|by)\b)[a-z]{0,4}[ -]?\d[\d/-]{2,}\d)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+\d{4}"
    r"|" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|(?:19|20)\d{2})"
)
_DOB = re.compile(  # lower
    r"\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|born(?:\s+(?:on|in))?(?:\s+the)?|b\.)"
    r"[\s:,(\-–]*(?:(?:as|is|was|of|on|in|the|given|recorded|listed)\s+){0,3}(" + _DATE + r")"
)
_STREET_WORD = (
    r"(?:Road|Rd|Street|St|Lane|Avenue|Ave|Drive|Close|Way|Parade|Crescent|Place|Terrace|Gardens"
    r"|Grove|Hill|Court|Square|Row|Walk|Rise|Mews|Green|Park|Boulevard|Quay|Wharf)"
)
_CAP = r"[A-Z][a-z][a-zA-Z'’-]*"
_ADDRESS = re.compile(
    r"(?<![\w/.:-])\d{1,4}[A-Za-z]?,?\s+(?:" + _CAP + r"\s){1,3}" + _STREET_WORD + r"\b"
    r"(?:,\s*" + _CAP + r"(?:\s" + _CAP + r")?){0,2}"
)
# what may precede the house number: "Flat 2, ", "Hawthorn House, "
_ADDRESS_PREFIX = re.compile(
    r"(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,\s*"
    r"|(?:" + _CAP + r"\s){0,2}(?:House|Court|Lodge|Cottage|Farm|Hospital),\s*)+$"
)
# (the look-behind after the first capital checks the character before it: see .scanning)
_STREET = re.compile(
    r"[A-Z](?<!\w[A-Z])[a-z][a-zA-Z'’-]*\s(?:" + _CAP + r"\s)?"
    r"(?:Road|Street|Lane|Avenue|Drive|Crescent)\b"
)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check (ten digits, weights 10..2)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


_NATIONAL_DOMAINS = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:england\.nhs\.uk|nhs\.uk|[\w.]*gov\.uk|cqc\.org\.uk"
    r"|hssib\.org\.uk|nice\.org\.uk|patientsafetylearning\.org|legislation\.gov\.uk)(?:/|$)",
    re.IGNORECASE,
)
_PERSONAL_PATH = re.compile(r"/(?:profile|user|users|u|in|people|staff)/", re.IGNORECASE)
_TOPIC_PATH = re.compile(r"/(?:forums?/topic|topic|t)/", re.IGNORECASE)


def _trim_url(url: str) -> str:
    return url.rstrip(".,;:!?)")


def _is_public_page(url: str) -> bool:
    """National pages and forum topics name no one (the guideline keeps them)."""
    if _PERSONAL_PATH.search(url):
        return False
    return bool(_NATIONAL_DOMAINS.match(url) or _TOPIC_PATH.search(url))


_DIGIT_LINE = LinePattern(r"(?!\d\d:\d\d[\d:.]*[ \t]+-->)([^\n]*\d[^\n]*)$")


@dataclass(frozen=True)
class Excerpt:
    """The lines of a long note that hold a digit (transcript timings left out).

    The digit patterns only need those lines; on a transcript they are a small
    part of the text, so scanning just them is several times faster.
    """

    text: str
    lower: str
    starts: list[int]  # where each line starts in the excerpt
    origins: list[int]  # and in the original text

    @classmethod
    def of(cls, text: str, lower: str) -> Excerpt:
        lines = [m.span(1) for m in _DIGIT_LINE.finditer(text)] if len(text) > 20_000 else []
        if not lines or sum(end - start for start, end in lines) > len(text) // 2:
            return cls(text, lower, [0], [0])
        starts, origins, pos = [], [], 0
        for start, end in lines:
            starts.append(pos)
            origins.append(start)
            pos += end - start + 1
        excerpt = "\n".join(text[start:end] for start, end in lines)
        return cls(excerpt, "\n".join(lower[start:end] for start, end in lines), starts, origins)

    def restore(self, finding: Finding) -> Finding:
        """The finding with offsets into the original text."""
        if self.starts == [0] and self.origins == [0]:
            return finding
        i = bisect_right(self.starts, finding.start) - 1
        end = finding.end
        if i + 1 < len(self.starts) and end >= self.starts[i + 1]:
            end = self.starts[i + 1] - 1  # never run on into the next excerpted line
        shift = self.origins[i] - self.starts[i]
        return replace(finding, start=finding.start + shift, end=end + shift)


class PatternDetector:
    """E-mails, URLs, handles, UK phones, NHS numbers, IDs, postcodes, DOBs, addresses."""

    name = "patterns"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        yield from self._contacts(text)
        excerpt = context.digit_lines
        for finding in self._with_digits(excerpt.text, excerpt.lower):
            yield excerpt.restore(finding)
        for m in _STREET.finditer(text):
            yield Finding(m.start(), m.end(), "LOCATION", self.name, 0.6, key=m.group())

    def _contacts(self, text: str) -> Iterator[Finding]:
        at = text.find("@")
        while at >= 0:  # scanning from each "@" is much faster than a regex over all words
            local = _EMAIL_LOCAL.search(text, max(0, at - 64), at)
            m = _EMAIL.match(text, local.start()) if local else None
            if m:
                yield Finding(m.start(), m.end(), "EMAIL", self.name, 0.99, key=m.group().lower())
            at = text.find("@", at + 1)
        # cheap substring tests skip whole scans on the (common) notes without these
        for m in _URL.finditer(text) if "http" in text or "www." in text or "WWW" in text else ():
            url = _trim_url(m.group())
            if _is_public_page(url):
                continue
            yield Finding(m.start(), m.start() + len(url), "URL", self.name, 0.9, key=url)
        for m in _UNDERSCORED.finditer(text) if "_" in text else ():
            yield Finding(m.start(), m.end(), "USERNAME", self.name, 0.6, key=m.group().lower())
        for m in _HANDLE.finditer(text) if "@" in text else ():
            handle = m.group()[1:]
            if handle[:1].isupper() and handle.isalpha() and handle[1:].islower():
                continue  # a Teams @mention of a display name: the name detectors decide
                # ("@WendleburyMums", in camel case, is a handle)
            yield Finding(m.start(), m.end(), "USERNAME", self.name, 0.9, key=handle.lower())

    def _with_digits(self, text: str, lower: str) -> Iterator[Finding]:
        """Everything that contains a digit: phones, NHS numbers, IDs, dates, postcodes."""
        for m in _PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            start = m.start()
            if m.group().startswith("(") and ")" not in m.group():
                start += 1  # "(0118 496 0517)": the bracket is the sentence's, not the number's
            if 10 <= len(digits) <= 13:
                yield Finding(start, m.end(), "PHONE", self.name, 0.95, key=digits)
        for m in _EXTENSION.finditer(lower) if "ext" in lower else ():
            yield Finding(m.start(1), m.end(1), "PHONE", self.name, 0.8, key=m.group(1))
        for m in _NHS.finditer(text):
            digits = "".join(m.groups())
            if nhs_number_is_valid(digits):
                yield Finding(m.start(), m.end(), "NHS_NUMBER", self.name, 0.95, key=digits)
            elif _NHS_CONTEXT.search(text, max(0, m.start() - 20), m.start()):
                yield Finding(m.start(), m.end(), "NHS_NUMBER", self.name, 0.7, key=digits)
        for m in _MEDICAL_PREFIXED.finditer(text):
            yield Finding(m.start(), m.end(), "MEDICAL_ID", self.name, 0.7, key=m.group())
        for m in _MEDICAL_CONTEXT.finditer(lower):
            start = m.start(1)
            # "PALS 21-0874": the service name is part of the reference
            if lower[m.start() : m.start() + 4] == "pals" and m.start(1) - m.start() <= 6:
                start = m.start()
            yield Finding(start, m.end(1), "MEDICAL_ID", self.name, 0.85, key=m.group(1))
        dob = any(cue in lower for cue in ("dob", "d.o.b", "birth", "born", "b."))
        for m in _DOB.finditer(lower) if dob else ():
            yield Finding(m.start(1), m.end(1), "DATE_OF_BIRTH", self.name, 0.9, key=m.group(1))
        for m in _POSTCODE.finditer(lower):
            yield Finding(m.start(), m.end(), "POSTCODE", self.name, 0.9, key=m.group())
        for m in _ADDRESS.finditer(text):
            prefix = _ADDRESS_PREFIX.search(text, max(0, m.start() - 60), m.start())
            start = prefix.start() if prefix else m.start()
            yield Finding(start, m.end(), "ADDRESS", self.name, 0.85, key=m.group())
