"""Meetings held on the embedded platform through the CLI: publish, move, cancel, collect."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import icalendar
import pytest

from pspn_adapters.local import LocalHub
from tests.conftest import Cli

# Meetings of 2026: over, so they can be collected (the CLI runs on the real clock).
JAN = "pspn-pspn-20260113@pspn"
FEB = "pspn-pspn-20260210@pspn"

TRANSCRIPT = """\
WEBVTT

00:00:01.000 --> 00:00:05.000
<v Ada Lovelock>Welcome. Bram, the PSIRF update please.</v>

00:00:06.000 --> 00:00:09.000
<v Bram Stokeley>At Frimley we have done two reviews, call me on 07700 900123.</v>
"""

CHAT = """\
[12:34] Cleo Wainwright
Topic: what Ada Lovelock learnt from the Frimley review

[12:35] Zed Quinn
Has anyone used the new PSIRF templates?

[12:36] Ada Lovelock
TOPIC:   Martha's Rule posters

[12:37] Cleo Wainwright
Is the leaflet ready?

[12:38] Dev Patelson
> Is the leaflet ready?
Yes, next week.

[12:39] Dev Patelson
Topic: Martha's Rule posters
"""


@pytest.fixture
def hub(run: Cli) -> Cli:
    run("networks", "setup")
    for username, name in (
        ("ada_l", "Ada Lovelock"),
        ("bram_s", "Bram Stokeley"),
        ("cleo_w", "Cleo Wainwright"),
        ("dev_p", "Dev Patelson"),
    ):
        assert run("members", "add", username, "--name", name).exit_code == 0
    assert run("keys", "init").exit_code == 0
    result = run("meetings", "plan", "--from", "2026-01-01", "--to", "2026-11-30")
    assert result.exit_code == 0, result.output
    return run


def folder(hub_dir: Path, uid: str) -> Path:
    return hub_dir / "pspn-data" / "meetings" / uid


def descriptions(hub_dir: Path) -> dict[str, str]:
    hub = LocalHub(hub_dir / "pspn-data" / "pspn.db")
    try:
        return {e.key: e.description for e in hub.events("PSPN meetings")}
    finally:
        hub.close()


def query(hub_dir: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(hub_dir / "pspn-data" / "pspn.db")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_publish_holds_each_meeting_online_once_with_its_link_everywhere(
    hub: Cli, hub_dir: Path
) -> None:
    first = hub("meetings", "publish")
    assert first.exit_code == 0, first.output
    assert "On local: 10 meeting(s) created, 0 updated, 0 cancelled." in first.output
    link = f"https://meet.invalid/pspn/{JAN}"
    assert json.loads((folder(hub_dir, JAN) / "meeting.json").read_text())["join_url"] == link
    assert f"Join: {link}" in descriptions(hub_dir)[JAN]
    ics = icalendar.Calendar.from_ical(hub("meetings", "ics", "--out", "-").output)
    [event] = [e for e in ics.walk("VEVENT") if e["UID"] == JAN]
    assert event["URL"] == link
    assert event["LOCATION"] == f"Online (Microsoft Teams) ({link})"
    again = hub("meetings", "publish")
    assert "created" not in again.output
    assert "The forum calendar is up to date." in again.output
    hub("topics", "raise", "Martha's Rule posters")
    assert f"Join: {link}" in hub("meetings", "agenda", JAN).output


def test_a_move_updates_and_a_cancellation_cancels_the_online_meeting(
    hub: Cli, hub_dir: Path
) -> None:
    hub("meetings", "publish")
    moved = hub("meetings", "move", JAN, "--to", "2026-01-14T12:30")
    assert "On local: 0 meeting(s) created, 1 updated, 0 cancelled." in moved.output
    stored = json.loads((folder(hub_dir, JAN) / "meeting.json").read_text())
    assert stored["start"] == "2026-01-14T12:30:00+00:00"
    cancelled = hub("meetings", "cancel", FEB, "--reason", "strike day")
    assert "1 cancelled" in cancelled.output
    assert json.loads((folder(hub_dir, FEB) / "meeting.json").read_text())["cancelled"] is True
    assert "created" not in hub("meetings", "publish").output


def test_collect_makes_one_draft_with_topics_and_counts_and_names_nobody(
    hub: Cli, hub_dir: Path
) -> None:
    hub("meetings", "plan", "--from", "2099-01-01", "--to", "2099-01-31")
    hub("meetings", "publish")
    future = hub("meetings", "collect", "pspn-pspn-20990113@pspn")
    assert "not ready, try later: the meeting has not ended yet" in future.output
    early = hub("meetings", "collect", JAN)
    assert early.exit_code == 0, early.output
    assert "not ready, try later: the transcript is not ready" in early.output
    (folder(hub_dir, JAN) / "transcript.vtt").write_text(TRANSCRIPT)
    (folder(hub_dir, JAN) / "chat.txt").write_text(CHAT)
    (folder(hub_dir, JAN) / "attendance.txt").write_text("60\n55\n58\n61\n59\n50\n3\n")
    result = hub("meetings", "collect", JAN)
    assert result.exit_code == 0, result.output
    assert "draft note 1 waits for review" in result.output
    notes = json.loads(hub("notes", "list", "--format", "json").output)
    assert [(n["id"], n["status"], n["meeting_uid"]) for n in notes] == [(1, "draft", JAN)]
    text = hub("notes", "show", "1").output
    for name in ("Ada", "Bram", "Cleo", "Zed Quinn", "Dev Patelson", "07700 900123", "Frimley"):
        assert name not in text
    assert "Yes, next week." in text
    topics = query(hub_dir, "SELECT title, raised_by FROM topics ORDER BY id")
    assert topics == [
        ("what [name] learnt from the [location] review", None),
        ("Martha's Rule posters", None),
    ]
    assert "unanswered, a candidate topic: Has anyone used the new PSIRF templates?" in (
        result.output
    )
    assert "Is the leaflet ready?" not in result.output.split("raised.")[1]
    [(attendance,)] = query(hub_dir, "SELECT attendance FROM meeting_collections")
    counts = json.loads(str(attendance))
    assert counts["attendees"] == 7
    # one person left early: suppressed, and the six who stayed too, or 7 - 6 tells
    assert counts["bands"] == {
        "under 15 minutes": None,
        "15 to 30 minutes": 0,
        "30 to 45 minutes": 0,
        "45 minutes or more": None,
    }
    review = hub("notes", "review", "1").output
    assert "Questions left unanswered in the meeting chat" in review
    assert "  - Has anyone used the new PSIRF templates?" in review
    again = hub("meetings", "collect", JAN)
    assert "already collected (note 1)" in again.output
    assert len(json.loads(hub("notes", "list", "--format", "json").output)) == 1
    assert len(query(hub_dir, "SELECT id FROM topics")) == 2


def test_a_collection_that_stopped_after_its_note_reuses_the_note(hub: Cli, hub_dir: Path) -> None:
    hub("meetings", "publish")
    (folder(hub_dir, JAN) / "transcript.vtt").write_text(TRANSCRIPT)
    hub("meetings", "collect", JAN)
    # as if the run had stopped after making the note, before recording the rest
    conn = sqlite3.connect(hub_dir / "pspn-data" / "pspn.db")
    conn.execute("UPDATE meeting_collections SET collected_at = NULL")
    conn.commit()
    conn.close()
    result = hub("meetings", "collect", JAN)
    assert "draft note 1 waits for review" in result.output
    assert len(json.loads(hub("notes", "list", "--format", "json").output)) == 1


def test_collect_without_a_uid_takes_every_ended_meeting_and_needs_a_platform_meeting(
    hub: Cli, hub_dir: Path
) -> None:
    before = hub("meetings", "collect", JAN)
    assert before.exit_code == 1
    assert "has no online meeting on 'local'; run `pspn meetings publish`" in before.output
    hub("meetings", "publish")
    for uid in (JAN, FEB):
        (folder(hub_dir, uid) / "transcript.vtt").write_text(TRANSCRIPT)
    everything = hub("meetings", "collect").output
    assert everything.count("draft note") == 2
    assert everything.count("not ready, try later") == 8
    assert "No meeting is waiting to be collected." not in everything


def test_an_unknown_platform_is_a_clear_config_error(hub_dir: Path, run: Cli) -> None:
    config = hub_dir / "pspn.toml"
    config.write_text(config.read_text().replace("[hub]", '[hub]\nplatform = "zoom"'))
    result = run("meetings", "collect")
    assert result.exit_code == 2
    assert "hub.platform is 'zoom', but no installed plugin provides that meeting platform" in (
        result.output
    )
    config.write_text(
        config.read_text().replace('platform = "zoom"', 'platform = "local"')
        + '\n[platforms.local]\nlink_bass = "https://meet.example.org/"\n'
    )
    result = run("meetings", "collect")
    assert "platforms.local.link_bass: unknown key" in result.output
