"""People who are not on the roster: staff, patients, relatives, guests.

Cautious rules, each with a reason:

* a capitalised word that is not an ordinary English word (word-frequency and
  dictionary data, :mod:`.lexicon`) is probably a name or a place;
* a capitalised word that is an English word but also a known first name
  ("Will", "Grace") is a name where the context says so;
* upper-case initials (``CW``, ``AO-R``, ``A.K.``) that are not a known
  acronym, outside all-capitals headings;
* the word after a title (``Dr``, ``Sister``, ``Mrs``) or a relation
  (``my husband``, ``her daughter``);
* a lower-case non-word after a greeting (``hi deepa``, ``thanks raj``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from functools import cache

from pspn_core.notes.anonymiser.context import DetectionContext, is_sentence_start
from pspn_core.notes.anonymiser.lexicon import ACRONYMS, KEEP_WORDS, lexicon, words
from pspn_core.notes.anonymiser.model import Finding, Label
from pspn_core.notes.anonymiser.roster_detector import followed_like_name, name_in_context
from pspn_core.notes.anonymiser.scanning import word_matches

__all__ = ["NameDetector"]

# "@Kwame" (a Teams mention) counts: the "@" stays outside the name. (The look-behind
# after the first capital checks the character before it: see .scanning.)
_CAPITALISED = re.compile(r"[A-Z](?<![\w/'’.-][A-Z])(?:[\w'’-]*\w|\.(?:[A-Z]\.)+)")
_INITIALS = re.compile(r"[A-Z]{1,3}(?:['’-][A-Z]{1,3})*|(?:[A-Z]\.)+")
# The cue patterns below start with their word lists, not with "\b" (see word_matches).
_TITLE = re.compile(
    r"(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Matron|Nurse|Sr|Rev|Revd|Father"
    r"|Auntie|Aunty|Uncle|Nana|Nan|Nanna|Grandma|Grandad|Lady|Lord|Sir|Dame|Baby)\.?[ \t]+"
    r"([A-Z](?:[\w'’-]*[\w])?)(?:[ \t]+([A-Z][\w'’-]*[\w]))?"
)
_RELATION = re.compile(
    r"(?:my|her|his|their|our|your|the)[ \t]+(?:late[ \t]+)?(?:husband|wife|partner|son|daughter"
    r"|mum|mother|dad|father|brother|sister|nan|nana|gran|granny|grandma|grandmother|grandad"
    r"|grandfather|grandson|granddaughter|aunt|auntie|uncle|niece|nephew|friend|neighbour|carer"
    r"|baby|boy|girl|child|patient|colleague|manager)[ \t]*,?[ \t]+([A-Z][\w'’-]*[\w])"
)
_GREETING = re.compile(  # matched on the lower-cased text
    r"(?:hi|hey|hello|hiya|thanks|thank[ \t]+you|thx|cheers|morning|evening|afternoon|bye"
    r"|welcome|ta|congrats|well[ \t]+done|sorry|dear)[ \t]*,?[ \t]+([a-z][a-z'’-]{2,})\b"
)
_FIRST_NAME_BEFORE = re.compile(r"([A-Z](?<!\w[A-Z])[a-z]+)[ \t]$")
_SPEECH = re.compile(
    r"[ \t]++(?:said|says|asked|asks|mentioned|raised|noted|suggested|agreed|explained|described"
    r"|added|wrote|shared|offered|reported|confirmed|replied|thinks|thought|felt|feels)\b"
)
_APPOSITIVE = re.compile(r",[ \t]+[a-z]")
_AMPERSAND = re.compile(r"\b[A-Z]{1,3}&[A-Z]{1,3}\b")  # "L&D", "RD&E"
_LOWER_TITLE = re.compile(r"(?:dr|mr|mrs|ms|miss|sister|matron)\.?[ \t]+([a-z][a-z'’-]{2,})\b")
_LOWER_WORD = re.compile(r"(?<![\w@/.'’-])[a-z][a-z'’-]*[a-z](?![\w@'’-]|\.\w)")
_ROLE_WORDS = words(
    "Practitioner Manager Lead Specialist Associate Advocate Ward Team Sister Nurse In Charge "
    "Consultant Director Officer Partner Support Educator Champion On Who The A"
)
_ROLL_WORDS = words("note-taker notetaker minute-taker co-chair co-chairs action-owner")
_POSSESSIVE = re.compile(r"['’]s$")
_CALENDAR = words(
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Christmas Easter"
)


@cache
def places_lower() -> frozenset[str]:
    return frozenset(p.lower() for p in lexicon().places)


class NameDetector:
    """Names of people (and some places) that no roster lists."""

    name = "heuristics"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        kept = context.kept
        starts = [a for a, _ in kept]
        for m in _CAPITALISED.finditer(text):
            if kept:
                i = bisect_right(starts, m.start()) - 1
                if i >= 0 and m.start() < kept[i][1]:
                    continue  # inside "NHS England", "Martha's Rule"...
            finding = self._capitalised(text, m, context)
            if finding is not None:
                yield finding
        yield from self._cues(text, context)
        if context.lowercase_style:
            yield from self._lower_case(text)

    def _capitalised(
        self, text: str, m: re.Match[str], context: DetectionContext
    ) -> Finding | None:
        """Judge one capitalised token, the heart of the detector."""
        lex = lexicon()
        start = m.start()
        word = _POSSESSIVE.sub("", m.group())
        end = start + len(word)
        if word.isupper() or "." in word:
            return self._upper(text, start, end, word)
        if word in _CALENDAR or word.removesuffix("s") in _CALENDAR or word in KEEP_WORDS:
            return None  # "Thursdays"
        if word.lower() in _ROLL_WORDS:
            return None
        if _plural_acronym(word):
            return None
        if not lex.is_common(word) or _only_inflected(word, text, start):
            if is_sentence_start(text, start) and not (
                self._unknown(word) or followed_like_name(text, end)
            ):
                return None
            label: Label = "LOCATION" if word in lex.places else "PERSON"
            confidence = 0.6 if is_sentence_start(text, start) else 0.7
            if word != m.group() and not self._is_name(word, context):
                end = m.end()  # "Addenbrooke's": the apostrophe belongs to the place
            first = _FIRST_NAME_BEFORE.search(text, max(0, start - 30), start)
            if first and not _ordinary(first.group(1)):
                start = first.start(1)  # "Precious Okonjo": the first name goes with it
            return Finding(start, end, label, self.name, confidence)
        if lex.could_be_name(word) and name_in_context(text, start, end):
            return Finding(start, end, "PERSON", self.name, 0.5)
        if _APPOSITIVE.match(text, end) and text[max(0, start - 2) : start] == ", ":
            return Finding(start, end, "PERSON", self.name, 0.5)  # "the son, Graham, had"
        if _SPEECH.match(text, end) and word.lower() not in lex.very_common:
            return Finding(start, end, "PERSON", self.name, 0.5)  # "Mags said"
        return None

    def _lower_case(self, text: str) -> Iterator[Finding]:
        """In a note written in lower case, words no dictionary knows ("segun", "basildon")."""
        lex = lexicon()
        for m in _LOWER_WORD.finditer(text):
            word = m.group()
            if word in lex.very_common or word.capitalize() in _CALENDAR:
                continue  # "has", "ok", "july": listed only inflected or capitalised
            if not lex.is_common(word) and (
                not lex.in_dictionary(word) or lex.could_be_name(word) or word in places_lower()
            ):
                yield Finding(m.start(), m.end(), "PERSON", self.name, 0.5)

    @staticmethod
    def _unknown(word: str) -> bool:
        """At the start of a sentence, only words no dictionary knows read as names."""
        lex = lexicon()
        if lex.could_be_name(word):
            return True
        return not lex.in_dictionary(word) and word.lower() not in lex.frequent

    @staticmethod
    def _is_name(word: str, context: DetectionContext) -> bool:
        return lexicon().could_be_name(word) or word.lower() in context.roster.name_parts

    def _upper(self, text: str, start: int, end: int, word: str) -> Finding | None:
        """Initials ("CW", "AO-R", "A.K.") and unknown upper-case words, not acronyms."""
        plural = word[:-1] if word.endswith("S") else word
        if word in ACRONYMS or plural in ACRONYMS or len(word) < 2:
            return None
        if any(c.isdigit() for c in word):
            return None
        if _INITIALS.fullmatch(word):
            if _in_heading(text, start, end):
                return None
            return Finding(start, end, "PERSON", self.name, 0.6)
        if lexicon().is_common(word):
            return None
        return Finding(start, end, "ORGANISATION", self.name, 0.5)

    def _cues(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        lex = lexicon()
        for m in word_matches(_TITLE, text):
            for group in (1, 2):
                word = m.group(group)
                if word is None or word in _ROLE_WORDS:
                    break
                if (
                    group == 2
                    and lex.is_common(word)
                    and not lex.could_be_name(word)
                    and m.group(1).lower() not in lex.first_names
                ):
                    break  # "Dr Imogen Vale": after a first name, a surname however common
                yield Finding(m.start(group), m.end(group), "PERSON", self.name, 0.85)
        for m in word_matches(_LOWER_TITLE, text):  # "dr patel", "ms okoye"
            if m.group(1) not in lex.very_common:
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.7)
        for m in _AMPERSAND.finditer(text) if "&" in text else ():
            if m.group() not in ("A&E", "R&D", "Q&A", "B&B", "M&S", "P&L"):
                yield Finding(m.start(), m.end(), "ORGANISATION", self.name, 0.6)
        for m in word_matches(_RELATION, text):
            word = m.group(1)
            if not lex.is_common(word) or lex.could_be_name(word):
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.8)
        for m in word_matches(_GREETING, context.lower):
            word = text[m.start(1) : m.end(1)]
            if not word.islower():
                continue  # capitalised names are judged by the main pass
            if not lex.is_common(word) and word.lower() not in {"all", "everyone", "folks"}:
                yield Finding(m.start(1), m.end(1), "PERSON", self.name, 0.7)


def _only_inflected(word: str, text: str, start: int) -> bool:
    """A capitalised word mid-sentence that is "common" only as an inflection no list has.

    "Ottering" reads as "otter" + "ing", but no word list has "ottering": in the
    middle of a sentence it is a name, as a word no dictionary knows is.
    """
    low = word.lower()
    if not low.endswith(("ing", "ed", "er", "ers", "ly", "ment", "es")) or not low.isalpha():
        return False
    if low.endswith(("ising", "ised", "iser", "isers", "lling", "lled")):
        return False  # British spellings of listed words: "Reorganising", "Travelling"
    lex = lexicon()
    return (
        low not in lex.frequent
        and low not in lex.dictionary
        and low not in lex.common
        and not is_sentence_start(text, start)
    )


def _ordinary(word: str) -> bool:
    """A very common word or a kept one ("At", "Dr"), never the first half of a name."""
    return word.lower() in lexicon().very_common or word in KEEP_WORDS


def _plural_acronym(word: str) -> bool:
    return len(word) > 2 and word.endswith("s") and word[:-1].isupper() and word[:-1] in ACRONYMS


def _in_heading(text: str, start: int, end: int) -> bool:
    """Whether an upper-case token sits among upper-case words (a heading, not initials)."""
    before = text[max(0, start - 30) : start].split()
    after = text[end : end + 30].split()
    neighbours = [w for w in (before[-1:] + after[:1]) if any(c.isalpha() for c in w)]
    # all neighbours in capitals: "KRI, HGH and Tollingham Park" is a list, not a heading
    return bool(neighbours) and all(re.fullmatch(r"[A-Z]{2,}[^\w]*", w) for w in neighbours)
