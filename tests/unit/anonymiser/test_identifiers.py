"""References of other shapes, addresses without a number, and surname-first headers."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise


def labelled(text: str, roster: CompiledRoster) -> list[tuple[str, str]]:
    note = anonymise(text, roster=roster, secret=b"t")
    return [(f.label, text[f.start : f.end]) for f in note.findings]


@pytest.mark.parametrize(
    "ref",
    [
        "INC-2024-07731",
        "QRS/COMP/24/0117",
        "CAD 240817-0093",
        "CL24/0561",
        "DTX/2023/41187",
        "PALS/LGH/2024/0912",  # an acronym first, then three groups
        "DatX 2024/33817",  # a year and a serial, after a system's name
        "2023/004417",
    ],
)
def test_references_by_shape(ref: str, empty_roster: CompiledRoster) -> None:
    assert ("MEDICAL_ID", ref) in labelled(f"Quote {ref} when you call.", empty_roster)


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("the police log number is 4471 of that night", "4471"),
        ("claim number 7781-22 went to Resolution", "7781-22"),
        ("crime ref 47/118822/24 was given", "47/118822/24"),
        ("ticket #55231 is still open", "55231"),
        ("my hospital number is RX4 55 2198, she said", "RX4 55 2198"),
    ],
)
def test_references_after_a_label(text: str, ref: str, empty_roster: CompiledRoster) -> None:
    assert ("MEDICAL_ID", ref) in labelled(text, empty_roster)


@pytest.mark.parametrize(
    "text",
    [
        "The FY 2024/25 plan and the ICB 2025-26 priorities.",
        "COVID-19 wave; NHS 111 calls; ISO 9001 audit; NEWS2 scores.",
        "The case for change was made in 2023.",
        "Budgets for 2024/25 and 2025/2026 were set.",
    ],
)
def test_ordinary_numbers_are_not_references(text: str, empty_roster: CompiledRoster) -> None:
    assert all(label != "MEDICAL_ID" for label, _ in labelled(text, empty_roster))


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Post it to Flat 3, Larch Court please.", "Flat 3, Larch Court"),
        (
            "She lives at Bramble Cottage, Mill Lane, Thornwick.",
            "Bramble Cottage, Mill Lane, Thornwick",
        ),
        (
            "Venue: Kestrel House, Ormond Road, Lowbridge, LB1 2AB",
            "Kestrel House, Ormond Road, Lowbridge",
        ),
        ("we meet at Hartwell House, Ormond Road from ten", "Hartwell House, Ormond Road"),
        ("Venue: The Old Forge, Mill Lane, Hexbury", "The Old Forge, Mill Lane, Hexbury"),
        (
            "Venue: Lecture Room 4, Kestrel Centre, Ormond Road, Lowbridge",
            "Lecture Room 4, Kestrel Centre, Ormond Road, Lowbridge",
        ),
    ],
)
def test_addresses_without_a_house_number(
    text: str, address: str, empty_roster: CompiledRoster
) -> None:
    note = anonymise(text, roster=empty_roster, secret=b"t")
    start = text.index(address)
    assert any(f.start <= start and f.end >= start + len(address) for f in note.findings)


def test_signature_address_block(empty_roster: CompiledRoster) -> None:
    text = "Kind regards\nSam\nPatient Safety Partner\n"
    text += "Kestrel House\nOrmond Road\nLowbridge\nLB1 2AB\n"
    found = labelled(text, empty_roster)
    for line in ("Kestrel House", "Ormond Road", "Lowbridge"):
        assert any(line in value for _, value in found), line
    assert ("POSTCODE", "LB1 2AB") in found
    assert not any("Partner" in value for _, value in found)


@pytest.mark.parametrize(
    "text",
    [
        "The Board, the Quality Committee and the Hub met.",
        "Thanks to the Team, and to the Chair, for the work.",
    ],
)
def test_lists_that_are_not_addresses(text: str, empty_roster: CompiledRoster) -> None:
    assert all(label != "ADDRESS" for label, _ in labelled(text, empty_roster))


def test_surname_first_headers_with_titles(empty_roster: CompiledRoster) -> None:
    text = (
        "From: Lowe, Dr K\nSent: 03 March 2025 10:02\n"
        "To: Quarrie, Mrs S; Ashdown, Amir; PSP Network\nCc: All members\nSubject: pack\n\nHi all"
    )
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert note.text.startswith("From: [name]\n")
    assert "To: [name]; [name]; PSP Network\nCc: All members\n" in note.text


def test_surname_title_initials_in_running_text(empty_roster: CompiledRoster) -> None:
    found = labelled("Sent on behalf of Okafor, Prof A. J. yesterday", empty_roster)
    assert ("PERSON", "Okafor, Prof A. J.") in found


def test_title_in_brackets_is_not_an_organisation(empty_roster: CompiledRoster) -> None:
    found = labelled("To: Lowe, Kate (Dr) <k.lowe@example.org>", empty_roster)
    assert ("PERSON", "Lowe, Kate") in found
    assert all(label != "ORGANISATION" for label, _ in found)
