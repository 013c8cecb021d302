"""Meetings through the CLI on the embedded forum: plan, rota, move, cancel, publish, ICS."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from pspn_adapters.local import LocalHub
from tests.conftest import Cli

JAN = "pspn-pspn-20270112@pspn"
FEB = "pspn-pspn-20270209@pspn"


@pytest.fixture
def hub(run: Cli) -> Cli:
    """The example hub set up with four members, three of whom volunteer to chair."""
    run("networks", "setup")
    for username, name in (
        ("ada_l", "Ada Lovelock"),
        ("bram_s", "Bram Stokeley"),
        ("cleo_w", "Cleo Wainwright"),
        ("dev_p", "Dev Patelson"),
    ):
        assert run("members", "add", username, "--name", name).exit_code == 0
    run("members", "volunteer", "ada_l")
    run("members", "volunteer", "bram_s", "--slot", "evening")
    run("members", "volunteer", "cleo_w", "--slot", "daytime")
    return run


def plan(run: Cli, *extra: str) -> list[dict[str, object]]:
    result = run(
        "meetings", "plan", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json", *extra
    )
    assert result.exit_code == 0, result.output
    data: list[dict[str, object]] = json.loads(result.output)
    return data


def events(hub_dir: Path) -> list[tuple[str, str, int, str]]:
    hub = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        return [(e.key, e.status, e.revision, e.start_utc) for e in hub.events("PSPN meetings")]
    finally:
        hub.close()


def test_plan_is_stored_fair_and_idempotent(hub: Cli) -> None:
    first = plan(hub)
    assert len(first) == 11
    assert first[0]["uid"] == JAN
    assert first[0]["start"] == "2027-01-12T18:30:00+00:00"
    assert first[5]["start"] == "2027-06-08T12:30:00+01:00"
    assert {m["status"] for m in first} == {"planned"}
    chairs = [m["chair"] for m in first]
    assert None not in chairs
    for earlier, later in pairwise(chairs):
        assert earlier != later
    for meeting in first:
        if meeting["slot"] == "evening":
            assert meeting["chair"] != "Cleo Wainwright"
        else:
            assert meeting["chair"] != "Bram Stokeley"
    assert plan(hub) == first


def test_a_meeting_no_volunteer_can_chair_is_planned_without_a_chair(run: Cli) -> None:
    run("networks", "setup")
    run("members", "add", "cleo_w", "--name", "Cleo Wainwright")
    run("members", "volunteer", "cleo_w", "--slot", "daytime")
    result = run("meetings", "plan", "--from", "2027-01-01", "--to", "2027-03-31")
    assert "no chair" in result.output
    data = plan(run)
    assert [m["chair"] for m in data[:3]] == [None, "Cleo Wainwright", None]


def test_volunteering_for_an_unknown_slot_is_refused(hub: Cli) -> None:
    result = hub("members", "volunteer", "dev_p", "--slot", "breakfast")
    assert result.exit_code == 2
    assert "daytime, evening" in result.output


def test_publish_move_cancel_keep_one_event_per_meeting(hub: Cli, hub_dir: Path) -> None:
    plan(hub)
    assert "Published 11" in hub("meetings", "publish").output
    assert "up to date" in hub("meetings", "publish").output
    before = {key: (status, rev, start) for key, status, rev, start in events(hub_dir)}
    assert len(before) == 11

    moved = hub("meetings", "move", FEB, "--to", "2027-02-16T12:30")
    assert moved.exit_code == 0, moved.output
    cancelled = hub("meetings", "cancel", JAN, "--reason", "Room booked twice")
    assert cancelled.exit_code == 0, cancelled.output

    after = {key: (status, rev, start) for key, status, rev, start in events(hub_dir)}
    assert len(after) == 11
    assert after[FEB] == ("confirmed", 1, "2027-02-16T12:30:00+00:00")
    assert after[JAN][0] == "cancelled"
    assert "up to date" in hub("meetings", "publish").output

    data = {m["uid"]: m for m in plan(hub)}
    assert data[FEB]["sequence"] == 1 and data[FEB]["status"] == "moved"
    assert data[JAN]["sequence"] == 1 and data[JAN]["status"] == "cancelled"
    assert hub("meetings", "cancel", JAN).exit_code == 1
    assert hub("meetings", "move", JAN, "--to", "2027-01-19T18:30").exit_code == 1


def test_impossible_local_times_are_refused(hub: Cli) -> None:
    plan(hub)
    gap = hub("meetings", "move", FEB, "--to", "2027-03-28T01:30")
    assert gap.exit_code == 2 and "does not exist" in gap.output
    twice = hub("meetings", "move", FEB, "--to", "2027-10-31T01:30")
    assert twice.exit_code == 2 and "happens twice" in twice.output


def test_ics_is_read_back_with_every_meeting_at_its_utc_time(hub: Cli, tmp_path: Path) -> None:
    planned = plan(hub)
    hub("meetings", "move", FEB, "--to", "2027-02-16T12:30", "--no-publish")
    hub("meetings", "cancel", JAN, "--no-publish")
    out = tmp_path / "pspn.ics"
    assert hub("meetings", "ics", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert b"\r\n" in raw and b"TZID=Europe/London" in raw
    calendar = icalendar.Calendar.from_ical(raw)
    found = recurring_ical_events.of(calendar).between(datetime(2027, 1, 1), datetime(2028, 1, 1))
    by_uid = {str(e["UID"]): e for e in found}
    assert set(by_uid) == {str(m["uid"]) for m in planned}
    for meeting in planned:
        event = by_uid[str(meeting["uid"])]
        start = event.decoded("DTSTART").astimezone(UTC)
        if meeting["uid"] == FEB:
            assert start == datetime(2027, 2, 16, 12, 30, tzinfo=UTC)
            assert int(event["SEQUENCE"]) == 1
        else:
            expected = datetime.fromisoformat(str(meeting["start"])).astimezone(UTC)
            assert start == expected
    assert str(by_uid[JAN]["STATUS"]) == "CANCELLED"


def test_topics_votes_and_the_agenda(hub: Cli) -> None:
    plan(hub)
    hub("topics", "raise", "PSIRF engagement", "--by", "ada_l")
    hub("topics", "raise", "Martha's rule posters")
    hub("topics", "raise", "Paying partners")
    hub("topics", "raise", "Induction packs")
    for voter in ("bram_s", "cleo_w"):
        assert hub("topics", "vote", "3", "--by", voter).exit_code == 0
    assert hub("topics", "vote", "2", "--by", "dev_p").exit_code == 0
    again = hub("topics", "vote", "3", "--by", "bram_s")
    assert again.exit_code == 1 and "one vote each" in again.output
    assert hub("topics", "vote", "3", "--by", "nobody").exit_code == 1

    listed = json.loads(hub("topics", "list", "--format", "json").output)
    assert [t["id"] for t in listed] == [3, 2, 1, 4]
    result = hub("meetings", "agenda", JAN)
    assert result.exit_code == 0
    lines = [line.strip("- ").strip() for line in result.output.splitlines()[1:]]
    assert lines == ["Paying partners", "Martha's rule posters", "PSIRF engagement"]
    remaining = json.loads(hub("topics", "list", "--format", "json").output)
    assert [t["id"] for t in remaining] == [4]
    meetings = {m["uid"]: m for m in plan(hub)}
    assert meetings[JAN]["agenda"] == lines
    assert meetings[JAN]["sequence"] == 1
    kept = hub("meetings", "agenda", JAN)
    assert "already has its agenda" in kept.output


def plan_2031(run: Cli) -> list[dict[str, object]]:
    """A year far enough ahead that every meeting is still to be held."""
    result = run(
        "meetings", "plan", "--from", "2031-01-01", "--to", "2031-12-31", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    data: list[dict[str, object]] = json.loads(result.output)
    return data


def listed(run: Cli) -> dict[str, dict[str, object]]:
    return {
        str(m["uid"]): m for m in json.loads(run("meetings", "list", "--format", "json").output)
    }


def test_a_meeting_is_handed_to_another_chair(hub: Cli, hub_dir: Path) -> None:
    planned = plan_2031(hub)
    hub("meetings", "publish")
    daytime = next(m for m in planned if m["slot"] == "daytime")
    uid = str(daytime["uid"])

    refused = hub("meetings", "chair", uid, "--to", "bram_s")
    assert refused.exit_code == 1
    assert "bram_s does not volunteer to chair daytime meetings" in refused.output
    assert "--force" in refused.output
    assert hub("meetings", "chair", uid, "--to", "nobody").exit_code != 0

    handed = hub("meetings", "chair", uid, "--to", "bram_s", "--force")
    assert handed.exit_code == 0, handed.output
    after = listed(hub)
    assert after[uid]["chair"] == "Bram Stokeley"
    assert after[uid]["sequence"] == 1
    assert {k: v for k, v in after.items() if k != uid} == {
        str(m["uid"]): m for m in planned if m["uid"] != uid
    }
    published = {key: revision for key, _, revision, _ in events(hub_dir)}
    assert published[uid] == 1

    again = hub("meetings", "chair", uid, "--to", "bram_s", "--force")
    assert again.exit_code == 1 and "already chairs" in again.output
    hub("meetings", "cancel", uid)
    cancelled = hub("meetings", "chair", uid, "--to", "ada_l")
    assert cancelled.exit_code == 1 and "cancelled" in cancelled.output


def test_a_past_meeting_keeps_its_chair(hub: Cli) -> None:
    hub("meetings", "plan", "--from", "2026-01-01", "--to", "2026-03-31")
    past = next(iter(listed(hub)))
    result = hub("meetings", "chair", past, "--to", "ada_l")
    assert result.exit_code == 1 and "only meetings not yet held" in result.output


@pytest.mark.parametrize("who", [("ada_l",), ()], ids=["named", "whoever-stopped"])
def test_reassign_runs_the_rota_again_without_someone_who_stopped(
    hub: Cli, hub_dir: Path, who: tuple[str, ...]
) -> None:
    hub("members", "volunteer", "dev_p")
    planned = plan_2031(hub)
    hub("meetings", "publish")
    first_ada = next(i for i, m in enumerate(planned) if m["chair"] == "Ada Lovelock")
    assert hub("members", "volunteer", "ada_l", "--stop").exit_code == 0

    result = hub("meetings", "reassign", *who)
    assert result.exit_code == 0, result.output
    after = [listed(hub)[str(m["uid"])] for m in planned]
    chairs = [m["chair"] for m in after]
    assert after[:first_ada] == planned[:first_ada]
    assert "Ada Lovelock" not in chairs
    assert all(earlier != later for earlier, later in pairwise(chairs))
    for meeting in after:
        able = {
            "daytime": {"Cleo Wainwright", "Dev Patelson"},
            "evening": {"Bram Stokeley", "Dev Patelson"},
        }
        assert meeting["chair"] in able[str(meeting["slot"])]
    changed = {str(m["uid"]) for m, old in zip(after, planned, strict=True) if m != old}
    assert changed
    assert all(listed(hub)[uid]["sequence"] == 1 for uid in changed)
    assert f"{len(changed)} meeting(s) have a new chair" in result.output
    revisions = {key: revision for key, _, revision, _ in events(hub_dir)}
    assert {key for key, revision in revisions.items() if revision == 1} == changed
    assert "0 meeting(s)" in hub("meetings", "reassign", *who).output


def test_move_and_cancel_find_the_network_from_the_uid(hub: Cli, hub_dir: Path) -> None:
    """Issue 14 item 12: on a hub with several networks the UID names its network."""
    plan(hub)
    config = hub_dir / "pspn.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[networks.north]\nname = "North Network"\n'
        + 'forum = { group = "north-network", notes_area = "North notes", '
        + 'calendar = "North meetings" }\n',
        encoding="utf-8",
    )
    assert hub("networks", "setup").exit_code == 0
    moved = hub("meetings", "move", JAN, "--to", "2027-01-19T12:30", "--no-publish")
    assert moved.exit_code == 0, moved.output
    cancelled = hub("meetings", "cancel", FEB, "--no-publish")
    assert cancelled.exit_code == 0, cancelled.output
    unknown = hub("meetings", "cancel", "pspn-nosuch@pspn", "--no-publish")
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
