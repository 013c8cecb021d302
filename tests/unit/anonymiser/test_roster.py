"""Members are caught in every form their names take in real notes."""

from __future__ import annotations

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, RosterEntry, anonymise, compile_roster


def found(text: str, roster: CompiledRoster) -> set[str]:
    note = anonymise(text, roster=roster, secret=b"t")
    return {text[f.start : f.end] for f in note.findings}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Thanks to Christopher Wardlow for chairing.", "Christopher Wardlow"),
        ("WARDLOW, Christopher joined late.", "WARDLOW, Christopher"),
        ("I agree with Chris on this.", "Chris"),  # nickname from the nicknames dataset
        ("Bex said the same.", "Bex"),
        ("then Wardlow disagreed", "Wardlow"),
        ("hi ostrowska, welcome", "ostrowska"),  # lower case
        ("Present: Chris W, Femi A", "Chris W"),
        ("It was Siobhan O'Neill-Baptiste again.", "Siobhan O'Neill-Baptiste"),
        ("as Adebayo-Clarke put it", "Adebayo-Clarke"),
        ("ask @chris_w first", "@chris_w"),
        ("user will.ashcombe posted", "will.ashcombe"),
    ],
)
def test_member_forms(text: str, name: str, roster: CompiledRoster) -> None:
    assert name in found(text, roster)


def test_possessive_stays_outside(roster: CompiledRoster) -> None:
    text = "Femi's point was good."
    note = anonymise(text, roster=roster, secret=b"t")
    assert note.text == "[name]'s point was good."


def test_initials_of_members(roster: CompiledRoster) -> None:
    assert {"CW", "FA-C"} <= found("CW agreed; FA-C to follow up.", roster)


def test_names_that_are_words_need_context(roster: CompiledRoster) -> None:
    assert "Will" in found("Will, do you want to go next?", roster)
    assert "Will" in found("Thanks Will for that.", roster)
    assert "Will" not in found("Will do. I will be honest.", roster)


def test_transcript_misspelling_within_bound(roster: CompiledRoster) -> None:
    assert "ostrowsky" in found("ok ostrowsky your hand is up", roster)
    assert "famous" not in found("ok famous your hand is up", roster)


def test_organisation_and_its_short_forms(roster: CompiledRoster) -> None:
    text = (
        "At RENFT (Royal Elmbridge) we use the same form as Royal Elmbridge NHS Foundation Trust."
    )
    names = found(text, roster)
    assert {"RENFT", "Royal Elmbridge", "Royal Elmbridge NHS Foundation Trust"} <= names


def test_national_bodies_are_kept_even_as_member_organisations(roster: CompiledRoster) -> None:
    assert found("Patient Safety Learning ran the session.", roster) == set()


def test_compile_is_reusable_and_empty_roster_works() -> None:
    compiled = compile_roster([RosterEntry("Anna Lisowska")])
    assert anonymise("Anna Lisowska said hi", roster=compiled).text.startswith("[name]")
    assert compile_roster([]).size == 0


def test_lower_case_names_that_are_words_only_when_addressed() -> None:
    compiled = compile_roster([RosterEntry("Grace Osei"), RosterEntry("Will Ashdown")])
    assert anonymise("hi grace! thanks will, see you", roster=compiled).text == (
        "hi [name]! thanks [name], see you"
    )
    kept = "thanks, will do. a grace period."
    assert anonymise(kept, roster=compiled).text == kept
