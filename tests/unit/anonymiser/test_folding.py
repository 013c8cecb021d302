"""Names disguised by soft hyphens, zero-width characters or full-width letters are still found."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pspn_core.notes.anonymiser import CompiledRoster, RosterEntry, anonymise, compile_roster
from pspn_core.notes.anonymiser.folding import INVISIBLE, fold

# invented people, example.org addresses
PEOPLE = [
    RosterEntry("Ada Lovelock", username="ada_l"),
    RosterEntry("Tomasz Wrenfield", username="twrenfield"),
    RosterEntry("Grace Osei"),
]


@pytest.fixture(scope="module")
def people() -> CompiledRoster:
    return compile_roster(PEOPLE)


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def test_ascii_text_is_not_copied() -> None:
    text = "Ada Lovelock said hello."
    folded = fold(text)
    assert folded.text is text and folded.changes == ()
    assert fold("Zoë’s café – ok").changes == ()  # already NFKC, nothing invisible


@pytest.mark.parametrize(
    "text",
    [
        "Thanks to Love\u00adlock for the notes.",
        "Thanks to Love\u200block for the notes.",
        "Thanks to Love\u200c\u200dlock for the notes.",
        "Thanks to \ufeffLovelock\u2060 for the notes.",
        f"Thanks to {_full_width('Lovelock')} for the notes.",
    ],
)
def test_disguised_names_are_redacted(text: str, people: CompiledRoster) -> None:
    note = anonymise(text, roster=people, secret=b"t")
    assert fold(note.text).text == "Thanks to [name] for the notes."
    [finding] = note.findings
    assert fold(text[finding.start : finding.end]).text == "Lovelock"


def test_full_width_contacts_and_handles(people: CompiledRoster) -> None:
    text = f"Ring {_full_width('07700 900123')} or mail {_full_width('ada.l@example.org')}"
    note = anonymise(text, roster=people, secret=b"t")
    assert note.text == "Ring [phone] or mail [email]"


def test_expanded_characters_map_to_whole_characters() -> None:
    folded = fold("a\u200b\u200bb\u2026c")  # "…" folds to three characters
    assert folded.text == "ab...c"
    assert [folded.start(p) for p in range(6)] == [0, 3, 4, 4, 4, 5]
    assert [folded.end(p) for p in range(7)] == [0, 1, 4, 5, 5, 5, 6]


ORIGINALS = st.text(
    alphabet=st.sampled_from(list("abcXYZ .,\n0") + list(INVISIBLE) + ["\u2026", "Ａ", "ﬁ", "²"]),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(text=ORIGINALS)
def test_every_folded_character_maps_to_the_character_it_came_from(text: str) -> None:
    folded = fold(text)
    for pos, ch in enumerate(folded.text):
        source = text[folded.start(pos)]
        assert ch in unicodedata.normalize("NFKC", source)
    starts = [folded.start(pos) for pos in range(len(folded.text))]
    assert starts == sorted(starts)  # in order: mapped findings never cross
    for pos in range(1, len(folded.text) + 1):
        assert folded.end(pos) == starts[pos - 1] + 1 <= len(text)
    removed = sum(c in INVISIBLE for c in text)
    assert len(set(starts)) == len(text) - removed  # every visible character is reached


def _disguise(word: str, how: int) -> str:
    if how == 0:
        return word
    if how == 1:
        return _full_width(word)
    mark = INVISIBLE[how % len(INVISIBLE)]
    return word[:2] + mark + word[2:]


FILLER = st.sampled_from(["", " said ", ", and ", " met ", ".\n", " asked ", " — ", " hi "])
NAMES = st.sampled_from(["Lovelock", "Wrenfield", "Ada Lovelock", "ada_l", "twrenfield"])


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.tuples(FILLER, NAMES, st.integers(0, 7)), min_size=1, max_size=6),
)
def test_disguise_changes_nothing_but_the_offsets(
    parts: list[tuple[str, str, int]], people: CompiledRoster
) -> None:
    plain = "".join(filler + name for filler, name, _ in parts) + "."
    disguised = "".join(filler + _disguise(name, how) for filler, name, how in parts) + "."
    clear, hidden = (anonymise(t, roster=people, secret=b"t") for t in (plain, disguised))
    assert fold(hidden.text).text == clear.text
    assert [f.label for f in hidden.findings] == [f.label for f in clear.findings]
    previous = 0
    for mine, theirs in zip(hidden.findings, clear.findings, strict=True):
        assert previous <= mine.start < mine.end <= len(disguised)
        assert fold(disguised[mine.start : mine.end]).text == plain[theirs.start : theirs.end]
        previous = mine.end
