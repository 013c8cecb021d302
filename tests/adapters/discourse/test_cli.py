"""The CLI with a config that points at the fake Discourse: meetings end up as events."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pspn_adapters.discourse
from pspn_adapters.discourse.fake import FakeDiscourse, seed_demo
from pspn_core.cli import App, cli
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.testing import write_hub_config

KEY_ENV = "PSPN_DISCOURSE_API_KEY"


class Hub:
    """A hub directory whose config uses the fake Discourse, and a way to run ``pspn``."""

    def __init__(self, root: Path, fake: FakeDiscourse) -> None:
        self.fake = fake
        network = seed_demo(fake, group="psp-network")
        self.config = write_hub_config(
            root,
            forum="discourse",
            network_forum={
                "group": network["group"],
                "notes_category_id": network["notes_category_id"],
                "calendar_category_id": network["calendar_category_id"],
            },
            tables={
                "adapters.discourse": {
                    "base_url": fake.url,
                    "api_username": fake.api_username,
                    "api_key_env": KEY_ENV,
                    "requests_per_minute": 6000,
                }
            },
        )
        self.plugins = Plugins(
            make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.discourse])
        )

    def __call__(self, *args: str, environ: dict[str, str] | None = None) -> Result:
        env = {KEY_ENV: self.fake.api_key} if environ is None else environ
        app = App(self.config, plugins=self.plugins, environ=env)
        try:
            return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()


@pytest.fixture
def hub(tmp_path: Path, fake: FakeDiscourse) -> Hub:
    made = Hub(tmp_path, fake)
    assert made("networks", "setup").exit_code == 0
    return made


def _event_topics(fake: FakeDiscourse, category_id: int) -> list[int]:
    return [t.id for t in fake.site.topics.values() if t.category_id == category_id]


def test_meetings_publish_makes_one_event_per_meeting_and_is_idempotent(hub: Hub) -> None:
    planned = hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-03-31")
    assert planned.exit_code == 0, planned.output
    first = hub("meetings", "publish")
    assert first.exit_code == 0, first.output
    calendar = max(hub.fake.site.categories)
    topics = _event_topics(hub.fake, calendar)
    assert len(topics) == len(hub.fake.site.events) == 3
    posts_before = hub.fake.count("POST", "/posts.json")
    again = hub("meetings", "publish")
    assert again.exit_code == 0, again.output
    assert _event_topics(hub.fake, calendar) == topics
    assert hub.fake.count("POST", "/posts.json") == posts_before


def test_meetings_cancel_closes_the_event(hub: Hub) -> None:
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-01-31")
    hub("meetings", "publish")
    (event_id,) = hub.fake.site.events
    result = hub("meetings", "cancel", "pspn-pspn-20270112@pspn", "--reason", "Strike day")
    assert result.exit_code == 0, result.output
    assert list(hub.fake.site.events) == [event_id]
    assert hub.fake.site.events[event_id]["closed"] is True


def test_a_missing_key_is_one_clear_line(hub: Hub) -> None:
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-01-31")
    result = hub("meetings", "publish", environ={})
    assert result.exit_code == 2
    assert KEY_ENV in result.output
    assert "Traceback" not in result.output


def test_the_calendar_plugin_off_is_reported(hub: Hub) -> None:
    hub.fake.site.calendar_enabled = False
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-01-31")
    result = hub("meetings", "publish")
    assert result.exit_code != 0
    assert "calendar plugin" in result.output


NOTES = (
    "Notes of the network meeting.\n"
    "The group discussed handover checklists on surgical wards and agreed to pilot one.\n"
    "Next time: learning from incident reviews.\n"
)


def _approved_note(hub: Hub, tmp_path: Path) -> str:
    assert hub("keys", "init").exit_code == 0
    source = tmp_path / "notes.txt"
    source.write_text(NOTES, encoding="utf-8")
    added = hub("notes", "add", str(source), "--by", "Chair")
    assert added.exit_code == 0, added.output
    note_id = added.output.strip().splitlines()[-1]
    assert hub("notes", "approve", note_id, "--by", "Chair").exit_code == 0
    return note_id


def _note_topics(hub: Hub) -> list[int]:
    notes_category = min(hub.fake.site.categories)
    return [t.id for t in hub.fake.site.topics.values() if t.category_id == notes_category]


def test_notes_publish_posts_once_in_the_private_category(hub: Hub, tmp_path: Path) -> None:
    note_id = _approved_note(hub, tmp_path)
    published = hub("notes", "publish", note_id)
    assert published.exit_code == 0, published.output
    (topic_id,) = _note_topics(hub)
    raw = hub.fake.site.posts[hub.fake.site.topics[topic_id].post_ids[0]].raw
    assert "handover checklists" in raw
    assert hub("notes", "publish", note_id).exit_code == 0
    assert _note_topics(hub) == [topic_id]


def test_notes_publish_refuses_a_public_category(hub: Hub, tmp_path: Path) -> None:
    note_id = _approved_note(hub, tmp_path)
    category = hub.fake.site.categories[min(hub.fake.site.categories)]
    category.read_restricted, category.permissions = False, {"everyone": 1}
    result = hub("notes", "publish", note_id)
    assert result.exit_code != 0
    assert "refusing to publish" in result.output
    assert "readable by everyone" in result.output
    assert _note_topics(hub) == []
    assert hub.fake.count("POST", "/posts.json") == 0


def test_an_interrupted_notes_publish_run_again_posts_once(hub: Hub, tmp_path: Path) -> None:
    note_id = _approved_note(hub, tmp_path)
    hub.fake.drop_next(method="POST", path="/posts.json")
    hub.fake.fail_next(503, times=5, path="/t/external_id/", skip=1, retry_after=0)
    interrupted = hub("notes", "publish", note_id)
    assert interrupted.exit_code != 0
    assert "Traceback" not in interrupted.output
    again = hub("notes", "publish", note_id)
    assert again.exit_code == 0, again.output
    assert len(_note_topics(hub)) == 1
