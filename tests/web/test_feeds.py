"""Each member's own calendar address, revoked when they leave."""

from __future__ import annotations

import re
from datetime import timedelta

from flask.testing import FlaskClient

from pspn_core.membership.model import Member
from tests.web.conftest import post, sign_in
from tests.web.hub import Hub


def make_address(client: FlaskClient) -> str:
    answer = post(client, "/networks/pspn/calendar", "/networks/pspn/calendar", action="make")
    assert answer.status_code == 200
    found = re.search(r"http://localhost(/feeds/pspn/[\w-]+\.ics)", answer.get_data(as_text=True))
    assert found, "the page shows no address"
    return found.group(1)


def test_a_member_subscribes_with_their_own_address(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    path = make_address(client)
    feed = client.application.test_client().get(path)  # a calendar app: no session
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("text/calendar")
    assert feed.data.count(b"BEGIN:VEVENT") == len(hub.app.store.meetings("pspn"))
    again = client.application.test_client().get(
        path, headers={"If-None-Match": feed.headers["ETag"]}
    )
    assert again.status_code == 304
    assert path not in client.get("/networks/pspn/calendar").get_data(as_text=True)  # shown once


def test_a_new_address_or_stopping_ends_the_old_one(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    first = make_address(client)
    second = make_address(client)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    post(client, "/networks/pspn/calendar", "/networks/pspn/calendar", action="stop")
    assert client.get(second).status_code == 404


def test_leaving_ends_the_address_even_after_coming_back(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    path = make_address(client)
    store = hub.app.store
    calendar_app = client.application.test_client()
    store.remove_from_roster("pspn", "dev_p")
    assert calendar_app.get(path).status_code == 404
    back = hub.clock.now + timedelta(days=1)
    store.add_member(
        Member(network="pspn", username="dev_p", display_name="Dev Patelson", joined_at=back)
    )
    assert calendar_app.get(path).status_code == 404


def test_guessed_and_misplaced_addresses_are_not_found(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    path = make_address(client)
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/feeds/north/{token}").status_code == 404
    assert client.get("/feeds/pspn/not-a-token.ics").status_code == 404
