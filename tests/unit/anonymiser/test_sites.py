"""Hard cases: sites named with ordinary words, dashed signatures, names opening a sentence."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise


def redacted(text: str, roster: CompiledRoster) -> str:
    return anonymise(text, roster=roster, secret=b"t").text


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("She was transferred to Kings Mill on Tuesday.", "Kings Mill"),
        ("We met at the Grange last week.", "Grange"),
        ("I'll call you re Hollow Park visit", "Hollow Park"),
        ("She was treated at the Royal Free in 2021.", "Royal Free"),
        ("At Stoneleigh Manor we did things differently.", "Stoneleigh Manor"),
    ],
)
def test_site_short_names_after_a_preposition(
    text: str, site: str, empty_roster: CompiledRoster
) -> None:
    out = redacted(text, empty_roster)
    assert not any(word in out for word in site.split())
    assert out.count("[") == 1  # the site only, in one piece


@pytest.mark.parametrize(
    "text",
    [
        "The paper went to the Board in March.",
        "We took it to the Quality Committee and then to Teams.",
        "See you at the Hub at Christmas.",
        "I raised it in the Patient Safety Group.",
        "Sent to the Chief Nurse, then to the Coroner.",
        "The facilitator thanked the Co-chairs. Link to the slides below.",
    ],
)
def test_generic_bodies_rooms_and_roles_are_kept(text: str, empty_roster: CompiledRoster) -> None:
    assert redacted(text, empty_roster) == text


def test_a_dashed_signature_line_is_a_name(empty_roster: CompiledRoster) -> None:
    text = "shout if i got anything wrong\n– bex\n"
    assert redacted(text, empty_roster) == "shout if i got anything wrong\n– [name]\n"


def test_a_dashed_role_line_is_kept(empty_roster: CompiledRoster) -> None:
    assert redacted("see below\n– Actions\n", empty_roster) == "see below\n– Actions\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jack developed sepsis overnight.", "[name] developed sepsis"),
        ("Grace told the panel what happened.", "[name] told the panel"),
    ],
)
def test_a_first_name_opening_a_story_sentence(
    text: str, expected: str, empty_roster: CompiledRoster
) -> None:
    assert redacted(text, empty_roster).startswith(expected)


def test_an_ordinary_word_opening_a_sentence_is_kept(empty_roster: CompiledRoster) -> None:
    text = "Will do. Mark the date in your diary."
    assert redacted(text, empty_roster) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ask on Rowan ward first.", "Ask on [location] first."),
        ("Ask on Rowan Ward first.", "Ask on [location] first."),
        ("She is on the surgical ward.", "She is on the surgical ward."),
    ],
)
def test_a_ward_named_in_lower_case_and_the_preposition_before_it(
    text: str, expected: str, empty_roster: CompiledRoster
) -> None:
    assert redacted(text, empty_roster) == expected


def test_a_saint_hospital_in_a_lower_case_note(empty_roster: CompiledRoster) -> None:
    text = "we saw the consultant at st bede's and the first patient's notes"
    assert redacted(text, empty_roster) == (
        "we saw the consultant at [organisation] and the first patient's notes"
    )
