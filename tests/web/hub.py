"""A small hub for the web app's tests: four members with different roles, meetings,
a topic, an application and a survey with single-use links. All people are invented."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pspn_adapters.local.hub import LocalHub
from pspn_adapters.server.serve import build_context
from pspn_adapters.web.app import create_app
from pspn_adapters.web.settings import web_settings
from pspn_core.cli import App
from pspn_core.cli.setup import write_example_config
from pspn_core.meetings.service import plan
from pspn_core.membership.model import Application, Member
from pspn_core.membership.service import add_member
from pspn_core.networks.service import setup_network
from pspn_core.notes.keys import create_key_file
from pspn_core.plugins import Plugins
from pspn_core.ports import Provisionable
from pspn_core.store.database import DATABASE_NAME
from pspn_core.surveys.model import Question, QuestionKind, Survey
from pspn_core.surveys.responses import hash_token

EXTRA = """
[networks.pspn.roles]
leads = ["ada_l"]
chairs = ["bram_s"]
note_takers = ["cleo_w"]

[networks.north]
name = "North Network"
forum = { group = "north-network", notes_area = "North notes", calendar = "North meetings" }

[adapters.server]
public_url = "PUBLIC_URL"

[adapters.web]
max_upload_bytes = 32768
"""

PEOPLE = (
    ("ada_l", "Ada Lovelock", "lead"),
    ("bram_s", "Bram Stokeley", "chair"),
    ("cleo_w", "Cleo Wainwright", "note-taker"),
    ("dev_p", "Dev Patelson", "member"),
)

SURVEY_TOKENS = ("survey-token-one-0001", "survey-token-two-0002")

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Hub:
    directory: Path
    app: App
    clock: Clock
    closers: list[Any] = field(default_factory=list)

    @property
    def forum(self) -> LocalHub:
        hub = LocalHub(self.app.config.data_dir / DATABASE_NAME)
        self.closers.append(hub)
        return hub

    def last_link(self, username: str) -> str:
        """The path of the newest sign-in link the forum holds for ``username``."""
        messages = self.forum.messages(username)
        assert messages, f"no message for {username}"
        found = re.search(r"https?://[^/\s]+(/sign-in/\S+)", messages[-1].body)
        assert found, messages[-1].body
        return found.group(1)

    def close(self) -> None:
        for thing in self.closers:
            thing.close()
        if "store" in self.app.__dict__:
            self.app.store.close()


def make_hub(
    directory: Path,
    plugins: Plugins,
    *,
    public_url: str = "",
    two_person: bool = False,
    web: str = "",
) -> Hub:
    """The hub; ``web`` is more of ``[adapters.web]`` (the last table in the file)."""
    write_example_config(directory)
    config = directory / "pspn.toml"
    text = config.read_text(encoding="utf-8") + EXTRA.replace("PUBLIC_URL", public_url) + web
    if two_person:
        text = text.replace("keep_raw_days = 0", "two_person_approval = true\nkeep_raw_days = 0")
    config.write_text(text, encoding="utf-8")
    app = App(config, plugins=plugins, environ={})
    for slug, network in app.config.networks.items():
        setup_network(network, app.store, app.forum(slug), app.plugins)
    network = app.network("pspn")
    for username, name, _ in PEOPLE:
        member = Member(network="pspn", username=username, display_name=name)
        add_member(network, member, app.store, app.forum("pspn"), app.plugins)
    app.store.set_volunteer("pspn", "bram_s", ["daytime", "evening"])
    plan(network, app.store, app.plugins, date(2026, 12, 1), date(2027, 6, 1))
    app.store.add_topic("pspn", "Involving patients in incident reviews", "dev_p")
    forum = app.forum("pspn")
    assert isinstance(forum, Provisionable)
    forum.ensure_user("fay_q", "Fay Quilliam")
    app.store.record_application(
        Application(
            network="pspn",
            username="fay_q",
            display_name="Fay Quilliam",
            answers={"role": "Patient Safety Partner", "organisation": "Frimley Health NHS FT"},
            received_at=NOW - timedelta(days=1),
        )
    )
    create_key_file(app.config.key_file)
    survey = Survey(
        id="role-2026",
        title="How the role works",
        network="pspn",
        opens=date(2026, 11, 1),
        closes=date(2026, 12, 31),
        questions=(
            Question(
                id="role",
                kind=QuestionKind.SINGLE,
                text="What is your role?",
                options=("Patient Safety Partner", "Carer"),
                required=True,
            ),
            Question(
                id="support",
                kind=QuestionKind.SCALE,
                text="How well supported do you feel?",
                low_label="Not at all",
                high_label="Very well",
            ),
            Question(
                id="topics",
                kind=QuestionKind.MULTIPLE,
                text="What helps?",
                options=("Training", "Peer support", "Supervision"),
            ),
            Question(id="comments", kind=QuestionKind.TEXT, text="Anything else?"),
        ),
    )
    app.store.save_survey(survey)
    for (username, _, _), token in zip(PEOPLE, SURVEY_TOKENS, strict=False):
        app.store.add_invitation(survey.id, username, hash_token(token))
    return Hub(directory, app, Clock())


def web_app(hub: Hub) -> Any:
    context = build_context(hub.app)
    hub.closers.append(context)
    flask_app = create_app(context, web_settings(hub.app.config), {}, clock=hub.clock)
    flask_app.config["TESTING"] = True
    return flask_app


DISCOURSE_ENV = {
    "PSPN_DISCOURSE_API_KEY": "0123456789abcdef" * 4,
    "PSPN_DISCOURSE_WEBHOOK_SECRET": "a-webhook-secret-for-tests",
    "PSPN_DISCOURSE_CONNECT_SECRET": "discourse-connect-secret-for-tests",
}


def make_discourse_hub(directory: Path, fake: Any) -> Hub:
    """A hub on the fake Discourse (a ``FakeDiscourse``) with ``dev_p`` on the roster,
    DiscourseConnect on, and the fake's users ``dev_p`` and ``stranger``."""
    import pspn_adapters.discourse
    from pspn_adapters.discourse.fake import seed_demo
    from pspn_core.plugins import make_plugin_manager
    from pspn_core.testing import write_hub_config

    fake.connect_secret = DISCOURSE_ENV["PSPN_DISCOURSE_CONNECT_SECRET"]
    fake.site.add_user("dev_p", "Dev Patelson")
    fake.site.add_user("stranger", "Someone Else")
    network = seed_demo(fake, group="psp-network")
    write_hub_config(
        directory,
        forum="discourse",
        network_forum={
            "group": network["group"],
            "notes_category_id": network["notes_category_id"],
            "calendar_category_id": network["calendar_category_id"],
        },
        tables={"adapters.discourse": {"base_url": fake.url, "api_username": fake.api_username}},
    )
    plugins = Plugins(
        make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.discourse])
    )
    app = App(directory / "pspn.toml", plugins=plugins, environ=DISCOURSE_ENV)
    app.store.ensure_network("pspn", app.config.networks["pspn"].name)
    app.store.add_member(Member(network="pspn", username="dev_p", display_name="Dev Patelson"))
    return Hub(directory, app, Clock())


