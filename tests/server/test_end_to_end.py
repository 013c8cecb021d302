"""Deliveries over HTTP to a real waitress server on 127.0.0.1, acting on the fake forums.

The fake Invision queues the deliveries Invision would send; these tests post
them as Invision does (JSON body, ``Webhook-Event``, Basic credentials of the
API key that registered the webhook). The fake Discourse sends no webhooks, so
its deliveries are signed here as Discourse signs them; their effects (a
roster sync, a meeting to publish again) go through the real Discourse adapter
to the fake.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests

import pspn_adapters.discourse
import pspn_adapters.invision
from pspn_adapters.discourse.fake import FakeDiscourse, seed_demo
from pspn_adapters.discourse.webhooks import signature
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.webhooks import basic_credentials
from pspn_adapters.server.serve import Server, build_context
from pspn_core.cli import App
from pspn_core.meetings import service as meetings
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.testing import write_hub_config


@pytest.fixture
def fake() -> Iterator[FakeInvision]:
    with FakeInvision() as server:
        yield server
    assert server.violations == []


@pytest.fixture
def hub(tmp_path: Path, fake: FakeInvision) -> Iterator[App]:
    admin = fake.add_member("pspn-bot", group=4)
    club = fake.add_club("Patient Safety Partners", owner=admin)
    ids = {
        "member_id": admin,
        "club_id": club,
        "notes_forum_id": fake.add_forum("PSPN notes", club=club),
        "calendar_id": fake.add_calendar("PSPN meetings", club=club),
    }
    write_hub_config(
        tmp_path,
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
    plugins = Plugins(make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.invision]))
    environ = {"NORTH_INVISION_KEY": fake.api_key}
    app = App(tmp_path / "pspn.toml", plugins=plugins, environ=environ)
    app.store.ensure_network("pspn", app.config.networks["pspn"].name)
    yield app
    app.store.close()


@pytest.fixture
def served(hub: App) -> Iterator[str]:
    server = Server(build_context(hub), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve, kwargs={"grace": 5})
    thread.start()
    host, port = server.address
    yield f"http://{host}:{port}"
    server.stop()
    thread.join(timeout=10)
    assert not thread.is_alive()


def post(session: requests.Session, url: str, event: str, payload: object, key: str) -> int:
    answer = session.post(
        f"{url}/webhooks/invision",
        data=json.dumps(payload),
        headers={
            "Webhook-Event": event,
            "Content-Type": "application/x-www-form-urlencoded",  # Invision's default
            "Authorization": basic_credentials(key),
        },
        timeout=10,
    )
    return answer.status_code


def test_the_fakes_club_webhooks_fill_the_applications_and_the_roster(
    fake: FakeInvision, hub: App, served: str
) -> None:
    club = hub.config.networks["pspn"].forum["club_id"]
    fake.set_club_status(club, fake.add_member("sam_sample"), "member")
    fake.request_join(club, fake.add_member("jo_applicant"))
    deliveries = fake.take_webhooks()
    assert [event for event, _ in deliveries] == ["club_member_added"]
    with requests.Session() as session:
        for event, payload in deliveries:
            assert post(session, served, event, payload, fake.api_key) == 200
        assert post(session, served, event, payload, "not-the-key") == 401
        assert post(session, served, event, payload, fake.api_key) == 200  # a repeat
    [application] = hub.store.applications("pspn")
    assert (application.username, application.source) == ("jo_applicant", "forum")
    assert hub.store.delivery_count("invision") == 1

    joined = {"club": {"id": club}, "member": {"id": 1, "name": "x"}, "status": "member"}
    with requests.Session() as session:
        assert post(session, served, "club_member_added", joined, fake.api_key) == 200
    members = {m.username for m in hub.store.members("pspn")}
    assert members == {"pspn-bot", "sam_sample"}  # the owner too; jo_applicant only asked


# -- Discourse ---------------------------------------------------------------------------

DISCOURSE_KEY_ENV = "PSPN_DISCOURSE_API_KEY"
SECRET = "discourse-webhook-secret-e2e"


@pytest.fixture
def discourse() -> Iterator[FakeDiscourse]:
    with FakeDiscourse() as server:
        yield server
    assert server.violations == []


@pytest.fixture
def discourse_hub(tmp_path: Path, discourse: FakeDiscourse) -> Iterator[tuple[App, int]]:
    ids = seed_demo(discourse, group="psp-network")
    group_id = discourse.site.groups["psp-network"].id
    write_hub_config(
        tmp_path,
        forum="discourse",
        network_forum={
            "group": "psp-network",
            "notes_category_id": ids["notes_category_id"],
            "calendar_category_id": ids["calendar_category_id"],
        },
        tables={
            "adapters.discourse": {
                "base_url": discourse.url,
                "api_username": discourse.api_username,
                "api_key_env": DISCOURSE_KEY_ENV,
                "requests_per_minute": 6000,
            },
            "adapters.server.networks.pspn": {"discourse_group_id": group_id},
        },
    )
    plugins = Plugins(
        make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.discourse])
    )
    environ = {DISCOURSE_KEY_ENV: discourse.api_key, "PSPN_DISCOURSE_WEBHOOK_SECRET": SECRET}
    app = App(tmp_path / "pspn.toml", plugins=plugins, environ=environ)
    app.store.ensure_network("pspn", app.config.networks["pspn"].name)
    yield app, ids["calendar_category_id"]
    app.store.close()


def test_discourse_group_and_calendar_deliveries_act_on_the_fake_forum(
    discourse_hub: tuple[App, int],
) -> None:
    app, calendar_category = discourse_hub
    group_id = app.config.adapters["server"]["networks"]["pspn"]["discourse_group_id"]
    network = app.config.networks["pspn"]
    meetings.plan(network, app.store, app.plugins, date(2030, 1, 1), date(2030, 3, 31))
    [first, *_] = meetings.publish_meetings(network, app.store, app.forum("pspn"))
    forum_id = app.forum("pspn").find_event(first.uid)
    assert forum_id is not None
    assert app.store.unpublished_meetings("pspn") == []
    server = Server(build_context(app), "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve, kwargs={"grace": 5})
    thread.start()
    host, port = server.address

    def deliver(event_id: str, event: str, payload: object) -> requests.Response:
        body = json.dumps(payload).encode()
        return requests.post(
            f"http://{host}:{port}/webhooks/discourse",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Discourse-Event-Id": event_id,
                "X-Discourse-Event": event,
                "X-Discourse-Event-Signature": signature(SECRET.encode(), body),
            },
            timeout=10,
        )

    try:
        joined = {"group_user": {"id": 1, "group_id": group_id, "user_id": 2}}
        answer = deliver("1", "user_added_to_group", joined)
        assert answer.status_code == 200, answer.text
        names = sorted(m.username for m in app.store.members("pspn"))
        assert names == ["alice.example", "bob.example"]

        destroyed = {
            "calendar_event": {
                "event": {"id": int(forum_id)},
                "post": {"id": int(forum_id)},
                "topic": {"category_id": calendar_category},
            }
        }
        assert deliver("2", "calendar_event_destroyed", destroyed).status_code == 200
        assert deliver("2", "calendar_event_destroyed", destroyed).json() == {"status": "duplicate"}
        assert [m.uid for m, _ in app.store.unpublished_meetings("pspn")] == [first.uid]
    finally:
        server.stop()
        thread.join(timeout=10)
