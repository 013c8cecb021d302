"""The CLI against the fake Graph: a year of Teams meetings, moved, cancelled, collected."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pspn_adapters.local
import pspn_adapters.teams
from pspn_adapters.local import LocalHub
from pspn_adapters.teams.fake import FakeGraph
from pspn_core.cli import App, cli
from pspn_core.cli.example_config import EXAMPLE_CONFIG
from pspn_core.plugins import Plugins, make_plugin_manager

SECRET_ENV = "PSPN_TEAMS_SECRET"
MARCH = "pspn-pspn-20260310@pspn"
VTT = """WEBVTT

00:00:01.000 --> 00:00:06.000
<v Ada Lovelock>Welcome. Bram, would you start?</v>

00:00:07.000 --> 00:00:12.000
<v Bram Stokeley>At Frimley we ran two after action reviews.</v>
"""
CHAT = [
    ("Cleo Wainwright", "<p>Topic: involving families in reviews</p>"),
    ("Zed Quinn", "<p>Has anyone used the new templates?</p>"),
    ("Dev Patelson", "<p>topic: Martha's Rule posters</p>"),
]


class Hub:
    """A hub on the embedded forum whose meetings are on the fake Graph's Teams."""

    def __init__(self, root: Path, fake: FakeGraph) -> None:
        self.fake = fake
        self.root = root
        table = "".join(f"{k} = {json.dumps(v)}\n" for k, v in fake.settings(SECRET_ENV).items())
        config = EXAMPLE_CONFIG.replace('# platform = "local"', 'platform = "teams"')
        self.config = root / "pspn.toml"
        self.config.write_text(f"{config}\n[platforms.teams]\n{table}", encoding="utf-8")
        self.plugins = Plugins(
            make_plugin_manager(
                load_entrypoints=False, plugins=[pspn_adapters.local, pspn_adapters.teams]
            )
        )

    def __call__(self, *args: str) -> Result:
        environ = {SECRET_ENV: self.fake.tenant.client_secret, "PSPN_KEY": ""}
        app = App(self.config, plugins=self.plugins, environ=environ)
        try:
            return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()

    def rows(self, sql: str) -> list[tuple[object, ...]]:
        conn = sqlite3.connect(self.root / "pspn-data" / "pspn.db")
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


@pytest.fixture
def hub(tmp_path: Path, fake: FakeGraph) -> Hub:
    made = Hub(tmp_path, fake)
    for args in (
        ("networks", "setup"),
        ("members", "add", "ada_l", "--name", "Ada Lovelock"),
        ("members", "add", "bram_s", "--name", "Bram Stokeley"),
        ("keys", "init"),
        ("meetings", "plan", "--from", "2026-01-01", "--to", "2026-12-31"),
    ):
        result = made(*args)
        assert result.exit_code == 0, result.output
    return made


def test_a_year_of_meetings_is_published_once_with_teams_links(hub: Hub, fake: FakeGraph) -> None:
    first = hub("meetings", "publish")
    assert first.exit_code == 0, first.output
    assert "On teams: 11 meeting(s) created" in first.output
    assert len(fake.tenant.events) == 11
    again = hub("meetings", "publish")
    assert "created" not in again.output
    assert fake.count("POST", "/events") == 11
    event = next(e for e in fake.tenant.events.values() if "20260310" in e["body"]["content"])
    link = event["onlineMeeting"]["joinUrl"]
    forum = LocalHub(hub.root / "pspn-data" / "pspn.db")
    try:
        [description] = [e.description for e in forum.events("PSPN meetings") if e.key == MARCH]
    finally:
        forum.close()
    assert f"Join: {link}" in description
    ics = hub("meetings", "ics", "--out", "-").output
    assert f"URL:{link}" in ics.replace("\r\n ", "").replace("\n ", "")


