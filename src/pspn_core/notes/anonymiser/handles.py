"""Social-media handles and forum usernames that no roster lists.

``@name`` and handles with an underscore are found by :mod:`.patterns`. Here:

* a word after a cue ("username", "handle", "posts as", "on Instagram as",
  "u/"), whatever it looks like ("her username is sunflower");
* a word with a run of digits after its letters ("bluebird1962"), and a
  word in camel case ("SunflowerLady"), which names and ordinary words are
  not; unless it is a known product or a surname prefix ("McGowan").

Without a cue these are guesses, so they carry low confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import ahocorasick

from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import ACRONYMS, KEEP_WORDS, inside, lexicon, words
from pspn_core.notes.anonymiser.model import Finding, Label

__all__ = ["HandleDetector"]

_CUES = (
    "user",
    "username",
    "handle",
    "screen name",
    "forum name",
    "account",
    "posted by",
    "posts as",
    "posting as",
    "known as",
    "goes by",
    "twitter",
    "instagram",
    "insta",
    "tiktok",
    "facebook",
    "reddit",
    "mumsnet",
    "bluesky",
    "threads",
)
_CUED = re.compile(  # on the lower-cased text
    r"(?:(user[ \t]?name|handle|screen[ \t]name|forum[ \t]name)|user|account(?:[ \t]name)?"
    r"|posted[ \t]by|posts[ \t]as|posting[ \t]as|(known[ \t]as|goes[ \t]by)|(?:twitter"
    r"|instagram|insta|tiktok|facebook|reddit|mumsnet|bluesky|threads)(?:[ \t]as)?)"
    r"(?:[ \t]+(?:is|was|name|called))?[ \t]*[:=]?[ \t]*([\"'“‘]?)"
    r"(@?[a-z0-9_][\w.-]{1,30}[a-z0-9_])"
)
_REDDIT = re.compile(r"(?<![\w/])u/[A-Za-z0-9_-]{3,}")
_DIGITS_AFTER = re.compile(
    r"[A-Za-z](?<![\w@./:-][A-Za-z])[A-Za-z_.]{0,30}[a-z][A-Za-z_]{0,30}\d{2,4}(?![\w@-])"
)
_CAMEL = re.compile(r"[A-Z](?<=[a-z][A-Z])")
_TOKEN = re.compile(r"[\w.-]+")
_NOT_HANDLES = words(
    "is was the a an and or my her his their our called name as by on of to in at not none "
    "also here there this that"
)
_PRODUCTS = words(
    "LinkedIn YouTube WhatsApp PowerPoint SharePoint OneDrive InPhase iPhone iPad eLearning "
    "NHSmail GitHub TikTok SystmOne JavaScript PayPal DropBox SurveyMonkey MailChimp EventBrite "
    "FaceTime HealthUnlocked JustGiving GoFundMe BlueSky ChatGPT OpenAI McDonald's"
)
_SURNAME_PREFIXES = ("Mc", "Mac", "Fitz", "De", "Di", "Da", "La", "Le", "Van", "Von", "St", "O'")
_UNITS = words(
    "covid office windows win ward room bay bed level floor gate flat unit version page item "
    "step phase year week day band mins hrs ext tel mob"
)


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for cue in _CUES:
        automaton.add_word(" " + cue, len(cue))
    automaton.make_automaton()
    return automaton


def _cue_starts(normalised: str) -> list[int]:
    """Where a cue word starts (one pass of an automaton, in C)."""
    size = len(normalised)
    return [
        end - length
        for end, length in _cue_automaton().iter(" " + normalised)
        if end >= size or not normalised[end].isalnum()
    ]


class HandleDetector:
    """Handles after a cue, with digits after letters, or in camel case."""

    name = "handles"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        lower = context.lower
        kept = context.kept
        for cue in _cue_starts(context.normalised):
            m = _CUED.match(lower, cue)
            if m is not None:
                handle = m.group(4).rstrip(".")
                if handle in _NOT_HANDLES:
                    continue
                # after a weak cue ("user", "known as"), an ordinary word is just a word
                sure = m.group(1) or m.group(3) or handle[0] == "@"
                if not sure and lexicon().is_common(handle):
                    continue
                start, end = m.start(4), m.start(4) + len(handle)
                # "known as Bex": a name, not a handle
                label: Label = "PERSON" if m.group(2) and text[start].isupper() else "USERNAME"
                yield Finding(start, end, label, self.name, 0.75, key=handle)
        for m in _REDDIT.finditer(text) if "u/" in text else ():
            yield Finding(m.start(), m.end(), "USERNAME", self.name, 0.8, key=m.group())
        excerpt = context.digit_lines
        for m in _DIGITS_AFTER.finditer(excerpt.text):
            letters = m.group().rstrip("0123456789")
            if letters.lower() in _UNITS or letters.upper() in ACRONYMS or letters.isupper():
                continue
            finding = Finding(m.start(), m.end(), "USERNAME", self.name, 0.5, key=m.group())
            yield excerpt.restore(finding)
        done = -1
        for m in _CAMEL.finditer(text):
            if m.start() >= done:  # one look per word, however many humps it has
                token = _TOKEN.match(text, m.start())
                done = token.end() if token else m.end()
                yield from self._camel(text, m.start(), kept)

    def _camel(self, text: str, at: int, kept: list[tuple[int, int]]) -> Iterator[Finding]:
        start = at
        while start > max(0, at - 40) and (text[start - 1].isalnum() or text[start - 1] == "_"):
            start -= 1
        token = _TOKEN.match(text, start)
        if token is None or (start and text[start - 1] in "@/.:'’") or len(token.group()) > 40:
            return
        word = token.group().rstrip(".-")
        end = start + len(word)
        if (
            len(word) < 6
            or word in _PRODUCTS
            or word in KEEP_WORDS
            or word.startswith(_SURNAME_PREFIXES)
            or "." in word
            or (kept and inside(kept, start))
            or text[end : end + 1] in ("@", "/")
            or lexicon().is_common(word)
        ):
            return
        # a capital after an upper-case run ("NHSmail", "PSIRFs") is an acronym, not a handle
        if re.match(r"[A-Z]{2,}", word):
            return
        yield Finding(start, end, "USERNAME", self.name, 0.5, key=word)
