"""``pspn`` from a pspn.toml that points at the fake Invision: meetings and notes end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pspn_adapters.invision
from pspn_adapters.invision import mapping
from pspn_adapters.invision.fake import FakeInvision, seed
from pspn_core.cli import App, cli
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.testing import write_hub_config

RAW = "Present: the network.\n\nWe agreed to pilot the handover checklist on two wards.\n"


class Hub:
    """Runs ``pspn`` in-process against a hub whose forum is the fake Invision."""

    def __init__(self, folder: Path, fake: FakeInvision) -> None:
        self.folder = folder
        self.fake = fake
        ids = seed(fake)
        write_hub_config(
            folder,
            forum="invision",
            network_forum={
                "club_id": ids["club_id"],
                "notes_forum_id": ids["notes_forum_id"],
                "calendar_id": ids["calendar_id"],
                "acting_member_id": ids["member_id"],
            },
            tables={
                "adapters.invision": {
                    "base_url": fake.url,
                    "api_key_env": "NORTH_INVISION_KEY",
                    "requests_per_minute": 6000,
                    "retries": 1,
                }
            },
        )
        self.plugins = Plugins(
            make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.invision])
        )

    def __call__(self, *args: str) -> Result:
        environ = {"NORTH_INVISION_KEY": self.fake.api_key}
        app = App(self.folder / "pspn.toml", plugins=self.plugins, environ=environ)
        try:
            return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()

    def add_note(self) -> str:
        (self.folder / "raw.txt").write_text(RAW, encoding="utf-8")
        added = self("notes", "add", str(self.folder / "raw.txt"), "--by", "note-taker")
        assert added.exit_code == 0, added.output
        note = added.output.strip().splitlines()[-1]
        assert self("notes", "approve", note, "--by", "reviewer").exit_code == 0
        return note


@pytest.fixture
def hub(tmp_path: Path, fake: FakeInvision) -> Hub:
    made = Hub(tmp_path, fake)
    assert made("networks", "setup").exit_code == 0
    assert made("keys", "init").exit_code == 0
    return made


def test_meetings_are_published_moved_and_cancelled(hub: Hub, fake: FakeInvision) -> None:
    planned = hub("meetings", "plan", "--from", "2030-01-01", "--to", "2030-04-30")
    assert planned.exit_code == 0, planned.output
    uids = re.findall(r"^(\S+@pspn)\s", planned.output, flags=re.MULTILINE)
    assert hub("meetings", "publish").exit_code == 0
    assert len(fake.state.events) == len(uids) > 0
    assert "up to date" in hub("meetings", "publish").output
    moved = hub("meetings", "move", uids[0], "--to", "2030-01-21 12:30")
    assert moved.exit_code == 0, moved.output
    cancelled = hub("meetings", "cancel", uids[1], "--reason", "Clash with a conference")
    assert cancelled.exit_code == 0, cancelled.output
    assert len(fake.state.events) == len(uids)
    (first,) = fake.events_containing(mapping.marker("event", uids[0]))
    assert (first.start.day, first.start.hour) == (21, 12)  # January: GMT is UTC
    (second,) = fake.events_containing(mapping.marker("event", uids[1]))
    assert second.title.startswith("Cancelled: ")
    assert all(event.end is not None for event in fake.state.events.values())


def test_a_note_is_published_once(hub: Hub, fake: FakeInvision) -> None:
    note = hub.add_note()
    published = hub("notes", "publish", note)
    assert published.exit_code == 0, published.output
    assert "already" in hub("notes", "publish", note).output
    (topic,) = fake.state.topics.values()
    assert "pilot the handover checklist" in topic.posts[0].content


def test_a_public_notes_forum_refuses_and_posts_nothing(hub: Hub, fake: FakeInvision) -> None:
    note = hub.add_note()
    fake.set_club_type(1, "open")
    refused = hub("notes", "publish", note)
    assert refused.exit_code != 0
    assert "Nothing was posted" in refused.output
    assert fake.state.topics == {}


def test_an_interrupted_publish_run_again_leaves_one_topic_and_one_event(
    hub: Hub, fake: FakeInvision
) -> None:
    note = hub.add_note()
    assert hub("meetings", "plan", "--from", "2030-01-01", "--to", "2030-01-31").exit_code == 0
    fake.faults.fail(503, match="POST /forums/topics")
    fake.faults.fail(503, match="POST /calendar/events")
    assert hub("notes", "publish", note).exit_code != 0
    assert hub("meetings", "publish").exit_code != 0
    fake.faults.drop_after_commit(match="POST /forums/topics")
    fake.faults.drop_after_commit(match="POST /calendar/events")
    assert hub("notes", "publish", note).exit_code == 0
    assert hub("meetings", "publish").exit_code == 0
    assert hub("notes", "publish", note).exit_code == 0
    assert "up to date" in hub("meetings", "publish").output
    assert len(fake.state.topics) == 1
    assert len(fake.state.events) == 1
