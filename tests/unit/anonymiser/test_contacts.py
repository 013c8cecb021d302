"""Contact details written to dodge filters, and handles no roster lists."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise


def labelled(text: str, roster: CompiledRoster) -> list[tuple[str, str]]:
    note = anonymise(text, roster=roster, secret=b"t")
    return [(f.label, text[f.start : f.end]) for f in note.findings]


@pytest.mark.parametrize(
    "phone",
    [
        "07700.900.461",
        "07700-900-461",
        "0 7 7 0 0 9 0 0 4 6 1",
        "+44 (0) 7700 900 461",
        "0044 7700 900461",
    ],
)
def test_phones_with_any_separator(phone: str, empty_roster: CompiledRoster) -> None:
    assert ("PHONE", phone) in labelled(f"Text me on {phone} later.", empty_roster)


@pytest.mark.parametrize(
    "text",
    [
        "Her NHS number 999 476 5914 was on the form.",
        "Meeting 12/03/2025 at 18:30, room 0.12.",
        "Reference 2025-01234-889 closed.",
    ],
)
def test_numbers_that_are_not_phones(text: str, empty_roster: CompiledRoster) -> None:
    assert all(label != "PHONE" for label, _ in labelled(text, empty_roster))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("mail me: kit.rowe @ example.org thanks", "kit.rowe @ example.org"),
        ("it's kit at example dot org", "kit at example dot org"),
        (
            "kit dot rowe (at) example (dot) nhs (dot) uk",
            "kit dot rowe (at) example (dot) nhs (dot) uk",
        ),
        ("try kit.rowe at example.net instead", "kit.rowe at example.net"),
        ("or tamsin at example.org", "tamsin at example.org"),
    ],
)
def test_spelt_out_email_addresses(text: str, address: str, empty_roster: CompiledRoster) -> None:
    assert ("EMAIL", address) in labelled(text, empty_roster)


@pytest.mark.parametrize(
    "text",
    [
        "we met at example.org last year",
        "look at the data. then decide",
        "I'm @ the office until five",
    ],
)
def test_at_in_ordinary_sentences(text: str, empty_roster: CompiledRoster) -> None:
    assert all(label != "EMAIL" for label, _ in labelled(text, empty_roster))


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("her username is sunflower on the forum", "sunflower"),
        ("posts as Marigold77 most nights", "Marigold77"),
        ("find her on Instagram as nightowl_nurse", "nightowl_nurse"),
        ("u/quietwardnurse replied", "u/quietwardnurse"),
        ("bluebird1962 replied first", "bluebird1962"),
        ("then SunnyDaysLass posted again", "SunnyDaysLass"),
        ("a local group, @LowbridgeParents, messaged her", "@LowbridgeParents"),
    ],
)
def test_handles_not_on_the_roster(text: str, handle: str, empty_roster: CompiledRoster) -> None:
    found = labelled(text, empty_roster)
    assert any(value == handle for _, value in found), found


@pytest.mark.parametrize(
    "text",
    [
        "service user feedback was good",
        "the user experience matters; account for it",
        "we use LinkedIn, PowerPoint and SharePoint",
        "COVID19 and NEWS2 scores; Band 7 posts",
    ],
)
def test_ordinary_words_are_not_handles(text: str, empty_roster: CompiledRoster) -> None:
    assert all(label != "USERNAME" for label, _ in labelled(text, empty_roster))


def test_guessed_handles_are_flagged(empty_roster: CompiledRoster) -> None:
    note = anonymise("bluebird1962 replied first", roster=empty_roster, secret=b"t")
    assert [(f.detector, f.confidence < 0.8) for f in note.findings] == [("handles", True)]


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("or text 07700 9OO 417 after six", "07700 9OO 417"),
        ("Mine is 07700 900 (four one seven) for urgent things", "07700 900 (four one seven)"),
        ("call 0118 496 0OO7.", "0118 496 0OO7"),
    ],
)
def test_numbers_disguised_with_letters_or_words(
    text: str, phone: str, empty_roster: CompiledRoster
) -> None:
    assert ("PHONE", phone) in labelled(text, empty_roster)


def test_room_numbers_and_codes_are_not_disguised_numbers(empty_roster: CompiledRoster) -> None:
    assert all(label != "PHONE" for label, _ in labelled("Room 101 OO; ring 0800 OK", empty_roster))
