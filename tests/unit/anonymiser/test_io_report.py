"""Reading files safely, loading rosters, and reports that never show values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pspn_core.errors import InputError
from pspn_core.notes.anonymiser import (
    CompiledRoster,
    RosterEntry,
    anonymise,
    findings_to_json,
    findings_to_text,
    load_roster_file,
    read_note_file,
)


def test_reads_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes("\ufeffNotes – Tuesday".encode())
    assert read_note_file(path) == "Notes – Tuesday"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"caf\xe9 notes", "not valid UTF-8"),
        (b"  \n", "empty"),
        (b"x" * 101, "over the limit"),
    ],
)
def test_bad_notes_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as error:
        read_note_file(path, max_bytes=100)
    assert str(path) in str(error.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_note_file(tmp_path / "nope.vtt")


def test_roster_from_json_and_csv(tmp_path: Path) -> None:
    json_path = tmp_path / "roster.json"
    json_path.write_text(
        json.dumps(
            [{"name": "Ann Lee", "username": "annl", "organisation": "X", "aliases": ["Annie"]}]
        )
    )
    csv_path = tmp_path / "roster.csv"
    csv_path.write_text("Name,Username,Organisation,Aliases\nAnn Lee,annl,X,Annie;A.L.\n")
    assert load_roster_file(json_path) == [RosterEntry("Ann Lee", "annl", "X", ("Annie",))]
    assert load_roster_file(csv_path) == [RosterEntry("Ann Lee", "annl", "X", ("Annie", "A.L."))]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.json", '[{"username": "x"}]', "item 1: field 'name'"),
        ("r.json", '{"name": "x"}', "must be a list"),
        ("r.json", "[{,]", "line 1: invalid JSON"),
        ("r.csv", "user,org\nx,y\n", "line 1: a CSV roster needs a header"),
        ("r.csv", "name,username\nAnn,a\n,b\n", "line 3: field 'name'"),
        ("r.json", '[{"name": "A", "aliases": "B"}]', None),
    ],
)
def test_roster_errors_name_file_and_place(
    tmp_path: Path, name: str, content: str, message: str | None
) -> None:
    path = tmp_path / name
    path.write_text(content)
    if message is None:  # a single alias string is accepted
        assert load_roster_file(path)[0].aliases == ("B",)
        return
    with pytest.raises(InputError, match=message) as error:
        load_roster_file(path)
    assert str(path) in str(error.value)


def test_reports_never_contain_values(roster: CompiledRoster) -> None:
    text = "Christopher Wardlow (07700 900123, chris.w@example.org) from Royal Elmbridge."
    note = anonymise(text, roster=roster)
    rows = json.loads(findings_to_json(note.findings))
    assert set(rows[0]) == {"start", "end", "label", "detector", "confidence", "replacement"}
    assert [(r["start"], r["end"]) for r in rows] == [(f.start, f.end) for f in note.findings]
    report = findings_to_json(note.findings) + findings_to_text(note.findings)
    for value in ("Wardlow", "900123", "chris.w", "Elmbridge"):
        assert value not in report
    assert "PERSON" in findings_to_text(note.findings)
    assert "No findings" in findings_to_text(())
