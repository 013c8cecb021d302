"""Organisations and places that are not in the roster.

* a gazetteer of UK places (towns, villages, counties; see :mod:`.lexicon`),
  matched like roster names: ordinary words ("Reading", "Fleet") only when
  capitalised and used as names;
* organisation shapes: one to six capitalised words before a generic word
  ("... NHS Foundation Trust", "... Hospital", "... Surgery", "... ICB",
  "... Medical Centre"), "Healthwatch X", "St X's";
* wards, units and venues: "Ward 7B", "Rowan Ward", "Abbey Quarter Hub", and
  bare ward codes after a preposition ("on 7B").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ahocorasick

from pspn_core.notes.anonymiser.context import DetectionContext, is_sentence_start, normalise
from pspn_core.notes.anonymiser.lexicon import ACRONYMS, inside, lexicon, words
from pspn_core.notes.anonymiser.model import Finding, Label
from pspn_core.notes.anonymiser.roster import ANY_CASE, CAPITALISED, Variant
from pspn_core.notes.anonymiser.roster_detector import accept_variant
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["PlaceDetector"]

_CALENDAR = words(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday london midlands"
)
# Patterns matched with word_matches start with their words, not "\b" (see .scanning).
_ORG_SUFFIX = re.compile(
    r"(?:NHS[ \t]+(?:Foundation[ \t]+)?Trust|Foundation[ \t]+Trust|Trust|Hospitals?|General"
    r"|Infirmary|Surgery|Medical[ \t]+(?:Centre|Center|Practice|Group)|Health[ \t]+Centre|Practice"
    r"|ICB|Hospice|Clinic|Healthcare|Partnership|Council|PCN|Primary[ \t]+Care[ \t]+Network)\b"
)
_VENUE_SUFFIX = re.compile(
    r"(?:Ward|ward|Unit|Wing|Suite|Hub|Library|Building|House|Centre|Center|Hall|Campus|Annexe)\b"
)
_ORG_WORDS = words(
    "royal east west north south central mid great new old upper lower queen king princess "
    "prince university general st saint city county park green hill valley vale"
)
_JOINERS = frozenset({"and", "&", "of", "upon", "on"})
_STOP = words("the a an our their your my his her its at in from to with for by")
# local branches of national bodies: "Healthwatch Reading", "Citizens Advice Wokingham"
_HEALTHWATCH = re.compile(
    r"(?:Healthwatch|Citizens[ \t]+Advice|Age[ \t]+UK|Mind[ \t]+in|Carers[ \t]+Trust)[ \t]+"
    r"(?!England\b)[A-Z][\w'’-]*+(?:[ \t]+(?:and[ \t]+|&[ \t]+)?[A-Z][\w'’-]*+)*+"
)
_SAINT = re.compile(r"[Ss]t\.?[ \t]+[A-Za-z][\w-]*['’]s\b")  # "St Mary's", "st thomas's"
_WARD = re.compile(r"Ward[ \t]+[A-Z0-9][\w-]*")
# a ward code follows a preposition and a blank: scanning from the blank is faster
_WARD_CODE = re.compile(r"[ \t]([A-PR-Z]\d{1,2}|\d{1,2}[A-Z])\b")
_WARD_CODE_BEFORE = re.compile(r"(?i:\b(?:on|to|from|at|in|onto|and|bay|ward|unit|or)[ \t]+)$")
_COMPASS = r"(?:East|West|North|South|Mid|Central|Greater|Upper|Lower)"
_COMPASS_BEFORE = re.compile(rf"(?i:\b{_COMPASS}(?:[ \t]+(?:and|&)[ \t]+{_COMPASS})?[ \t]+)$")
_NAME_WORD_BEFORE = re.compile(r"(?<![.!?:\n][ \t])\b([A-Z][a-z]+)[ \t]$")
_PLACE_AFTER = re.compile(
    r"[ \t]++(?:Park|General|Hospitals?|Infirmary|Royal|University[ \t]+Hospitals?|Community"
    r"|Health(?:care)?|Partnership|Surgery|Medical[ \t]+Centre|Hospice|Healthwatch)\b"
)


@cache
def _gazetteer() -> ahocorasick.Automaton:
    lex = lexicon()
    automaton = ahocorasick.Automaton()
    for place in lex.places:
        norm = " ".join(normalise(place).split())
        if norm in _CALENDAR or len(norm) < 3:
            continue
        mode = CAPITALISED if " " not in norm and lex.is_common(norm) else ANY_CASE
        automaton.add_word(" " + norm, Variant("LOCATION", "place:" + norm, mode, " " + norm))
    automaton.make_automaton()
    return automaton


def _walk_back(text: str, start: int, *, venue: bool = False) -> int:
    """Extend an organisation or venue name leftwards over its capitalised words."""
    lex = lexicon()
    pos, best = start, start
    words = 0
    while words < 6:
        m = re.search(r"([\w'’.&-]+)[ \t]+$", text[max(0, pos - 40) : pos])
        if not m:
            break
        word = m.group(1)
        word_start = pos - len(m.group(0))
        low = word.lower()
        if low in _JOINERS:
            if venue and low == "on":
                break  # "Ask on Rowan Ward": a preposition, not part of the venue's name
            pos = word_start
            continue
        if not word[:1].isupper() or low in _STOP or (word in ACRONYMS and word != "NHS"):
            break
        if (
            not venue
            and is_sentence_start(text, word_start)
            and lex.is_common(word)
            and low not in _ORG_WORDS
        ):
            break
        pos = best = word_start
        words += 1
    return best


class PlaceDetector:
    """Places, organisations and venues that could place a person."""

    name = "places"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        kept = context.kept
        size = len(text)
        for end, variant in _gazetteer().iter_long(" " + context.normalised):
            if end < size and text[end].isalnum():
                continue  # inside a longer word
            start = end - len(variant.text) + 1
            if accept_variant(text, start, end, variant) and not inside(kept, start):
                before = _COMPASS_BEFORE.search(text, max(0, start - 40), start)
                if before is None:  # "Castle Hill", "Emmer Green": the place's own first word
                    before = _NAME_WORD_BEFORE.search(text, max(0, start - 30), start)
                    if before and before.group(1).lower() in lexicon().very_common:
                        before = None
                after = _PLACE_AFTER.match(text, end)
                label: Label = "ORGANISATION" if after else "LOCATION"
                yield Finding(
                    before.start() if before else start,
                    after.end() if after else end,
                    label,
                    self.name,
                    0.8,
                    key=variant.key,
                )
        yield from self._named(text, _ORG_SUFFIX, "ORGANISATION", kept)
        yield from self._named(text, _VENUE_SUFFIX, "LOCATION", kept)
        for regex in (_HEALTHWATCH, _SAINT):
            for m in word_matches(regex, text):
                yield Finding(m.start(), m.end(), "ORGANISATION", self.name, 0.85)
        for m in word_matches(_WARD, text):
            yield Finding(m.start(), m.end(), "LOCATION", self.name, 0.85)
        for m in _WARD_CODE.finditer(text):  # "on 7B", "to F7"
            if _WARD_CODE_BEFORE.search(text, max(0, m.start(1) - 8), m.start(1)):
                yield Finding(m.start(1), m.end(1), "LOCATION", self.name, 0.5)

    @staticmethod
    def _distinctive(text: str, start: int, end: int) -> bool:
        """A venue needs a name: "Abbey Quarter Hub", not "Education Centre"."""
        return _distinctive_words(text[start:end].split())

    def _named(
        self, text: str, suffixes: re.Pattern[str], label: Label, kept: list[tuple[int, int]]
    ) -> Iterator[Finding]:
        for m in word_matches(suffixes, text):
            start = _walk_back(text, m.start(), venue=label == "LOCATION")
            if start == m.start() or inside(kept, start):
                continue
            if (
                label == "LOCATION"
                and m.group() not in ("Ward", "ward")  # "Rowan Ward", "Rowan ward"
                and not self._distinctive(text, start, m.start())
            ):
                continue
            yield Finding(start, m.end(), label, self.name, 0.8)


def _distinctive_words(words: list[str]) -> bool:
    lex = lexicon()
    return len(words) >= 2 or any(not lex.is_common(w) or w in lex.places for w in words)
