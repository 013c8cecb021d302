"""The CLI with a config that points at the fake Discourse: meetings end up as events."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
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
    if not (tmp_path / "notes.txt").exists():
        assert hub("keys", "init").exit_code == 0
    source = tmp_path / "notes.txt"
    source.write_text(NOTES, encoding="utf-8")
    added = hub("notes", "add", str(source), "--by", "Chair", "--quiet")
    assert added.exit_code == 0, added.output
    note_id = added.output.strip()
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


# -- issue 14 -------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def _survey(hub: Hub, tmp_path: Path) -> None:
    text = (EXAMPLES / "survey-psp-role.toml").read_text(encoding="utf-8")
    (tmp_path / "survey.toml").write_text(text.replace("2027-03-31", "2099-12-31"))
    assert hub("surveys", "create", str(tmp_path / "survey.toml")).exit_code == 0
    csv_file = str(EXAMPLES / "survey-responses.csv")
    imported = hub("surveys", "import", "psp-role-2027", csv_file, "--skip-bad-rows")
    assert imported.exit_code == 0, imported.output


def test_a_survey_topic_moved_to_a_public_category_is_not_edited(hub: Hub, tmp_path: Path) -> None:
    """Item 1: the place checked is where the topic is now, not the configured category."""
    _survey(hub, tmp_path)
    first = hub("surveys", "publish", "psp-role-2027")
    assert first.exit_code == 0, first.output
    assert "forum id" in first.output and "post " not in first.output  # item 12: a topic id
    (topic_id,) = _note_topics(hub)
    hub.fake.site.move_topic(topic_id, hub.fake.site.add_category("Everyone").id)
    header, first = (EXAMPLES / "survey-responses.csv").read_text(encoding="utf-8").splitlines()[:2]
    later = "901," + first.split(",", 1)[1].replace("09:11", "10:42")  # a new response
    (tmp_path / "more.csv").write_text(f"{header}\n{later}\n", encoding="utf-8")
    assert hub("surveys", "import", "psp-role-2027", str(tmp_path / "more.csv")).exit_code == 0
    again = hub("surveys", "publish", "psp-role-2027")
    assert again.exit_code != 0
    assert f"topic {topic_id}" in again.output and "not edited" in again.output
    assert "Published" not in again.output
    assert hub.fake.count("PUT", "/posts/") == 0


def _allow_public_calendar(hub: Hub) -> None:
    text = hub.config.read_text(encoding="utf-8")
    marker = 'location = "Online (Microsoft Teams)"\n'
    hub.config.write_text(text.replace(marker, marker + 'public_calendar = "date_and_slot"\n'))


def _make_calendar_public(hub: Hub) -> None:
    calendar = hub.fake.site.categories[max(hub.fake.site.categories)]
    calendar.read_restricted, calendar.permissions = False, {"everyone": 1}


def test_meetings_are_refused_in_a_public_calendar(hub: Hub) -> None:
    """Item 2: fail closed unless the network allows date and slot only."""
    _make_calendar_public(hub)
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-03-31")
    refused = hub("meetings", "publish")
    assert refused.exit_code != 0
    assert "readable by everyone" in refused.output and "Nothing was posted" in refused.output
    assert hub.fake.count("POST", "/posts.json") == 0


def test_a_public_calendar_shows_date_and_slot_only_when_allowed(hub: Hub) -> None:
    _make_calendar_public(hub)
    _allow_public_calendar(hub)
    assert hub("members", "add", "alice.example", "--name", "Alice Example").exit_code == 0
    assert hub("members", "volunteer", "alice.example").exit_code == 0
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-01-31")
    published = hub("meetings", "publish")
    assert published.exit_code == 0, published.output
    (post,) = [p for p in hub.fake.site.posts.values() if "[event" in p.raw]
    assert "Alice" not in post.raw and "Chair" not in post.raw and "Teams" not in post.raw
    assert "members only" in post.raw
    assert 'status="standalone"' in post.raw


def test_setup_reports_a_public_calendar_unless_allowed(hub: Hub) -> None:
    _make_calendar_public(hub)
    refused = hub("networks", "setup")
    assert refused.exit_code == 1
    assert "the calendar is not private" in refused.output
    _allow_public_calendar(hub)
    assert hub("networks", "setup").exit_code == 0


def test_a_rerun_after_the_plugin_comes_back_gives_every_meeting_its_event(hub: Hub) -> None:
    """Item 3: the plugin was off, then on again; the rerun recovers."""
    hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-03-31")
    hub.fake.site.calendar_enabled = False
    assert hub("meetings", "publish").exit_code != 0
    hub.fake.site.calendar_enabled = True
    again = hub("meetings", "publish")
    assert again.exit_code == 0, again.output
    assert len(hub.fake.site.events) == 3


def test_two_notes_on_one_day_get_different_titles(hub: Hub, tmp_path: Path) -> None:
    """Item 4: Discourse refuses a repeated title; ours are unique by construction."""
    first = _approved_note(hub, tmp_path)
    second = _approved_note(hub, tmp_path)
    assert hub("notes", "publish", first).exit_code == 0
    published = hub("notes", "publish", second)
    assert published.exit_code == 0, published.output
    assert len(_note_topics(hub)) == 2


def test_a_question_the_forum_refuses_is_reported_and_nothing_is_marked(hub: Hub) -> None:
    """Item 5: a too-short question is the forum's refusal, not "no account"."""
    hub.fake.site.add_user("dana.example", "Dana Example")
    applied = hub(
        "members",
        "apply",
        "dana.example",
        "--name",
        "Dana Example",
        "--answer",
        "role=Patient Safety Partner",
        "--answer",
        "organisation=RR8",
    )
    assert applied.exit_code == 0, applied.output
    application = re.findall(r"application (\d+)", applied.output)[0]
    result = hub("members", "decide", application, "--ask", "Trust?", "--by", "Lead")
    assert result.exit_code == 1
    assert "not sent" in result.output and "no account" not in result.output
    assert "still open" in result.output
    listed = hub("members", "applications", "--no-fetch", "--format", "json")
    assert '"status": "open"' in listed.output


