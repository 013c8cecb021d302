"""The pipeline: merging, policy, pseudonyms, plugins, failure."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from pspn_core.errors import OperationError
from pspn_core.notes.anonymiser import (
    CompiledRoster,
    DetectionContext,
    Finding,
    NotesPolicy,
    anonymise,
    default_detectors,
    merge_findings,
)
from pspn_core.registries import DetectorRegistry


def test_merge_covers_the_union_without_overlap() -> None:
    merged = merge_findings(
        [
            Finding(0, 5, "PERSON", "a", 0.5),
            Finding(3, 9, "ORGANISATION", "b", 0.9),
            Finding(9, 12, "LOCATION", "c", 0.6),  # touching, not overlapping
            Finding(20, 22, "PERSON", "d", 0.7),
        ]
    )
    assert [(f.start, f.end, f.label) for f in merged] == [
        (0, 9, "ORGANISATION"),
        (9, 12, "LOCATION"),
        (20, 22, "PERSON"),
    ]


def test_policy_limits_labels(roster: CompiledRoster) -> None:
    text = "Christopher Wardlow (07700 900123) works at Royal Elmbridge NHS Foundation Trust."
    policy = NotesPolicy(redact=frozenset({"PHONE"}))
    note = anonymise(text, roster=roster, policy=policy)
    assert (
        note.text == "Christopher Wardlow ([phone]) works at Royal Elmbridge NHS Foundation Trust."
    )


def test_policy_is_strict() -> None:
    for bad in ({"replacement": "initials"}, {"colour": "red"}, {"review_below": 2}):
        with pytest.raises(ValidationError):
            NotesPolicy.model_validate(bad)


def test_pseudonyms_are_consistent_within_a_note(roster: CompiledRoster) -> None:
    text = "Christopher Wardlow spoke. Later Chris asked Femi. Femi agreed with CW."
    policy = NotesPolicy(replacement="pseudonym")
    note = anonymise(text, roster=roster, policy=policy, secret=b"one")
    by_text = {text[f.start : f.end]: f.replacement for f in note.findings}
    assert by_text["Christopher Wardlow"] == by_text["Chris"]
    assert by_text["Chris"].startswith("Member ")
    assert by_text["Femi"] != by_text["Chris"]


def test_people_off_the_roster_are_not_called_members(roster: CompiledRoster) -> None:
    policy = NotesPolicy(replacement="pseudonym")
    note = anonymise("Chris met Mrs Okafor.", roster=roster, policy=policy, secret=b"x")
    assert note.text == "Member A met Mrs Person A."


def test_pseudonyms_depend_on_the_secret(roster: CompiledRoster) -> None:
    text = " ".join(["Christopher Wardlow, Femi Adebayo-Clarke, Rebecca Ostrowska, Will Ashcombe."])
    policy = NotesPolicy(replacement="pseudonym")
    outputs = {
        anonymise(text, roster=roster, policy=policy, secret=bytes([n])).text for n in range(8)
    }
    assert len(outputs) > 1  # the letters are not assigned in order of appearance


def test_offsets_refer_to_the_input(roster: CompiledRoster) -> None:
    text = "Hello 👋 Christopher Wardlow, café at 9, call 07700 900123."
    note = anonymise(text, roster=roster)
    assert {text[f.start : f.end] for f in note.findings} == {"Christopher Wardlow", "07700 900123"}
    assert note.findings == tuple(sorted(note.findings))


class ShoutDetector:
    name = "shout"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        start = text.find("SECRET")
        if start >= 0:
            yield Finding(start, start + 6, "PERSON", self.name, 1.0)


class BrokenDetector:
    name = "broken"

    def detect(self, text: str, context: DetectionContext) -> Iterator[Finding]:
        raise RuntimeError("boom")


def test_plugin_detectors_add_to_the_built_ins(roster: CompiledRoster) -> None:
    registry = DetectorRegistry()
    for detector in default_detectors():
        registry.add(detector)
    registry.add(ShoutDetector())
    note = anonymise("SECRET met Chris", roster=roster, detectors=registry.detectors())
    assert note.text == "[name] met [name]"
    assert {f.detector for f in note.findings} == {"shout", "roster"}


def test_registry_refuses_duplicates_and_junk() -> None:
    registry = DetectorRegistry()
    registry.add(ShoutDetector())
    with pytest.raises(ValueError, match="registered twice"):
        registry.add(ShoutDetector())
    with pytest.raises(ValueError, match="name"):
        registry.add(object())  # type: ignore[arg-type]


def test_a_failing_detector_fails_closed(roster: CompiledRoster) -> None:
    with pytest.raises(OperationError, match="broken") as error:
        anonymise("Chris was here", roster=roster, detectors=[BrokenDetector()])
    assert "Chris" not in str(error.value)


def test_reprs_do_not_leak(roster: CompiledRoster) -> None:
    note = anonymise("Christopher Wardlow", roster=roster)
    assert "Wardlow" not in repr(note) + repr(note.findings) + repr(roster)


_SPANS = st.lists(
    st.tuples(st.integers(0, 60), st.integers(1, 12), st.sampled_from([0.4, 0.5, 0.9])),
    max_size=30,
)


@given(_SPANS)
def test_merged_findings_cover_the_union_apart_and_keep_the_strongest(
    spans: list[tuple[int, int, float]],
) -> None:
    findings = [Finding(a, a + n, "PERSON", f"d{i}", c) for i, (a, n, c) in enumerate(spans)]
    merged = merge_findings(findings)
    covered = {p for f in findings for p in range(f.start, f.end)}
    assert {p for f in merged for p in range(f.start, f.end)} == covered
    assert all(a.end <= b.start for a, b in itertools.pairwise(merged))  # sorted, apart
    for m in merged:
        inside = sorted((f for f in findings if m.start <= f.start < m.end), key=lambda f: f.start)
        assert m.confidence == max(f.confidence for f in inside)
        strongest = max(inside, key=lambda f: (f.confidence, f.end - f.start))
        assert m.detector == strongest.detector  # the first of equals, in reading order
