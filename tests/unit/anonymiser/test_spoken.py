"""Identifiers and dates read out in a transcript, and dates of birth without a label."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, anonymise
from pspn_core.notes.anonymiser.birthdates import spoken_year


def labelled(text: str, roster: CompiledRoster, fmt: str = "auto") -> list[tuple[str, str]]:
    note = anonymise(text, roster=roster, secret=b"t", fmt=fmt)
    return [(f.label, text[f.start : f.end]) for f in note.findings]


@pytest.mark.parametrize(
    ("text", "label", "value"),
    [
        (
            "so the number is nine nine nine, four seven six, five nine one four, got that",
            "NHS_NUMBER",
            "nine nine nine, four seven six, five nine one four",
        ),
        (
            "ninety-nine, ninety-four, seventy-six, five nine one four it was",
            "NHS_NUMBER",
            "ninety-nine, ninety-four, seventy-six, five nine one four",
        ),
        (
            "call her on oh seven seven double oh, nine double oh, four six one.",
            "PHONE",
            "oh seven seven double oh, nine double oh, four six one",
        ),
        (
            "hospital number R for Romeo, T for Tango, three one one two nine",
            "MEDICAL_ID",
            "R for Romeo, T for Tango, three one one two nine",
        ),
        ("it's Kilo Lima four one one two, yes", "MEDICAL_ID", "Kilo Lima four one one two"),
        ("postcode L B seven, two Q T. On speaker", "POSTCODE", "L B seven, two Q T"),
        (
            "the log was two five zero three one four, dash zero one one seven, again",
            "MEDICAL_ID",
            "two five zero three one four, dash zero one one seven",
        ),
        (
            "number was L G I, zero four, seven seven, I think",
            "MEDICAL_ID",
            "L G I, zero four, seven seven",
        ),
    ],
)
def test_identifiers_read_out(
    text: str, label: str, value: str, empty_roster: CompiledRoster
) -> None:
    assert (label, value) in labelled(text, empty_roster, fmt="vtt")


def test_offsets_map_back_inside_a_transcript(empty_roster: CompiledRoster) -> None:
    cue = "00:00:01.000 --> 00:00:04.000\n<v Speaker>"
    text = f"WEBVTT\n\n{cue}it's nine nine nine four seven six five nine one four</v>\n"
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert "<v [name]>it's [NHS number]</v>" in note.text


def test_a_number_read_over_two_cues(empty_roster: CompiledRoster) -> None:
    text = (
        "WEBVTT\n\n1\n00:00:06.000 --> 00:00:09.000\n"
        "<v Speaker>the number was nine nine nine, four seven six,</v>\n\n"
        "2\n00:00:09.000 --> 00:00:12.000\n<v Speaker>five nine one four. That's it.</v>\n\n"
        "00:00:13.000 --> 00:00:15.000\n<v Speaker>One.</v>\n\n"
        "00:00:16.000 --> 00:00:19.000\n<v Speaker>Two three four five six seven.</v>\n"
    )
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert "was [NHS number],</v>" in note.text
    assert "\n2\n00:00:09.000 --> 00:00:12.000\n<v [name]>[NHS number]. That's" in note.text
    assert "<v [name]>One.</v>" in note.text  # an answer, not the start of a number


def test_a_number_word_in_a_voice_tag(empty_roster: CompiledRoster) -> None:
    cue = "00:00:0{}.000 --> 00:00:0{}.500\n<v Seven Okafor>{}</v>\n\n"
    text = "WEBVTT\n\n" + cue.format(1, 1, "so") + cue.format(2, 2, "nine nine nine four seven six")
    text += cue.format(3, 3, "five nine one four")
    note = anonymise(text, roster=empty_roster, secret=b"t")  # must not fail
    assert note.text.count("[NHS number]") == 2


@pytest.mark.parametrize(
    "text",
    [
        "one of them said two things and then three more",
        "we had twenty-five people, four apologies and one guest",
        "the first of June works for everyone",
        "one or two said the third of June was better",
        "00:01:02.000 --> 00:01:05.000\n<v A>one.\n\n00:01:06.000 --> 00:01:09.000",
    ],
)
def test_ordinary_numbers_are_kept(text: str, empty_roster: CompiledRoster) -> None:
    assert [f for f in labelled(text, empty_roster, fmt="vtt") if f[0] != "PERSON"] == []


def test_a_long_number_read_out_is_flagged(empty_roster: CompiledRoster) -> None:
    text = "nine four three, four seven six, five nine one eight"  # fails the NHS check
    note = anonymise(text, roster=empty_roster, secret=b"t", fmt="vtt")
    assert [(f.label, f.confidence) for f in note.findings] == [("MEDICAL_ID", 0.4)]


@pytest.mark.parametrize(
    ("words", "year"),
    [
        ("nineteen forty-eight", 1948),
        ("nineteen oh five", 1905),
        ("two thousand and five", 2005),
        ("1962", 1962),
        ("nineteen forty banana", None),
    ],
)
def test_spoken_years(words: str, year: int | None) -> None:
    assert spoken_year(words) == year


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "she was born on the third of May nineteen forty-eight, and",
            "third of May nineteen forty-eight",
        ),
        ("his birthday is the twenty-first of June", "twenty-first of June"),
        ("Mr P – 04.11.1950 – was seen on the ward", "04.11.1950"),
        ("the letter says 17/03/1939 and should say 1938", "17/03/1939"),
        ("Mrs J (2 March 1941) was moved twice", "2 March 1941"),
        ("She was born in 1962 and moved here later.", "1962"),
        ("aged 74, year of birth: 1950, lives alone", "1950"),
    ],
)
def test_dates_of_birth_without_a_label(
    text: str, value: str, empty_roster: CompiledRoster
) -> None:
    assert ("DATE_OF_BIRTH", value) in labelled(text, empty_roster)


@pytest.mark.parametrize(
    "text",
    [
        "Next meeting 12/03/2025 at 18:30.",
        "The incident on 2 March 2023 was reviewed.",
        "Version 1.2.3 of the form; 3.4.2024 deadline.",
        "the fifth of June meeting is cancelled",
    ],
)
def test_recent_dates_are_kept(text: str, empty_roster: CompiledRoster) -> None:
    assert labelled(text, empty_roster) == []


def test_long_past_dates_without_a_person_are_flagged(empty_roster: CompiledRoster) -> None:
    note = anonymise("The form said 17/03/1939.", roster=empty_roster, secret=b"t")
    assert [(f.label, f.confidence < 0.8) for f in note.findings] == [("DATE_OF_BIRTH", True)]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("the lady born in nineteen thirty-six you mentioned", "nineteen thirty-six"),
        ("he was born nineteen oh five, I think", "nineteen oh five"),
    ],
)
def test_a_year_of_birth_read_out(text: str, year: str, empty_roster: CompiledRoster) -> None:
    note = anonymise(text, roster=empty_roster, secret=b"t")
    assert [("DATE_OF_BIRTH", year)] == [
        (f.label, text[f.start : f.end]) for f in note.findings if f.label == "DATE_OF_BIRTH"
    ]


def test_a_decade_is_not_a_year_of_birth(empty_roster: CompiledRoster) -> None:
    note = anonymise("born in the nineteen fifties", roster=empty_roster, secret=b"t")
    assert note.findings == ()
