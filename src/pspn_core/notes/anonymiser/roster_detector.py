"""The roster detector: members' names, handles and organisations in any form.

Matching runs over the compiled automaton (see :mod:`.roster`); this module
decides, for each match, whether the context makes it a name (word boundaries,
capitals for names that are also English words, sentence starts), and adds
two cheap extras: upper-case initials of members (``CW``, ``FA-C``) and
near-misses of members' names as a transcript spells them (``Femmy``,
``ngozy``), bounded to one edit (two for long names; see :mod:`.nearmiss`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pspn_core.notes.anonymiser.context import DetectionContext, is_sentence_start
from pspn_core.notes.anonymiser.lexicon import inside, lexicon, words
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.roster import ANY_CASE, CAPITALISED, UPPER, Variant
from pspn_core.notes.anonymiser.scanning import word_matches
from pspn_core.notes.anonymiser.wordnames import calendar_use, spoke, word_name_confidence

__all__ = ["RosterDetector", "accept_variant", "followed_like_name", "name_in_context"]

# upper-case tokens ("CW", "FA-C", "GO'S", "C.W."): a cheap scan, checked against the roster.
# (The look-behind after the first capital checks the character before it: see .scanning.)
_UPPER_TOKEN = re.compile(r"[A-Z](?<![\w'’.-][A-Z])[A-Z.'’-]{1,7}(?![\w'’-])")
_WORD = re.compile(r"(?<![\w@'’.-])[a-z]{4,}(?![\w@'’-])")  # on the lower-cased text
_NAME_FOLLOWERS = re.compile(
    r"[ \t]*+(?:[,:)(?!\"”]|['’]s\b|(?<=[ \t])[^\x00-\x7f]"
    r"|(?<=[ \t])(?:to|here|there|&|said|says|asked|asks|mentioned|raised|noted|suggested|agreed"
    r"|explained|described|added|wrote|shared|offered|reported|confirmed|replied|thinks|thought"
    r"|felt|feels|gave|has|had|was|is|will|would|can|could|and|here|from|at|who|also|did|does"
    r"|told|tells|developed|died|became|went|came|called|rang|phoned|spoke|needed|wanted|tried"
    r"|seemed|deteriorated|collapsed|attended|emailed|messaged|posted"
    r"|[A-Z][a-z])\b)"
)


def followed_like_name(text: str, end: int) -> bool:
    """Whether what follows ``end`` is what follows names ("," "'s" "said" ...)."""
    return bool(_NAME_FOLLOWERS.match(text, end))


def name_in_context(text: str, start: int, end: int) -> bool:
    """Whether a capitalised word that is also an English word is used as a name here.

    Mid-sentence capitals count as names; at the start of a sentence the word
    must be followed by something names are followed by ("Will, do you...",
    "Rose's point", "Mark said").
    """
    if not text[start : start + 1].isupper() or (text[start:end].isupper() and end - start > 1):
        return False
    if not is_sentence_start(text, start):
        return True
    return followed_like_name(text, end)


def _boundary_after(text: str, end: int) -> bool:
    if end >= len(text):
        return True
    ch = text[end]
    if ch.isalnum() or ch == "_":
        return False
    if ch in ".-'’" and end + 1 < len(text) and text[end + 1].isalnum():
        return (
            ch in "'’"
            and text[end + 1 : end + 2] in ("s", "S")
            and not (end + 2 < len(text) and text[end + 2].isalnum())
        )
    return True


_ADDRESSED = re.compile(r"[ \t]*+(?:[,.!?:;)\n]|$|[^\x00-\x7f])")
# a message signed with an initial: "Good luck. W", "...the GP side?\nH"
# (the look-ahead alone scans fast; what comes before is checked for each match)
_SIGNED_INITIAL = re.compile(r"[A-Z](?=\.?[ \t]*+(?:\n|\Z))")
_AND = re.compile(r"[ \t]++(?:and|&)[ \t]++")
_DETERMINERS = words(
    "the a an my your his her our their this that these those of some any no every each its i "
    "you we they"
)
_GREETINGS = words("hi hey hello hiya thanks cheers dear morning evening bye ta welcome")


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z']+)[^A-Za-z'\n]*$", text[max(0, start - 20) : start])
    return m.group(1).lower() if m else ""


def accept_variant(
    text: str, start: int, end: int, variant: Variant, *, lowercase_style: bool = False
) -> bool:
    """Whether a key match is a real occurrence (boundaries, case and context)."""
    if not _boundary_after(text, end):
        return False
    if variant.mode == ANY_CASE:
        return True
    if variant.mode == UPPER:
        return text[start:end].replace("&", "").isupper()
    if text[start].isupper():
        return name_in_context(text, start, end)
    # a lower-case occurrence of a name that is also an English word ("hi paddy")
    if variant.label not in ("PERSON", "USERNAME"):
        return False
    before = _previous_word(text, start)
    if before in _GREETINGS and _ADDRESSED.match(text, end):
        return True  # "hi grace!", "thanks will," (but not "thanks, will do")
    return not variant.frequent and lowercase_style and before not in _DETERMINERS


class RosterDetector:
    """Members (and their organisations) as the compiled roster knows them."""

    name = "roster"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        roster = context.roster
        kept = context.kept  # "Oliver McGowan" training, "Patient Safety Learning"
        doubtful: list[tuple[int, int, Variant]] = []
        accepted: list[tuple[int, str]] = []  # members' names found, to tell who spoke
        tables: dict[int, str] = {}  # table header rows, found once per table
        names: set[int] = set()  # where the names found start
        for start, end, variant in roster.matches(context.normalised):
            if kept and inside(kept, start):
                continue
            if not accept_variant(
                text, start, end, variant, lowercase_style=context.lowercase_style
            ):
                if (
                    variant.mode == CAPITALISED
                    and variant.label == "PERSON"
                    and _boundary_after(text, end)
                ):
                    doubtful.append((start, end, variant))
                continue
            if variant.mode == CAPITALISED and calendar_use(text, start, end, tables):
                continue  # "in June", "3 May 2025": the month, not the member
            if variant.label == "USERNAME" and start > 0 and text[start - 1] == "@":
                start -= 1
            if variant.label == "PERSON":
                accepted.append((start, variant.key))
                names.add(start)
            confidence = 0.95 if variant.mode == ANY_CASE else 0.85
            yield Finding(start, end, variant.label, self.name, confidence, key=variant.key)
        wanted = {variant.key for _, _, variant in doubtful}
        speakers = {key for at, key in accepted if key in wanted and spoke(text, at)}
        rejected: list[tuple[int, int, Variant]] = []
        for start, end, variant in doubtful:  # names that are also words ("Grace closed")
            doubt = word_name_confidence(
                text,
                start,
                end,
                speaker=variant.key in speakers,
                frequent=variant.frequent,
                tables=tables,
            )
            if doubt is None:
                rejected.append((start, end, variant))
            else:
                names.add(start)
                yield Finding(start, end, "PERSON", "roster-context", doubt, key=variant.key)
        for start, end, variant in rejected:  # "with joy and will": joined to a name found
            joined = _AND.match(text, end)
            if joined and joined.end() in names:
                yield Finding(start, end, "PERSON", "roster-context", 0.45, key=variant.key)
        if names:
            firsts = {key.removeprefix("person:")[:1].upper() for _, key in accepted}
            for m in _SIGNED_INITIAL.finditer(text):
                at = m.start()
                alone = text[at - 1 : at] == "\n" or (
                    text[at - 1 : at] == " " and text[at - 2 : at - 1] in (".", "!", "?")
                )
                if alone and m.group() in firsts:
                    yield Finding(m.start(), m.end(), "PERSON", "roster-context", 0.5)
        if roster.initials:
            for m in _UPPER_TOKEN.finditer(text):
                if m.group() in roster.initials:
                    yield Finding(m.start(), m.end(), "PERSON", self.name, 0.8)
        if roster.fuzzy_parts:
            yield from self._near_misses(context)

    def _near_misses(self, context: DetectionContext) -> Iterator[Finding]:
        """Words one or two edits from a member's name (``Femmy``, ``ngozy``)."""
        lex = lexicon()
        roster = context.roster
        index = roster.near()
        suspects = []
        for word in set(_WORD.findall(context.lower)):
            if word in lex.frequent or word in roster.name_parts or lex.is_common(word):
                continue
            if index.near(word):
                suspects.append(re.escape(word))
        if suspects:
            pattern = re.compile(r"(?:" + "|".join(suspects) + r")(?![\w@'’-])")
            for m in word_matches(pattern, context.lower, joiners="@'’.-"):
                yield Finding(m.start(), m.end(), "PERSON", "roster-fuzzy", 0.7)
