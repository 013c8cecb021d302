"""Consistency across a note: what is a name in one place is a name everywhere.

A word found as part of a name or place ("Rowan" in "Rowan Ward", "Ward 7B"
then "7B", "Sister Mulligan" then "Mulligan") is looked for again in the rest
of the note, and two places joined by "and" ("Norfolk and Norwich") become
one span. Very common English words ("Will", "Jack") are not spread this way:
their other uses are judged where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick

from pspn_core.notes.anonymiser.lexicon import ACRONYMS, lexicon, words
from pspn_core.notes.anonymiser.model import Finding

__all__ = ["join_places", "propagate"]

_TOKEN = re.compile(r"[^\W_][\w'’]*(?:-[\w'’]+)*")
_GENERIC = words(
    "nhs foundation trust university hospital hospitals healthcare health teaching care "
    "community partnership services service ambulance mental general royal ward unit wing hub "
    "house centre surgery practice medical icb st saint the and of road street lane park green "
    "hill east west north south mid central city county new great upper lower"
)
_SPREAD = ("PERSON", "LOCATION", "ORGANISATION")
_SELF_SPREADING = frozenset({"roster", "patterns"})
_JOIN = re.compile(r"[ \t]++(?:and|&)[ \t]++")
_QUOTE = re.compile(r"[ \t]*+[\"“”‘’'()][ \t]*+")  # 'Sunil "Sunny" Bhamra', "Ann (Annie) Cole"


def propagate(
    text: str, findings: Sequence[Finding], normalised: str, roster_words: frozenset[str]
) -> list[Finding]:
    """Findings for further occurrences of words already found as names or places.

    :param roster_words: members' name parts, which the roster detector already
        finds everywhere by its own rules.
    """
    lex = lexicon()
    words: dict[str, tuple[Finding, bool]] = {}
    for f in findings:
        # the roster detector already finds its names wherever they are
        if f.label not in _SPREAD or f.detector in _SELF_SPREADING:
            continue
        for token in _TOKEN.findall(text[f.start : f.end]):
            low = token.lower()
            if (
                len(token) < 2
                or low in _GENERIC
                or low in lex.very_common
                or low in roster_words
                or token in ACRONYMS
                or token.isdigit()
            ):
                continue
            any_case = not lex.is_common(low) and not token.isupper()
            if not any_case and not token[:1].isupper() and not token[:1].isdigit():
                continue
            old = words.get(low)
            if old is None or (any_case and not old[1]):
                words[low] = (f, any_case)
    if not words:
        return []
    automaton = ahocorasick.Automaton()
    for low, (source, any_case) in words.items():
        automaton.add_word(" " + low, (low, source, any_case))
    automaton.make_automaton()
    out = []
    for end, (low, source, any_case) in automaton.iter_long(" " + normalised):
        start = end - len(low)
        if end < len(text) and (text[end].isalnum() or text[end] == "-"):
            continue
        found = text[start:end]
        if not any_case and found[:1] != found[:1].upper():
            continue
        out.append(Finding(start, end, source.label, "propagation", 0.6, key=source.key))
    return out


def join_places(text: str, findings: Sequence[Finding]) -> list[Finding]:
    """Join places or organisations separated only by "and"/"&" into one finding.

    Parts of one name around a nickname in quotes or brackets ('Sunil "Sunny"
    Bhamra') are joined too, so that the quotes do not outline the name.
    """
    out: list[Finding] = []
    for f in findings:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.label in ("LOCATION", "ORGANISATION")
            and f.label in ("LOCATION", "ORGANISATION")
            and _JOIN.fullmatch(text, prev.end, f.start)
        ) or (
            prev is not None
            and prev.label == f.label == "PERSON"
            and _QUOTE.fullmatch(text, prev.end, f.start)
        ):
            out[-1] = Finding(
                prev.start,
                f.end,
                prev.label,
                prev.detector,
                max(prev.confidence, f.confidence),
                key=prev.key,
            )
        else:
            out.append(f)
    return out
