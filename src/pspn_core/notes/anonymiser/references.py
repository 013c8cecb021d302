"""Reference numbers of every shape: incident, complaint, log, claim and case numbers.

:mod:`.patterns` finds hospital numbers ("K0487213") and references after a
few labels ("PALS 21-0874"). Systems number their cases in many more ways:
"INC-2025-01234", "ABC/COMP/25/0099", "CAD 250301-0042", "CL23/0456",
"StEIS 2025/11842". Three rules, all on the lines that hold a digit:

* a shape: an upper-case prefix and two or more groups joined by ``-`` or
  ``/`` (or one space after the prefix), with five digits or more in all,
  that is not a financial year or a date range ("FY 2024/25");
* a year and a serial of four digits or more ("2025/11842"), with the name of
  the system before it when it has two capitals ("StEIS");
* a label: "log", "claim", "crime", "CAD", "ticket", "job", "case",
  "incident" or "reference" (with "no."/"number"), then any token holding
  four digits or more.

They are labelled MEDICAL_ID, as the shared guideline labels case references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import ACRONYMS
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["ReferenceDetector"]

_SHAPE = re.compile(
    r"[A-Z](?<![\w/-][A-Z])[A-Z]{1,5}(?:[-/][A-Z0-9]{1,8}|[ ](?=\d)[0-9]{2,8})"
    r"(?:[-/][A-Z0-9]{1,8}){1,4}(?![\w/-]|\.\d)"
    r"|[A-Z](?<![\w/-][A-Z])[A-Z]{1,4}\d{2,4}/\d{3,8}(?![\w/-])"
)
_LABELLED = re.compile(  # on the lower-cased text
    r"(?:log|claim|crime|cad|ticket|job|case|incident|reference|ref|serial|police|report"
    r"|(?:hospital|unit)(?=[ \t]+(?:no\b|number))|mrn)"
    r"(?:[ \t]+(?:no\.?|number|ref\.?|reference|#))?(?:[ \t]+(?:is|was))?[ \t]*[:#]?[ \t]*"
    r"([a-z]{0,6}[-/]?\d[a-z0-9]*(?:[-/][a-z0-9]+)*(?:[ ]\d{2,6}(?![\w/-])){0,3})"
)
# a year and a serial ("StEIS 2025/11842", "2024/00417"), with a system's name before it
_YEAR_SERIAL = re.compile(
    r"(?<![\w/.-])(?:[A-Z][a-z]*[A-Z][A-Za-z]{0,8}[ \t])?(?:19|20)\d\d/\d{4,8}(?![\w/-]|\.\d)"
)
_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_YEARS = re.compile(r"(?:19|20)\d\d(?:[-/](?:\d\d|(?:19|20)\d\d))?")


def _digits(value: str) -> int:
    return sum(c.isdigit() for c in value)


class ReferenceDetector:
    """Case and incident references by their shape or their label."""

    name = "references"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        excerpt = context.digit_lines
        for m in _SHAPE.finditer(excerpt.text):
            value = m.group()
            prefix, _, rest = value.replace("/", " ").replace("-", " ").partition(" ")
            rest = value[len(prefix) + 1 :]
            if _digits(value) < 5 or _YEARS.fullmatch(rest) or _DATE.fullmatch(rest):
                continue  # "FY 2024/25", "DOB 04/09/1938"
            if (prefix in ACRONYMS or prefix in ("FY", "Q")) and sum(map(rest.count, "/-")) < 2:
                continue  # "PALS 21-0874" is left to its label; "PALS/PEH/2025/0311" is a shape
            finding = Finding(m.start(), m.end(), "MEDICAL_ID", self.name, 0.7, key=value)
            yield excerpt.restore(finding)
        for m in _YEAR_SERIAL.finditer(excerpt.text):
            if re.fullmatch(r"(?:19|20)\d\d", m.group().rpartition("/")[2]):
                continue  # "2025/2026": a range of years
            finding = Finding(m.start(), m.end(), "MEDICAL_ID", self.name, 0.7, key=m.group())
            yield excerpt.restore(finding)
        lower = excerpt.lower
        for m in word_matches(_LABELLED, lower):
            value = m.group(1).rstrip("-/")
            if _digits(value) < 4 or _YEARS.fullmatch(value):
                continue
            end = m.start(1) + len(value)
            finding = Finding(m.start(1), end, "MEDICAL_ID", self.name, 0.8, key=value)
            yield excerpt.restore(finding)
