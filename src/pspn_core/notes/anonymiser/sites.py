"""Hospitals and sites whose short names are ordinary words: "Kings Mill", "the Grange".

Staff name their sites the way they name colleagues, by a short form: "she was
moved to Kings Mill", "we met at the Grange", "I work at the Lister". Each word
is ordinary English, so neither the name rules nor the gazetteer catch them.
What marks them is the place they stand in: after a preposition of place
("at", "to", "from", "in", "re", "visit"), an optional "the", then one to three
capitalised words in mid-sentence. Such a run is a site when it is not a
generic name for a body or a room ("the Board", "the Hub", "the Quality
Committee") and it either holds a word rarer than everyday English
("Prospect Park") or ends in a word sites are named with ("Kings Mill").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import ACRONYMS, KEEP_WORDS, inside, lexicon, words
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["SiteDetector"]

_PREPOSITIONS = ("at", "to", "from", "in", "into", "re", "near", "visit", "visiting", "outside")
# both cases spelt out rather than (?i:...): the scan can then jump between first letters
_SITE = re.compile(
    r"(?:" + "|".join([*_PREPOSITIONS, *(p.capitalize() for p in _PREPOSITIONS)]) + r")"
    r"[ \t]++(?:the[ \t]++)?"
    r"([A-Z][a-z]++(?:['’]s)?+(?:[ \t]++[A-Z][a-z]++(?:['’]s)?+){0,2})(?![\w'’-])"
)
# words sites are named with: "Kings Mill", "Prospect Park", "the Grange"
_SITE_WORDS = words("Mill Park Grange Lodge Manor Priory Fields Heath Vale Free Cross Gate Hill")
# capitalised words that name a body, a role, a meeting, a document or a room, not a site
_GENERIC = words(
    "Board Committee Group Team Teams Meeting Meetings Forum Network Panel Chair Trust Trusts "
    "Hub Minutes Agenda Summary Report Reports Review Reviews Office Council Unit Department "
    "Service Services Centre Programme Project Act Policy Framework Strategy Plan Standards "
    "Learning Safety Patient Patients Quality Care Health Hospital Hospitals Ward Session "
    "Chat Call Channel Inbox Portal Library Annual Week Month Year Day Time Autumn Spring "
    "Summer Winter Part Section Appendix Item Action Actions Update Updates Notes Note "
    "Maternity Neonatal Paediatrics Pharmacy Radiology Oncology Cardiology Theatres Outpatients "
    "Estates Finance Governance Nursing Midwifery Medicine Surgery Emergency Community Theatre "
    "Theatres Resus Recovery Triage Handover Majors Minors Reception Admissions Discharge "
    "Coroner Coroners Ombudsman Inquest Tribunal Guardian Guardians Parliament Government "
    "Chief Nurse Nurses Executive Executives Director Directors Head Lead Leads Manager Managers "
    "Officer Officers Matron Matrons Consultant Consultants Specialist Specialists Practitioner "
    "Practitioners Midwife Midwives Secretary Chairs Clerk"
)
_CALENDAR = words(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter"
)


class SiteDetector:
    """Hospital and site short names made of ordinary words, by where they stand."""

    name = "sites"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        kept = context.kept
        for m in word_matches(_SITE, text):
            names = m.group(1).split()
            if self._is_site(names) and not inside(kept, m.start(1)):
                yield Finding(m.start(1), m.end(1), "ORGANISATION", self.name, 0.6)

    @staticmethod
    def _is_site(names: list[str]) -> bool:
        lex = lexicon()
        if any(
            w in _GENERIC or w in KEEP_WORDS or w in _CALENDAR or w.upper() in ACRONYMS
            for w in names
        ):
            return False
        rare = any(w.lower() not in lex.very_common for w in names)
        return rare or names[-1] in _SITE_WORDS
