"""People and places that no roster lists are found from cues and word data."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise


def found(text: str, roster: CompiledRoster) -> dict[str, str]:
    note = anonymise(text, roster=roster, secret=b"t")
    return {text[f.start : f.end]: f.label for f in note.findings}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The ward manager, Sister Mulligan, retired.", "Mulligan"),
        ("Dr Okafor explained the scan.", "Okafor"),
        ("Mrs K was on the ward.", "K"),
        ("my husband Jim was there", "Jim"),
        ("We met Tilly Voskuijlen at lunch.", "Tilly Voskuijlen"),
        ("thanks deepa for the notes", "deepa"),
    ],
)
def test_people_from_cues(text: str, name: str, empty_roster: CompiledRoster) -> None:
    assert name in found(text, empty_roster)


def test_titles_stay_outside(empty_roster: CompiledRoster) -> None:
    note = anonymise("Dr Okafor said so.", roster=empty_roster, secret=b"t")
    assert note.text == "Dr [name] said so."


@pytest.mark.parametrize(
    "text",
    [
        "I will be honest, calls rose sharply.",
        "Reading the two plans side by side helps.",
        "NHS England and the CQC published PSIRF guidance.",
        "Martha's Rule and the Oliver McGowan training came up.",
        "The chief nurse and the ICB quality team agreed.",
    ],
)
def test_ordinary_words_and_national_bodies_are_kept(
    text: str, empty_roster: CompiledRoster
) -> None:
    assert found(text, empty_roster) == {}


def test_places_and_organisations(empty_roster: CompiledRoster) -> None:
    names = found(
        "She moved from Basingstoke to Ward 7B at St Mary's, then Healthwatch Slough "
        "and the Pelham Medical Practice.",
        empty_roster,
    )
    assert names["Basingstoke"] == "LOCATION"
    assert names["Ward 7B"] == "LOCATION"
    assert names["St Mary's"] == "ORGANISATION"
    assert names["Healthwatch Slough"] == "ORGANISATION"
    assert names["Pelham Medical Practice"] == "ORGANISATION"


def test_initials_but_not_acronyms(empty_roster: CompiledRoster) -> None:
    names = found("JW (head of quality) said PSIRF and the ED were fine.", empty_roster)
    assert names == {"JW": "PERSON"}


def test_a_name_found_once_is_found_everywhere(empty_roster: CompiledRoster) -> None:
    text = "- Rowan Ward was calm.\nRowan: long waits at the desk."
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert "Rowan" not in note.text


def test_mentions_branches_and_bare_handles(empty_roster: CompiledRoster) -> None:
    text = (
        "@Abimbola: Citizens Advice Wokingham helped; mark_t99 posted. Citizens Advice is national."
    )
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert note.text == (
        "@[name]: [organisation] helped; [username] posted. Citizens Advice is national."
    )


def test_place_names_keep_their_first_word_and_acronyms_with_ampersands(
    empty_roster: CompiledRoster,
) -> None:
    text = "Mum (DOB 3/4/1931) was at Castle Hill, then A&E at the RD&E."
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert (
        note.text == "Mum (DOB [date of birth]) was at [location], then A&E at the [organisation]."
    )


def test_initials_in_a_list_are_not_a_heading(empty_roster: CompiledRoster) -> None:
    note = anonymise("Reported at the LRI, QGH and elsewhere.", roster=empty_roster, secret=b"t")
    assert note.text == "Reported at the [name], [name] and elsewhere."
    heading = "MINUTES OF THE QGH BOARD"
    assert anonymise(heading, roster=empty_roster, secret=b"t").text == heading


def test_a_common_word_after_title_and_first_name_is_a_surname(
    empty_roster: CompiledRoster,
) -> None:
    note = anonymise("a session with Dr Imogen Vale.", roster=empty_roster, secret=b"t")
    assert note.text == "a session with Dr [name]."


def test_a_place_that_reads_as_an_inflected_word(empty_roster: CompiledRoster) -> None:
    # "Hattering" is "hatter" + "ing" to the inflection rules, but no word list has it
    note = anonymise("caseloads in Hexley and Hattering.", roster=empty_roster, secret=b"t")
    assert note.text == "caseloads in [name] and [name]."
    kept = "We were Pottering about all day."
    assert anonymise(kept, roster=empty_roster, secret=b"t").text == kept


def test_contact_labels_weekdays_and_dispatch_logs_are_not_names(
    empty_roster: CompiledRoster,
) -> None:
    text = "Kind regards\nSam\nTel: 01632 960274\nWe are free on Thursdays. The CAD log review."
    note = anonymise(text, roster=empty_roster, secret=b"t")
    found = {text[f.start : f.end] for f in note.findings}
    assert not found & {"Tel", "Thursdays", "CAD"}, found
