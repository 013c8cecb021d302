"""Hospitals by short names, and the whole of a site's name."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, Finding, anonymise
from pspn_core.notes.anonymiser.hospitals import widen_sites


def redacted(text: str, roster: CompiledRoster) -> str:
    return anonymise(text, roster=roster, secret=b"t").text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "She went back to the General on Friday.",
            "She went back to the [organisation] on Friday.",
        ),
        ("We met at the Infirmary.", "We met at the [organisation]."),
    ],
)
def test_short_names_after_a_place_preposition(
    text: str, expected: str, empty_roster: CompiledRoster
) -> None:
    assert redacted(text, empty_roster) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in the General election we voted",
        "The General Manager and the Royal College agreed.",
        "to the Royal family's surprise",
    ],
)
def test_general_and_royal_as_ordinary_words(text: str, empty_roster: CompiledRoster) -> None:
    assert redacted(text, empty_roster) == text


@pytest.mark.parametrize(
    ("text", "found", "whole"),
    [
        ("moved to Marwick Community Hospital today", "Marwick", "Marwick Community Hospital"),
        ("then to the St Marwick Wing", "Marwick", "St Marwick Wing"),
        ("at the Royal Marwick since May", "Marwick", "Royal Marwick"),
        ("we met at Fairbeck Park", "Fairbeck", "Fairbeck Park"),
    ],
)
def test_half_a_site_name_is_not_left(text: str, found: str, whole: str) -> None:
    start = text.index(found)
    finding = Finding(start, start + len(found), "ORGANISATION", "roster", 0.9)
    (widened,) = widen_sites(text, [finding])
    assert text[widened.start : widened.end] == whole


def test_names_are_not_widened_by_titles_or_surnames() -> None:
    text = "ask Queen Marwick about it; Grace Park said so"
    start = text.index("Marwick")
    person = Finding(start, start + 7, "PERSON", "roster", 0.9)
    grace = Finding(text.index("Grace"), text.index("Grace") + 5, "PERSON", "roster", 0.9)
    assert widen_sites(text, [person, grace]) == [person, grace]


def test_a_name_before_hospital_is_a_site() -> None:
    text = "she was at Marwick Hospital"
    start = text.index("Marwick")
    (widened,) = widen_sites(text, [Finding(start, start + 7, "PERSON", "heuristics", 0.7)])
    assert (text[widened.start : widened.end], widened.label) == (
        "Marwick Hospital",
        "ORGANISATION",
    )


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("our guest is from the Lowmere Advocacy Project. Next", "Lowmere Advocacy Project"),
        ("sorry, it's Sam from Quillhaven Community", "Quillhaven Community"),
        ("I'm at University of Dorrington, happy to help", "University of Dorrington"),
        ("was that at Prince Aldwin's new unit?", "Prince Aldwin's"),
        ("Families in Hexbury and Amblecote Cross reported it", "Amblecote Cross"),
    ],
)
def test_the_whole_of_a_body_or_place_name(
    text: str, whole: str, empty_roster: CompiledRoster
) -> None:
    note = anonymise(text, roster=empty_roster, secret=b"t")
    start = text.index(whole)
    assert any(f.start <= start and f.end >= start + len(whole) for f in note.findings), whole


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quick update: Dorr Royal has agreed.", "Quick update: [organisation] has agreed."),
        ("the Princess Royal visited", "the Princess Royal visited"),
        (
            "did you hear back from dorr royal? ok. yes. no.",
            "did you hear back from [organisation]? ok. yes. no.",
        ),
    ],
)
def test_a_short_form_and_royal(text: str, expected: str, empty_roster: CompiledRoster) -> None:
    assert anonymise(text, roster=empty_roster, secret=b"t").text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We went there and then the Royal Oak.", "We went there and then the [organisation]."),
        ("we went to the Royal Birchfold on Friday", "we went to the [organisation] on Friday"),
        ("the Royal Mail strike.", "the Royal Mail strike."),
        ("Thanks to the Royal College of Nursing.", "Thanks to the Royal College of Nursing."),
    ],
)
def test_the_royal_and_a_name(text: str, expected: str, empty_roster: CompiledRoster) -> None:
    assert anonymise(text, roster=empty_roster, secret=b"t").text == expected
