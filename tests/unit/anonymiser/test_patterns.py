"""Contact details and identifiers are found in the formats people write them."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise, nhs_number_is_valid


def labelled(text: str, roster: CompiledRoster) -> list[tuple[str, str]]:
    note = anonymise(text, roster=roster, secret=b"t")
    return [(f.label, text[f.start : f.end]) for f in note.findings]


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("9990000018", True), ("9994765914", True), ("9994765915", False), ("123", False)],
)
def test_nhs_number_check_digit(digits: str, valid: bool) -> None:
    assert nhs_number_is_valid(digits) is valid


@pytest.mark.parametrize("number", ["999 476 5914", "999-476-5914", "9994765914"])
def test_nhs_numbers_in_any_spacing(number: str, empty_roster: CompiledRoster) -> None:
    assert ("NHS_NUMBER", number) in labelled(f"Her NHS no. {number} was wrong.", empty_roster)


def test_ten_digits_failing_the_check_need_context(empty_roster: CompiledRoster) -> None:
    assert labelled("Order 9994765915 arrived.", empty_roster) == []
    found = labelled("NHS number 999 476 5915 (typo?)", empty_roster)
    assert ("NHS_NUMBER", "999 476 5915") in found


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900842",
        "+44 7700 900577",
        "(0118) 496 0372",
        "020 7946 0123",
        "01632 960 215",
        "+44 (0)20 7946 0000",
    ],
)
def test_uk_phone_formats(phone: str, empty_roster: CompiledRoster) -> None:
    assert ("PHONE", phone) in labelled(f"Ring me on {phone} after six.", empty_roster)


def test_extension_keeps_its_label_outside(empty_roster: CompiledRoster) -> None:
    assert ("PHONE", "34120") in labelled("PALS is on ext. 34120 today.", empty_roster)


def test_email_url_postcode_and_handle(empty_roster: CompiledRoster) -> None:
    text = (
        "Write to priya.n@trust.example.nhs.uk or see "
        "https://forum.example.org/profile/2214-priyan/ and post to @graceos; RG4 7PE."
    )
    found = labelled(text, empty_roster)
    assert ("EMAIL", "priya.n@trust.example.nhs.uk") in found
    assert ("URL", "https://forum.example.org/profile/2214-priyan/") in found
    assert ("USERNAME", "@graceos") in found
    assert ("POSTCODE", "RG4 7PE") in found


def test_national_pages_are_kept(empty_roster: CompiledRoster) -> None:
    text = "Guidance: https://www.england.nhs.uk/patient-safety/framework/ is useful."
    assert labelled(text, empty_roster) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("DOB 04/09/1938, admitted", "04/09/1938"),
        ("her date of birth, 2 January 1943, on every page", "2 January 1943"),
        ("she was born in 1938 in Leeds", "1938"),
        ("date of birth (1.3.97) shown", "1.3.97"),
    ],
)
def test_dates_of_birth(text: str, value: str, empty_roster: CompiledRoster) -> None:
    assert ("DATE_OF_BIRTH", value) in labelled(text, empty_roster)


def test_meeting_dates_are_kept(empty_roster: CompiledRoster) -> None:
    assert labelled("Next meeting: Tuesday 12 March 2024 at 18:30.", empty_roster) == []


@pytest.mark.parametrize("ref", ["K0487213", "W-204418", "DVH 0731995"])
def test_hospital_numbers(ref: str, empty_roster: CompiledRoster) -> None:
    assert ("MEDICAL_ID", ref) in labelled(f"Hospital number {ref} on the letter.", empty_roster)


def test_complaint_reference_includes_service(empty_roster: CompiledRoster) -> None:
    assert ("MEDICAL_ID", "PALS 21-0874") in labelled("see PALS 21-0874 for details", empty_roster)


def test_address_and_postcode_are_separate(empty_roster: CompiledRoster) -> None:
    found = labelled("Send it to Flat 2, 18 Marine Parade, Worthing, BN11 3PT.", empty_roster)
    assert ("ADDRESS", "Flat 2, 18 Marine Parade, Worthing") in found
    assert ("POSTCODE", "BN11 3PT") in found


def test_long_transcripts_keep_offsets(empty_roster: CompiledRoster) -> None:
    cue = "00:00:01.000 --> 00:00:02.000\n<v Speaker>we talked about the plan again</v>\n\n"
    text = "WEBVTT\n\n" + cue * 400 + "00:09:00.000 --> 00:09:01.000\n"
    text += "<v Speaker>ring 07700 900461 or NHS no. 999 476 5914</v>\n\n" + cue * 400
    assert len(text) > 20_000
    found = labelled(text, empty_roster)
    assert ("PHONE", "07700 900461") in found
    assert ("NHS_NUMBER", "999 476 5914") in found


def test_lower_case_postcode(empty_roster: CompiledRoster) -> None:
    assert ("POSTCODE", "rg4 7pe") in labelled("send it to rg4 7pe please", empty_roster)
