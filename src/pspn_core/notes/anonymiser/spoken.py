"""Identifiers read out in a transcript: numbers as words, letters by the phonetic alphabet.

"nine four three, four seven six, five nine one nine" is an NHS number;
"oh seven seven double oh nine double oh one two three" a phone;
"K for Kilo, L for Lima, four one one" a hospital number. The words of a run
are turned into digits and letters (compound numbers such as "forty-eight" by
``text2num``), keeping for every character the span of the words it came
from, and the same checks as for written identifiers run on the result: the
NHS number's modulus 11, a UK phone's shape, a hospital number's letters and
digits. Findings cover exactly the words read out.

Only windows around a digit word are looked at, so a note without numbers
read out costs one scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

import ahocorasick
from text_to_num import text2num

from pspn_core.notes.anonymiser.birthdates import (
    ORDINALS,
    birth_confidence,
    spoken_date_at,
    spoken_year,
)
from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import words
from pspn_core.notes.anonymiser.model import Finding, Label
from pspn_core.notes.anonymiser.patterns import nhs_number_is_valid

__all__ = ["DIGITS", "NATO", "SpokenDetector"]

DIGITS = {
    "zero": "0",
    "nought": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_COMPOUND = words(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty "
    "thirty forty fifty sixty seventy eighty ninety hundred thousand"
)
_REPEAT = {"double": 2, "triple": 3, "treble": 3}
_JOINERS = words("dash slash stroke hyphen")
NATO = words(
    "alpha alfa bravo charlie delta echo foxtrot golf hotel india juliet juliett kilo lima mike "
    "november oscar papa quebec romeo sierra tango uniform victor whiskey whisky x-ray xray "
    "yankee zulu"
)
# a run starts at a digit or tens word (not "oh", which starts too many sentences),
# a date read out at an ordinal
_SEED_WORDS = (
    words(
        "zero nought one two three four five six seven eight nine double triple ten eleven twelve"
    )
    | {w for w in _COMPOUND if w.endswith("ty")}
    | set(ORDINALS)
)
_TOKEN = re.compile(r"[a-z]+(?:-[a-z]+)?|\d+")
_GAP = re.compile(r"[ \t,.;…–—-]{1,4}")
# a WebVTT cue break: end of voice, blank line, optional cue number, timing line, voice tag
_CUE_BREAK = re.compile(
    r"(?:</v>)?[ \t]*\n(?:[ \t]*\n)*(?:[^\n]{0,40}\n)?[\d:.]{5,12}[ \t]+-->[^\n]*\n"
    r"(?:<v[^>\n]{0,120}>)?"
)
_CUE_GAP = re.compile(r"[ \t,.;…–—-]{0,4}" + _CUE_BREAK.pattern + r"[ \t,.;…–—-]{0,4}")
_WINDOW = 400
_ID_CONTEXT = re.compile(
    r"number|\bno\b|ref|reference|mrn|hospital|case|incident|log|claim|\bid\b|record"
)
_NHS_CONTEXT = re.compile(r"\bnhs\b")
_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}")
# a year of birth read out: "born in nineteen thirty-six"
_BORN_YEAR = re.compile(
    r"\bborn[ \t]+(?:in[ \t]+)?((?:nineteen|eighteen)[ \t-]+(?:oh[ \t]+)?[a-z]+(?:-[a-z]+)?)"
)


@dataclass(frozen=True)
class _Piece:
    value: str  # digits or one upper-case letter
    start: int
    end: int


def _is_number_word(token: str) -> bool:
    return (
        token in DIGITS
        or token in _COMPOUND
        or ("-" in token and all(p in _COMPOUND or p in DIGITS for p in token.split("-")))
    )


def _pieces(tokens: list[re.Match[str]]) -> list[_Piece]:
    """Digits and letters for a run of tokens, each with the span it was read from."""
    out: list[_Piece] = []
    i = 0
    while i < len(tokens):
        tok, m = tokens[i].group(), tokens[i]
        if tok in _REPEAT and i + 1 < len(tokens) and tokens[i + 1].group() in DIGITS:
            nxt = tokens[i + 1]
            out.append(_Piece(DIGITS[nxt.group()] * _REPEAT[tok], m.start(), nxt.end()))
            i += 2
            continue
        if tok.isdigit():
            out.append(_Piece(tok, m.start(), m.end()))
        elif len(tok) == 1:
            end = m.end()
            # "K for Kilo": the letter, then "for" and a word that starts with it
            if (
                i + 2 < len(tokens)
                and tokens[i + 1].group() == "for"
                and tokens[i + 2].group()[:1] == tok
            ):
                end = tokens[i + 2].end()
                i += 2
            out.append(_Piece(tok.upper(), m.start(), end))
        elif tok in NATO:
            out.append(_Piece(tok[0].upper(), m.start(), m.end()))
        elif tok in DIGITS:
            out.append(_Piece(DIGITS[tok], m.start(), m.end()))
        elif _is_number_word(tok):
            # the longest group that text2num reads as one number: "four hundred and eleven"
            for j in range(min(len(tokens), i + 5), i, -1):
                group = [t.group() for t in tokens[i:j]]
                if group[-1] == "and" or not all(_is_number_word(g) or g == "and" for g in group):
                    continue
                try:
                    value = text2num(" ".join(group), "en")
                except ValueError:
                    continue
                out.append(_Piece(str(value), m.start(), tokens[j - 1].end()))
                i = j - 1
                break
        i += 1
    return out


def _spoken(text: str, tokens: list[re.Match[str]]) -> list[bool]:
    """Which tokens can be part of an identifier read out."""
    words = [t.group() for t in tokens]
    out = []
    for k, tok in enumerate(words):
        original = text[tokens[k].start() : tokens[k].end()]
        if tok in DIGITS or tok in _REPEAT or tok in NATO or tok.isdigit() or _is_number_word(tok):
            out.append(True)
        elif len(tok) == 1:  # "K" (not "a", "I" unless spelt with others: "K R I"), "k for kilo"
            spelled = k + 2 < len(words) and words[k + 1] == "for" and words[k + 2][:1] == tok
            letters = (k > 0 and out[k - 1] and len(words[k - 1]) == 1) or (
                k + 1 < len(words)
                and len(words[k + 1]) == 1
                and text[tokens[k + 1].start()].isupper()
            )
            out.append(spelled or (original.isupper() and (original not in "AI" or letters)))
        elif tok in _JOINERS:  # "two five, dash zero one": between digits read out
            out.append(
                0 < k < len(words) - 1 and bool(out[k - 1]) and _is_number_word(words[k + 1])
            )
        elif tok == "for":
            out.append(
                0 < k < len(words) - 1
                and len(words[k - 1]) == 1
                and words[k + 1][:1] == words[k - 1]
            )
        elif k >= 2 and words[k - 1] == "for" and len(words[k - 2]) == 1:
            out.append(tok[:1] == words[k - 2])  # "King" in "K for King"
        else:
            out.append(
                tok == "and"
                and 0 < k < len(words) - 1
                and _is_number_word(words[k - 1])
                and _is_number_word(words[k + 1])
            )
    return out


@cache
def _seed_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _SEED_WORDS:
        automaton.add_word(" " + word, (len(word), word))
    automaton.make_automaton()
    return automaton


def _seeds(normalised: str) -> Iterator[tuple[int, str]]:
    """Where number and ordinal words start (one pass of an automaton, in C)."""
    size = len(normalised)
    for end, (length, word) in _seed_automaton().iter(" " + normalised):
        if end < size and (normalised[end].isalnum() or normalised[end] in "'_"):
            continue  # "one" in "oneself"
        yield end - length, word


def _joined(lower: str, end: int, start: int) -> bool:
    """Whether two tokens belong to one run: a short gap, or a transcript's cue break."""
    return bool(_GAP.fullmatch(lower, end, start) or _CUE_GAP.fullmatch(lower, end, start))


