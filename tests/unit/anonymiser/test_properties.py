"""Properties that must hold for any text (hypothesis)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pspn_core.notes.anonymiser import AnonymisedNote, CompiledRoster, NotesPolicy, anonymise
from tests.unit.anonymiser.members import MEMBERS

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FILLER = st.text(
    alphabet=st.sampled_from("abcdefghij KLMNOP qrstuvwxyz0123456789 .,;!?\n\t()<>[]:/é👋"),
    max_size=80,
)
NAMES = [m.name for m in MEMBERS] + [m.name.split()[-1] for m in MEMBERS]
NAMES += [m.username for m in MEMBERS]


def _check_spans(text: str, note: AnonymisedNote) -> None:
    previous_end = 0
    for f in note.findings:
        assert 0 <= previous_end <= f.start < f.end <= len(text)
        assert not text[f.start].isspace() and not text[f.end - 1].isspace()
        previous_end = f.end


@SETTINGS
@given(text=st.text(max_size=400))
def test_never_raises_and_spans_are_sound(text: str, roster: CompiledRoster) -> None:
    note = anonymise(text, roster=roster)
    _check_spans(text, note)


@SETTINGS
@given(
    text=st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
    fmt=st.sampled_from(["text", "vtt", "teams-chat", "email"]),
)
def test_every_format_and_pseudonyms_are_sound(text: str, fmt: str, roster: CompiledRoster) -> None:
    policy = NotesPolicy(replacement="pseudonym")
    note = anonymise("WEBVTT\n\n<v " + text + ">" + text, roster=roster, fmt=fmt, policy=policy)
    _check_spans("WEBVTT\n\n<v " + text + ">" + text, note)


@SETTINGS
@given(before=FILLER, name=st.sampled_from(NAMES), after=FILLER)
def test_roster_names_in_random_text_are_caught(
    before: str, name: str, after: str, roster: CompiledRoster
) -> None:
    text = f"{before} {name} {after}"
    start = len(before) + 1
    note = anonymise(text, roster=roster)
    covered = [f for f in note.findings if f.start <= start and f.end >= start + len(name)]
    assert covered, f"{name!r} not caught"


@SETTINGS
@given(before=FILLER, name=st.sampled_from(NAMES), after=FILLER)
def test_output_contains_no_found_value(
    before: str, name: str, after: str, roster: CompiledRoster
) -> None:
    text = f"{before} {name} {after}"
    note = anonymise(text, roster=roster)
    blanked = list(text)
    for f in note.findings:
        blanked[f.start : f.end] = ["\0"] * (f.end - f.start)
    outside = "".join(blanked)
    tags = " ".join(f.replacement for f in note.findings)
    for f in note.findings:
        value = text[f.start : f.end]
        if len(value) < 3:
            continue
        pattern = re.compile(r"(?<!\w)" + re.escape(value) + r"(?!\w)")
        allowed = len(pattern.findall(outside)) + len(pattern.findall(tags))
        assert len(pattern.findall(note.text)) <= allowed, value


# pieces of what the newer detectors look for, so that their edge cases meet often
CUES = st.lists(
    st.sampled_from(
        [
            "nine",
            "oh",
            "double",
            "K",
            "for",
            "Kilo",
            "the",
            "third",
            "of",
            "May",
            "June",
            "nineteen",
            "forty-eight",
            "born",
            "\n",
            "00:00:01.000 --> 00:00:02.000\n",
            "<v Seven Okafor>",
            "</v>",
            "|",
            "| Owner |",
            "---",
            ",",
            ".",
            "@",
            "at",
            "dot",
            "org",
            "Flat 3",
            "Road",
            "House",
            "LB1 2AB",
            "07700",
            "900.123",
            "INC-2025-0123",
            "Lowe, Dr K",
            "From:",
            "Present:",
            "Grace",
            "will",
            "user",
            "bluebird62",
            "aB",
            "the General",
            "Hospital",
            "17/03/1939",
            " ",
        ]
    ),
    max_size=60,
).map(" ".join)


@SETTINGS
@given(text=CUES, fmt=st.sampled_from(["auto", "vtt", "email"]))
def test_cue_soup_never_fails(text: str, fmt: str, roster: CompiledRoster) -> None:
    note = anonymise(text, roster=roster, fmt=fmt)
    _check_spans(text, note)


@pytest.mark.parametrize(
    "text",
    [
        "[18:00] A" + "\t" * 100_000 + "(Guest)\n",
        "From: " + "a;" * 50_000 + "\n",
        "WEBVTT\n\n<v " + "x " * 50_000,
        "'" * 50_000 + "A'" * 25_000,
        " " * 100_000 + "Will said",
        "Ab " * 30_000 + ":",
        "On " + "x," * 50_000 + " wrote:",
        "12 " + "Abc " * 25_000,
        "0" * 100_000,
        "aB" * 50_000,
        "ab" * 50_000 + "12",
        "| June | May |\n" * 20_000,
        "Ab" * 20_000 + "x, Mill Road,\n",
        "nine " * 30_000,
        "K for Kilo, " * 10_000,
        "a dot " * 20_000 + "at x dot org",
    ],
    ids=[
        "tabs",
        "semicolons",
        "voice",
        "apostrophes",
        "blanks",
        "label",
        "wrote",
        "address",
        "digits",
        "camel",
        "letters-then-digits",
        "table",
        "capitals-before-road",
        "spoken-digits",
        "spelt-letters",
        "spelt-dots",
    ],
)
def test_pathological_inputs_stay_linear(text: str, roster: CompiledRoster) -> None:
    started = time.perf_counter()
    anonymise(text, roster=roster)
    assert time.perf_counter() - started < 5  # quadratic backtracking would take minutes
