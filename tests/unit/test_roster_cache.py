"""A compiled roster is kept between commands: as plain data, privately, and only while valid."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pspn_core.notes.anonymiser import CompiledRoster, RosterEntry, anonymise, compile_roster
from pspn_core.notes.keys import KeyRing, new_key
from pspn_core.store import roster_cache
from pspn_core.store.roster_cache import RosterCache, roster_digest
from tests.unit.anonymiser.members import MEMBERS

NOTE = (
    "Chris W said Femi's trust (RBFT) should ask @chris_w and Siobhan O'Neill-Baptiste.\n"
    "hi grace! Will, do you agree? Becky from Royal Berkshire agreed; FAC too.\n"
)


def redacted(compiled: CompiledRoster) -> list[tuple[int, int, str, str]]:
    note = anonymise(NOTE, roster=compiled, secret=b"t", policy=None)
    return [(f.start, f.end, f.label, f.key) for f in note.findings]


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rosters were compiled, rather than read back."""
    calls: list[int] = []

    def counting(entries: list[RosterEntry]) -> CompiledRoster:
        calls.append(len(entries))
        return compile_roster(entries)

    monkeypatch.setattr(roster_cache, "compile_roster", counting)
    return calls


def test_a_roster_read_back_finds_exactly_what_the_compiled_one_does() -> None:
    compiled = compile_roster(MEMBERS)
    again = CompiledRoster.from_bytes(compiled.to_bytes())
    assert redacted(again) == redacted(compiled)
    assert redacted(compiled)  # the note does name members
    assert (again.size, again.initials, again.name_parts) == (
        compiled.size,
        compiled.initials,
        compiled.name_parts,
    )
    assert again.fuzzy_parts == compiled.fuzzy_parts


def test_an_empty_roster_round_trips() -> None:
    again = CompiledRoster.from_bytes(compile_roster([]).to_bytes())
    assert again.size == 0 and list(again.matches("anyone at all")) == []


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x80\x04garbage",  # a pickle is not read
        b"[]",
        b'{"format": 99}',
        b'{"format": 1, "size": 1, "norms": "ann", "labels": "SECRET", "keys": "k",'
        b' "key_numbers": "0", "modes": "0", "frequent": "0", "initials": [],'
        b' "name_parts": [], "fuzzy_parts": {}}',
        b'{"format": 1, "size": 1, "norms": "ann\\nbob", "labels": "PERSON", "keys": "k",'
        b' "key_numbers": "0", "modes": "0", "frequent": "0", "initials": [],'
        b' "name_parts": [], "fuzzy_parts": {}}',
    ],
)
def test_anything_else_is_refused_as_a_value_error(data: bytes) -> None:
    with pytest.raises(ValueError, match="roster"):
        CompiledRoster.from_bytes(data)


def test_the_second_compile_reads_the_file(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)
    first = cache.compile(MEMBERS)
    second = RosterCache(tmp_path).compile(MEMBERS)
    assert compiles == [len(MEMBERS)]
    assert redacted(second) == redacted(first)


def test_a_changed_roster_is_compiled_again(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)
    cache.compile(MEMBERS)
    newcomer = RosterEntry("Zebedee Quarrington", "zeb_q")
    compiled = cache.compile([*MEMBERS, newcomer])
    assert len(compiles) == 2
    keys = {variant.key for *_, variant in compiled.matches("ask zebedee quarrington")}
    assert keys == {"person:zebedee quarrington"}
    assert roster_digest(MEMBERS) != roster_digest([*MEMBERS, newcomer])
    assert roster_digest(MEMBERS) != roster_digest(list(reversed(MEMBERS)))  # order matters


def test_the_file_is_private(tmp_path: Path) -> None:
    cache = RosterCache(tmp_path)
    cache.compile(MEMBERS)
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700


def test_a_widened_folder_is_narrowed_again(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir(mode=0o755)
    (tmp_path / "cache").chmod(0o755)
    RosterCache(tmp_path).compile(MEMBERS)
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


def test_with_a_key_no_name_is_stored_in_plaintext(tmp_path: Path, compiles: list[int]) -> None:
    keys = KeyRing([new_key()], "test")
    cache = RosterCache(tmp_path, keys)
    cache.compile(MEMBERS)
    data = cache.path.read_bytes()
    assert b"wardlow" not in data.lower() and b"adebayo" not in data.lower()
    RosterCache(tmp_path, keys).compile(MEMBERS)
    assert len(compiles) == 1
    RosterCache(tmp_path, KeyRing([new_key()], "other")).compile(MEMBERS)  # wrong key: a miss
    RosterCache(tmp_path).compile(MEMBERS)  # encrypted, read without a key: a miss
    assert len(compiles) == 3


def test_a_file_others_could_change_is_not_trusted(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)
    cache.compile(MEMBERS)
    cache.path.chmod(0o666)
    RosterCache(tmp_path).compile(MEMBERS)  # the next command
    assert len(compiles) == 2
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600  # replaced by a private file


def test_a_damaged_file_is_compiled_again(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)
    first = cache.compile(MEMBERS)
    header, _, body = cache.path.read_bytes().partition(b"\n")
    cache.path.write_bytes(header + b"\n" + body[: len(body) // 2])
    again = RosterCache(tmp_path).compile(MEMBERS)  # the next command
    assert len(compiles) == 2
    assert redacted(again) == redacted(first)


def test_clear_removes_the_file(tmp_path: Path) -> None:
    cache = RosterCache(tmp_path)
    cache.compile(MEMBERS)
    cache.clear()
    assert not cache.path.exists()
    cache.clear()  # nothing to remove is fine


def test_a_server_keeps_the_roster_between_notes(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)  # one per process: pspn serve keeps it
    first = cache.compile(MEMBERS)
    cache.path.write_bytes(b"damaged")  # not read again while the roster is the same
    assert cache.compile(list(MEMBERS)) is first
    newcomer = RosterEntry("Zebedee Quarrington", "zeb_q")
    assert cache.compile([*MEMBERS, newcomer]) is not first
    assert len(compiles) == 2


def test_clear_forgets_the_roster_held_too(tmp_path: Path, compiles: list[int]) -> None:
    cache = RosterCache(tmp_path)
    first = cache.compile(MEMBERS)
    cache.clear()  # after an erasure: no name stays in the process either
    assert cache.compile(MEMBERS) is not first
    assert len(compiles) == 2


def test_an_unwritable_data_directory_still_compiles(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the folder should be")
    compiled = RosterCache(tmp_path).compile(MEMBERS)
    assert redacted(compiled) == redacted(compile_roster(MEMBERS))