def _run_around(text: str, lower: str, seed: int) -> tuple[int, list[_Piece]]:
    """The run of spoken digits and letters around ``seed``: its end, and its pieces.

    A run may go on over a transcript's cue break ("…four seven six</v> | 00:00:09.000
    --> … | <v Name>five nine one four"): the break's own tokens are left out.
    """
    lo = max(0, seed - _WINDOW // 4)
    while lo > 0 and lower[lo - 1].isalnum():
        lo -= 1
    hi = seed + _WINDOW
    tokens = list(_TOKEN.finditer(lower, lo, hi))
    if "-->" in lower[lo:hi]:
        breaks = [m.span() for m in _CUE_BREAK.finditer(lower, lo, hi)]
        tokens = [t for t in tokens if not any(a <= t.start() < b for a, b in breaks)]
    index = next((k for k, t in enumerate(tokens) if t.start() <= seed < t.end()), None)
    if index is None:  # the seed is part of a cue break ("<v Seven Okafor>")
        return seed + 1, []
    spoken = _spoken(text, tokens)
    first = last = index
    while (
        first > 0
        and spoken[first - 1]
        and _joined(lower, tokens[first - 1].end(), tokens[first].start())
    ):
        first -= 1
    while (
        last + 1 < len(tokens)
        and spoken[last + 1]
        and _joined(lower, tokens[last].end(), tokens[last + 1].start())
    ):
        last += 1
    return tokens[last].end(), _pieces(tokens[first : last + 1])


def _segments(lower: str, pieces: list[_Piece]) -> list[tuple[int, int]]:
    """The spans of a run, split where it crosses a line (a cue break stays unredacted)."""
    spans = [[pieces[0].start, pieces[0].end]]
    for piece in pieces[1:]:
        if "\n" in lower[spans[-1][1] : piece.start]:
            spans.append([piece.start, piece.end])
        else:
            spans[-1][1] = piece.end
    return [(a, b) for a, b in spans]


class SpokenDetector:
    """NHS numbers, phones and hospital numbers read out in words."""

    name = "spoken"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        lower = context.lower
        for m in _BORN_YEAR.finditer(lower) if "born" in lower else ():
            year = spoken_year(m.group(1))
            if year is not None and 1880 <= year <= 1999:
                yield Finding(m.start(1), m.end(1), "DATE_OF_BIRTH", self.name, 0.8)
        done = -1
        for seed, word in _seeds(context.normalised):
            if seed < done:
                continue
            if word in ORDINALS or word in ("twenty", "thirty"):
                date = spoken_date_at(lower, seed)
                if date is not None:
                    start, done, year = date
                    confidence = birth_confidence(lower, start, year)
                    if confidence is not None:
                        yield Finding(start, done, "DATE_OF_BIRTH", self.name, confidence)
                    continue
            done, pieces = _run_around(text, lower, seed)
            if pieces and any(p.value.isdigit() for p in pieces):
                finding = self._judge(lower, pieces)
                segments = _segments(lower, pieces) if finding is not None else []
                if finding is None or (len(segments) > 1 and finding.confidence < 0.6):
                    continue  # over a cue break, only a number that passes a check
                for start, end in segments:  # one finding per line it was read over
                    yield replace(finding, start=start, end=end)

    def _judge(self, lower: str, pieces: list[_Piece]) -> Finding | None:
        value = "".join(p.value for p in pieces)
        digits = "".join(c for c in value if c.isdigit())
        letters = len(value) - len(digits)
        start, end = pieces[0].start, pieces[-1].end
        before = lower[max(0, start - 60) : start]
        label: Label
        if len(digits) == 10 and not letters and nhs_number_is_valid(digits):
            label, confidence = "NHS_NUMBER", 0.85
        elif len(digits) == 10 and _NHS_CONTEXT.search(before):
            label, confidence = "NHS_NUMBER", 0.6
        elif not letters and (
            (len(digits) == 11 and digits[0] == "0") or (len(digits) == 12 and digits[:2] == "44")
        ):
            label, confidence = "PHONE", 0.8
        elif letters and len(digits) >= 3 and len(value) >= 5:
            label, confidence = "MEDICAL_ID", 0.7
        elif _POSTCODE.fullmatch(value):
            label, confidence = "POSTCODE", 0.8  # "H R seven, three Q S"
        elif len(digits) >= 6 and _ID_CONTEXT.search(before):
            label, confidence = "MEDICAL_ID", 0.6
        elif len(digits) >= 7 and len(pieces) >= 5:
            label, confidence = "MEDICAL_ID", 0.4  # a long number read out: flag it
        else:
            return None
        return Finding(start, end, label, self.name, confidence, key=value)