def discourse_messages(fake: Any, username: str) -> list[str]:
    """The private messages the fake Discourse holds for ``username``, oldest first."""
    return [
        fake.site.posts[topic.post_ids[0]].raw
        for topic in fake.site.topics.values()
        if topic.archetype == "private_message" and username in topic.recipients
    ]


INVISION_ENV = {
    "PSPN_INVISION_API_KEY": "fake-invision-key",
    "PSPN_INVISION_OAUTH_SECRET": "",  # set per test from the fake's client
}


def make_invision_hub(directory: Path, fake: Any, redirect_uri: str) -> Hub:
    """A hub on the fake Invision (a ``FakeInvision``) with "Dev Patelson" on the roster and
    an OAuth client registered for ``redirect_uri``; the fake also has "Someone Else"."""
    import pspn_adapters.invision
    from pspn_core.plugins import make_plugin_manager
    from pspn_core.testing import write_hub_config

    admin = fake.add_member("pspn-bot", group=4)
    club = fake.add_club("Patient Safety Partners", owner=admin)
    fake.add_member("Dev Patelson")
    fake.add_member("Someone Else")
    client = fake.oauth.add_client(redirect_uri)
    write_hub_config(
        directory,
        forum="invision",
        network_forum={
            "club_id": club,
            "notes_forum_id": fake.add_forum("PSPN notes", club=club),
            "calendar_id": fake.add_calendar("PSPN meetings", club=club),
            "acting_member_id": admin,
        },
        tables={
            "adapters.invision": {"base_url": fake.url, "requests_per_minute": 6000},
            "adapters.web": {"invision_client_id": client.client_id},
        },
    )
    plugins = Plugins(make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.invision]))
    environ = {**INVISION_ENV, "PSPN_INVISION_OAUTH_SECRET": client.secret}
    app = App(directory / "pspn.toml", plugins=plugins, environ=environ)
    app.store.ensure_network("pspn", app.config.networks["pspn"].name)
    app.store.add_member(
        Member(network="pspn", username="Dev Patelson", display_name="Dev Patelson")
    )
    return Hub(directory, app, Clock())


def member_id(fake: Any, name: str) -> int:
    return next(m.id for m in fake.state.members.values() if m.name == name)
