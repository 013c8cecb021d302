"""Hospitals by their short names, and the whole of a site's name.

Staff say "back to the General", "at the Royal", "the Infirmary": a generic
word that, after a preposition of place and "the", names one hospital. And a
name found in part leaks the rest: "at [organisation] Park", "the Royal
[location]". :func:`widen_sites` stretches an organisation or place found by
any detector over the words sites are named with around it ("Royal", "St",
"Hospital", "Infirmary", "Park", "Wing"...).

This is not a list of hospitals: without internet access no site list could
be bundled here (issue 17, class 4); the trust list and the gazetteer do the
rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import inside
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["HospitalDetector", "widen_sites"]

# "the General election", "the Royal family": the words that make them something else
_NOT_SITE = (
    r"(?:election|elections|public|manager|managers|practice|practitioner|secretary|meeting"
    r"|assembly|rule|rules|data|idea|consensus|feeling|view|family|wedding|mail|navy|visit"
    r"|college|society|charter|council|court|agreement|principle|approach|sense)\b"
)
# found from "the" (a literal start scans fast), then the preposition before it is checked
_PLACE_BEFORE = re.compile(
    r"(?<![\w'’-])(?:at|to|from|in|into|near|outside|visit|visiting|via)[ \t]++$", re.IGNORECASE
)
_SHORT = re.compile(
    r"the[ \t]++"
    r"((?:General|Royal|Infirmary|Royal Infirmary|Memorial|Alex|County|District|Cottage)"
    r"(?:['’]s)?)(?![ \t]*+[A-Z&]|[\w'’-]|[ \t]++" + _NOT_SITE + r")"
)
_BEFORE = re.compile(
    r"(?:Royal|St\.?|Saint|Queen|Princess|Prince|King['’]s|Queen['’]s|New|Old)[ \t]++$"
)
_AFTER = re.compile(
    r"[ \t]++(?:(?:Community|University|General|District|Memorial|Children['’]s|Women['’]s)"
    r"[ \t]++)?(?:Hospitals?|Infirmary|General|Hospice|Park|Wing|Campus|Site|Clinic"
    r"|Health[ \t]++Centre|Medical[ \t]++Centre|Treatment[ \t]++Centre)\b"
)
# "[Stourmere] Advocacy Project", "[Brackenmoor] Community": a body named after a place
_BODY_AFTER = re.compile(
    r"(?:[ \t]++(?:Advocacy|Carers['’]?|Patients['’]?|Parents['’]?|Community|Health|Support"
    r"|Action|Voice|Mental|Family|Families|Wellbeing|Youth))*"
    r"[ \t]++(?:Project|Community|Group|Network|Forum|Association|Society|Charity|Foundation"
    r"|Partnership|Collective|Alliance|Hub|Council|Practice|Surgery|College|School|University)"
    r"(?![\w'’-])"
)
_BODY_BEFORE = re.compile(r"(?:University|College)[ \t]++of[ \t]++$")
# "[Wendlebury] Cross": the second word of a place's name
_PLACE_AFTER = re.compile(
    r"[ \t]++(?:Cross|Bay|Marsh|Heath|End|Bridge|Common|Vale|Wood|Magna|Parva|Regis|Market"
    r"|Minster|Abbey|Priors|Episcopi|on[ \t]++Sea|upon[ \t]++[A-Z][a-z]+)(?![\w'’-])"
)
_TITLED_SITE = re.compile(r"(?:St\.?|Saint|Queen|Princess|Prince|King|Lady)[ \t]++$")
_POSSESSIVE = re.compile(r"['’]s(?![\w'’-])")
# "Kess Royal", "from kess royal": a place's short form and "Royal" (not "the Princess Royal")
_SHORT_ROYAL = re.compile(
    r"(?<![\w'’-])(?!(?:Princess|Prince|The|A|His|Her|Their|Our|Very)[ \t])"
    r"([A-Z][a-z]{2,}[ \t]++Royal)$"
)
_SHORT_ROYAL_LOWER = re.compile(
    r"(?<![\w'’-])(?:at|to|from|in|into|near|visit|visiting)[ \t]++"
    r"(?!(?:princess|prince|the|a|his|her|their|our|very)[ \t])([a-z]{3,}[ \t]++royal)$"
)
_ROYAL_NAMED = re.compile(
    r"the[ \t]++(Royal[ \t]++(?!" + _NOT_SITE + r"|Mail|Navy|Air|Marines|Academy|Institution"
    r"|Household|Highness|Engineers|Ballet|Opera|Albert|Commission|Festival|Show|Colleges?)"
    r"[A-Z][a-z]+)(?![\w'’-]|[ \t]++[A-Z])"
)
_CLAUSE_END = re.compile(r"[ \t]*+(?:[.,;!?)]|\n|$)")
_SITES = ("ORGANISATION", "LOCATION")
_SURNAMES_TOO = frozenset({"Park", "General", "Wing", "Site"})


class HospitalDetector:
    """Short names of hospitals after a preposition of place: "back to the General"."""

    name = "hospitals"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        yield from self._short_royal(text, context)
        if " the " not in text:
            return
        kept = context.kept
        for m in word_matches(_SHORT, text):
            if inside(kept, m.start(1)):
                continue
            if _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                yield Finding(m.start(1), m.end(1), "ORGANISATION", self.name, 0.55)
            elif _CLAUSE_END.match(text, m.end()):  # "yes then the General." (flagged)
                yield Finding(m.start(1), m.end(1), "ORGANISATION", self.name, 0.45)
        for m in word_matches(_ROYAL_NAMED, text):  # "then the Royal Oak."
            if inside(kept, m.start(1)):
                continue
            placed = _PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start())
            if placed or _CLAUSE_END.match(text, m.end()):  # (over a name found in it)
                yield Finding(m.start(1), m.end(1), "ORGANISATION", self.name, 0.75)

    @staticmethod
    def _short_royal(text: str, context: DetectionContext) -> Iterator[Finding]:
        """ "Kess Royal": looked for back from each "Royal" (a literal find is fast)."""
        pattern = _SHORT_ROYAL_LOWER if context.lowercase_style else _SHORT_ROYAL
        at = text.find("oyal")
        while at >= 0:
            end = at + 4
            if not (end < len(text) and (text[end].isalnum() or text[end] in "'’-")):
                m = pattern.search(text, max(0, at - 40), end)
                if m is None and pattern is _SHORT_ROYAL_LOWER:
                    m = _SHORT_ROYAL.search(text, max(0, at - 40), end)
                if m is not None and not inside(context.kept, m.start(1)):
                    yield Finding(m.start(1), m.end(1), "ORGANISATION", "hospitals", 0.5)
            at = text.find("oyal", end)


def widen_sites(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Organisations and places stretched over the site words around them."""
    out = []
    for f in findings:
        start, end, label = f.start, f.end, f.label
        after = _AFTER.match(text, end) if label in (*_SITES, "PERSON") else None
        if after and label == "PERSON" and after.group().split()[-1] in _SURNAMES_TOO:
            after = None  # "Grace Park": a surname as likely as a site
        if after:  # "[Paget] Hospital": a site, even when the first word read as a name
            end, label = after.end(), "ORGANISATION" if label == "PERSON" else label
        if label in _SITES:
            before = _BEFORE.search(text, max(0, start - 12), start)
            if before:
                start = before.start()
        if label != "ORGANISATION" and _POSSESSIVE.match(text, end):
            titled = _TITLED_SITE.search(text, max(0, start - 12), start)
            if titled:  # "Prince [Edmund]'s": a hospital named after a saint or a royal
                start, end, label = titled.start(), end + 2, "ORGANISATION"
        body = _BODY_AFTER.match(text, end)
        if body and (label in _SITES or (label == "PERSON" and f.detector != "roster")):
            end, label = body.end(), "ORGANISATION"
        of = _BODY_BEFORE.search(text, max(0, start - 20), start) if label != "USERNAME" else None
        if of and f.detector != "roster":  # "University of [Kessingford]"
            start, label = of.start(), "ORGANISATION"
        place = _PLACE_AFTER.match(text, end) if label in ("LOCATION", "PERSON") else None
        if place:
            end = place.end()
        if (start, end) != (f.start, f.end):
            f = Finding(start, end, label, f.detector, f.confidence, key=f.key)
        out.append(f)
    return out