def test_adding_an_unknown_user_says_so(hub: Hub) -> None:
    """Item 12: not "invalid parameters: usernames"."""
    result = hub("members", "add", "nosuchuser", "--name", "No One")
    assert result.exit_code == 1
    assert "no user called 'nosuchuser'" in result.output


def test_setup_checks_every_configured_id_and_the_api_user(hub: Hub) -> None:
    """Items 10 and 11: every problem in one run."""
    bot = hub.fake.site.user(hub.fake.api_username)
    assert bot is not None
    bot.admin = False
    text = hub.config.read_text(encoding="utf-8")
    text = re.sub(r"notes_category_id = \d+", "notes_category_id = 9999", text)
    hub.config.write_text(text.replace('group = "psp-network"', 'group = "no-such-group"'))
    result = hub("networks", "setup")
    assert result.exit_code == 1
    assert "is not staff" in result.output
    assert "no-such-group" in result.output
    assert "notes_category_id = 9999" in result.output
    assert "4 problem(s)" in result.output  # the calendar, too, is not the missing group's


def test_a_wrong_key_is_not_advice_to_make_the_area_private(hub: Hub, tmp_path: Path) -> None:
    """Item 12: the notes error names the key, not the category's privacy."""
    note_id = _approved_note(hub, tmp_path)
    result = hub("notes", "publish", note_id, environ={KEY_ENV: "f" * 64})
    assert result.exit_code != 0
    assert "API key" in result.output
    assert "private" not in result.output


def test_dry_runs_send_nothing_to_discourse_and_store_nothing(hub: Hub, tmp_path: Path) -> None:
    assert hub("meetings", "plan", "--from", "2027-01-01", "--to", "2027-03-31").exit_code == 0
    note_id = _approved_note(hub, tmp_path)
    writes = sum(hub.fake.count(method) for method in ("POST", "PUT", "DELETE"))
    before = _dump(tmp_path / "pspn-data" / "pspn.db")
    for args in (("meetings", "publish"), ("notes", "publish", note_id)):
        dry = hub(*args, "--dry-run")
        assert dry.exit_code == 0, dry.output
        assert "  would " in dry.output and "nothing was stored" in dry.output
    assert sum(hub.fake.count(method) for method in ("POST", "PUT", "DELETE")) == writes
    assert hub.fake.count("GET") > 0  # the privacy checks were real
    assert _dump(tmp_path / "pspn-data" / "pspn.db") == before
    real = hub("meetings", "publish")
    assert "Published 3 meeting(s)" in real.output


def _dump(database: Path) -> list[str]:
    with closing(sqlite3.connect(database)) as conn:
        return list(conn.iterdump())