def test_a_move_updates_the_event_and_its_online_meeting_and_a_cancel_cancels(
    hub: Hub, fake: FakeGraph
) -> None:
    hub("meetings", "publish")
    moved = hub("meetings", "move", MARCH, "--to", "2026-03-11T12:30")
    assert "On teams: 0 meeting(s) created, 1 updated" in moved.output, moved.output
    [(event_id,)] = hub.rows("SELECT platform_id FROM online_meetings WHERE uid LIKE '%0310@%'")
    event = fake.tenant.events[str(event_id)]
    assert event["start"] == {"dateTime": "2026-03-11T12:30:00", "timeZone": "UTC"}
    assert fake.tenant.meeting_of(event).start == "2026-03-11T12:30:00Z"
    cancelled = hub("meetings", "cancel", MARCH)
    assert "1 cancelled" in cancelled.output
    assert event["isCancelled"] is True
    assert fake.count("POST", "/cancel") == 1
    assert fake.count("POST", "/events") == 12  # eleven creates and one cancel


def test_a_collected_transcript_becomes_one_draft_and_a_rerun_adds_nothing(
    hub: Hub, fake: FakeGraph
) -> None:
    hub("meetings", "publish")
    early = hub("meetings", "collect", MARCH)
    assert early.exit_code == 0
    assert "not ready, try later: the transcript is not ready on teams yet" in early.output
    fake.tenant.finish_meeting(MARCH, transcript=VTT, chat=CHAT, attendance=[3000] * 7 + [600])
    fake.fail_next(429, retry_after=0, path="/transcripts")
    fake.drop_next(method="GET", path="/messages")
    result = hub("meetings", "collect", MARCH)
    assert result.exit_code == 0, result.output
    assert "draft note 1 waits for review" in result.output
    assert "2 topic(s) raised" in result.output
    assert "unanswered, a candidate topic: Has anyone used the new templates?" in result.output
    assert hub.rows("SELECT title, raised_by FROM topics ORDER BY id") == [
        ("involving families in reviews", None),
        ("Martha's Rule posters", None),
    ]
    [(text,)] = hub.rows("SELECT text FROM notes")
    for name in ("Ada", "Bram", "Cleo", "Zed", "Dev", "Frimley"):
        assert name not in str(text)
    again = hub("meetings", "collect", MARCH)
    assert "already collected (note 1)" in again.output
    assert hub.rows("SELECT count(*) FROM notes") == [(1,)]
    assert hub.rows("SELECT count(*) FROM topics") == [(2,)]


def test_faults_while_publishing_leave_nothing_duplicated_or_lost(
    hub: Hub, fake: FakeGraph
) -> None:
    fake.fail_next(429, retry_after=0, method="POST", path="/events")
    fake.drop_next(method="POST", path="/events")
    fake.fail_next(503, retry_after=0, method="GET", path="/onlineMeetings")
    first = hub("meetings", "publish")
    assert first.exit_code == 0, first.output
    assert len(fake.tenant.events) == 11
    fake.fail_next(503, retry_after=0, method="PATCH", times=10)
    hub("meetings", "move", MARCH, "--no-publish", "--to", "2026-03-11T12:30")
    failed = hub("meetings", "publish")
    assert failed.exit_code == 1
    assert "unavailable" in failed.output
    fake.faults.clear()
    assert "1 updated" in hub("meetings", "publish").output
    assert len(fake.tenant.events) == 11
    assert hub.rows("SELECT count(*) FROM online_meetings") == [(11,)]


def test_a_missing_permission_is_named_and_a_rerun_after_the_grant_completes(
    hub: Hub, fake: FakeGraph
) -> None:
    fake.tenant.application_access_policy = False
    refused = hub("meetings", "publish")
    assert refused.exit_code == 1
    assert "no application access policy" in refused.output
    assert "Traceback" not in refused.output
    # the forum calendar is not held back by Teams: its events wait for their links
    assert "Published 11 meeting(s) to the forum calendar." in refused.output
    assert hub.rows("SELECT count(*) FROM online_meetings") == [(0,)]
    assert len(fake.tenant.events) == 1  # created; its Teams meeting could not be read
    fake.tenant.application_access_policy = True
    granted = hub("meetings", "publish")
    assert "11 meeting(s) created" in granted.output
    assert "Published 11 meeting(s) to the forum calendar." in granted.output  # with links
    assert len(fake.tenant.events) == 11
