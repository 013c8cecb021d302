"""Near-misses of members' names: the same words as rapidfuzz found, without it at run time.

rapidfuzz is a test-only dependency: it is the reference the hand-written
check and index are compared with.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from pspn_core.notes.anonymiser import RosterEntry, compile_roster
from pspn_core.notes.anonymiser.context import DetectionContext
from pspn_core.notes.anonymiser.lexicon import lexicon
from pspn_core.notes.anonymiser.model import Finding
from pspn_core.notes.anonymiser.nearmiss import NearIndex, bound, within
from pspn_core.notes.anonymiser.roster_detector import _WORD, RosterDetector
from pspn_core.notes.anonymiser.scanning import word_matches

DATA = Path(__file__).resolve().parents[2] / "data" / "anonymiser"
# few letters, so that random strings are often one or two edits apart
WORDS = st.text(alphabet="abcde", max_size=12)


@settings(max_examples=2000, deadline=None)
@given(a=WORDS, b=WORDS, edits=st.integers(0, 3))
def test_within_is_levenshtein_with_a_cutoff(a: str, b: str, edits: int) -> None:
    assert within(a, b, edits) == (Levenshtein.distance(a, b, score_cutoff=edits) <= edits)


@settings(max_examples=500, deadline=None)
@given(
    parts=st.lists(st.text(alphabet="abcd", min_size=1, max_size=11), max_size=40),
    word=st.text(alphabet="abcd", min_size=1, max_size=11),
)
def test_the_index_finds_what_a_search_of_every_part_finds(parts: list[str], word: str) -> None:
    by_letter: dict[str, tuple[str, ...]] = {}
    for part in sorted(set(parts)):
        by_letter[part[0]] = (*by_letter.get(part[0], ()), part)
    edits = bound(len(word))
    best = process.extractOne(
        word, by_letter.get(word[0], ()), scorer=Levenshtein.distance, score_cutoff=edits
    )
    assert NearIndex(by_letter).near(word) == (best is not None)


def test_bounds_and_first_letters() -> None:
    index = NearIndex({"o": ("ostrowska",), "f": ("femi",)})
    assert not index.near("femmy")  # two edits from "femi": too many for 5 letters
    assert index.near("fem") and index.near("femiy") and not index.near("demi")
    assert index.near("ostrowsky") and index.near("ostrosky")  # 2 edits, 9 letters: near
    assert not index.near("astrowska")  # one edit, but not the same first letter
    assert not index.near("")


def test_the_index_of_a_roster_is_made_once() -> None:
    roster = compile_roster([RosterEntry(name="Femi Adebayo-Clarke")])
    assert roster.near() is roster.near()
    other = compile_roster([RosterEntry(name="Femi Adebayo-Clarke")])
    assert other.near() is not roster.near() and other.near().near("femmi")


def _rapidfuzz_near_misses(context: DetectionContext) -> Iterator[Finding]:
    """The roster detector's near-misses as rapidfuzz found them before (the reference)."""
    lex, roster = lexicon(), context.roster
    suspects = []
    for word in set(_WORD.findall(context.lower)):
        if word in lex.frequent or word in roster.name_parts or lex.is_common(word):
            continue
        choices = roster.fuzzy_parts.get(word[0], ())
        cutoff = 1 if len(word) <= 6 else 2
        if process.extractOne(word, choices, scorer=Levenshtein.distance, score_cutoff=cutoff):
            suspects.append(re.escape(word))
    if suspects:
        pattern = re.compile(r"(?:" + "|".join(suspects) + r")(?![\w@'’-])")
        for m in word_matches(pattern, context.lower, joiners="@'’.-"):
            yield Finding(m.start(), m.end(), "PERSON", "roster-fuzzy", 0.7)


def _documents() -> list[dict[str, object]]:
    lines = []
    for name in ("shared-dev.jsonl", "pspn-dev2.jsonl"):
        lines += (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_the_same_near_misses_as_rapidfuzz_on_both_development_sets() -> None:
    found: set[str] = set()
    for doc in _documents():
        roster = compile_roster(
            RosterEntry(
                name=r["name"],
                username=r.get("username", ""),
                organisation=r.get("organisation", ""),
                aliases=tuple(r.get("aliases", ())),
            )
            for r in doc["roster"]  # type: ignore[attr-defined]
        )
        text = str(doc["text"])
        context = DetectionContext(text, roster, "text")
        ours = list(RosterDetector()._near_misses(context))
        assert ours == list(_rapidfuzz_near_misses(context)), doc["id"]
        found.update(text[f.start : f.end] for f in ours)
    # "ngozy" for Ngozi, "Radeck" for Radek, "Bamra" for Bhamra, ...
    assert found == {"ngozy", "Radeck", "radekw", "lowrip", "Bamra"}


@pytest.mark.parametrize("word", ["ostrowsky", "agnieska", "wardlowe"])
def test_misspelt_members_in_a_note(word: str) -> None:
    roster = compile_roster(
        [RosterEntry(name="Agnieszka Ostrowska"), RosterEntry(name="Christopher Wardlow")]
    )
    text = f"ok {word} your hand is up, and famous is not a name"
    context = DetectionContext(text, roster, "text")
    assert [text[f.start : f.end] for f in RosterDetector()._near_misses(context)] == [word]
