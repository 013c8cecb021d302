"""'Sign in with the forum' against the fake Invision Community's OAuth 2 server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.server.serve import build_context
from pspn_adapters.web.app import create_app
from pspn_adapters.web.settings import web_settings
from tests.web.hub import Hub, make_invision_hub, member_id

RETURN = "http://localhost/sign-in/invision/return"


@pytest.fixture
def fake() -> Iterator[FakeInvision]:
    with FakeInvision() as made:
        yield made
        assert made.violations == []


@pytest.fixture
def hub(tmp_path: Path, fake: FakeInvision) -> Iterator[Hub]:
    made = make_invision_hub(tmp_path, fake, RETURN)
    yield made
    made.close()


@pytest.fixture
def client(hub: Hub) -> FlaskClient:
    context = build_context(hub.app)
    hub.closers.append(context)
    return create_app(context, web_settings(hub.app.config), hub.app.environ).test_client()


def through_the_community(client: FlaskClient) -> Any:
    start = client.get("/sign-in/invision")
    assert start.status_code == 302
    assert "/oauth/authorize/?response_type=code&" in start.headers["Location"]
    community = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    if community.status_code != 302:
        return community
    back = community.headers["Location"]
    assert back.startswith(RETURN + "?")
    return client.get(back.removeprefix("http://localhost"))


def test_the_sign_in_page_offers_the_forum(client: FlaskClient) -> None:
    assert b'href="/sign-in/invision">Sign in with the forum' in client.get("/sign-in").data


def test_a_member_logged_in_to_the_community_is_signed_in(
    client: FlaskClient, fake: FakeInvision
) -> None:
    fake.oauth.browser_member = member_id(fake, "Dev Patelson")
    assert through_the_community(client).status_code == 302
    assert b"Signed in as Dev Patelson" in client.get("/", follow_redirects=True).data


def test_someone_not_on_a_roster_is_told_so(client: FlaskClient, fake: FakeInvision) -> None:
    fake.oauth.browser_member = member_id(fake, "Someone Else")
    answer = through_the_community(client)
    assert answer.status_code == 403
    assert b"not a member of a network here" in answer.data


def test_a_code_with_the_wrong_state_is_refused(client: FlaskClient, fake: FakeInvision) -> None:
    fake.oauth.browser_member = member_id(fake, "Dev Patelson")
    start = client.get("/sign-in/invision")
    community = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = community.headers["Location"].removeprefix("http://localhost")
    forged = back.replace("state=", "state=x")
    assert client.get(forged).status_code == 400
    assert client.get(back).status_code == 400  # the state was spent by the forged try
    assert client.get("/networks/pspn").status_code == 302


def test_a_code_is_swapped_once(client: FlaskClient, fake: FakeInvision) -> None:
    fake.oauth.browser_member = member_id(fake, "Dev Patelson")
    start = client.get("/sign-in/invision")
    community = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = community.headers["Location"].removeprefix("http://localhost")
    assert client.get(back).status_code == 302
    other = client.application.test_client()
    other.get("/sign-in/invision")  # a state of its own, but the code is spent
    with other.session_transaction() as session:
        state = session["oauth_state"][0]
    code = back.split("code=", 1)[1].split("&", 1)[0]
    replay = other.get(f"/sign-in/invision/return?code={code}&state={state}")
    assert replay.status_code == 400
    assert b"did not work" in replay.data


@pytest.mark.usefixtures("hub")
def test_a_bearer_token_answers_only_core_me(fake: FakeInvision) -> None:
    fake.oauth.browser_member = member_id(fake, "Dev Patelson")
    (client_id, client) = next(iter(fake.oauth.clients.items()))
    start = f"{fake.root}/oauth/authorize/?response_type=code&client_id={client_id}"
    code_answer = requests.get(
        f"{start}&redirect_uri={RETURN}&scope=profile&state=s", allow_redirects=False, timeout=10
    )
    code = code_answer.headers["Location"].split("code=", 1)[1].split("&", 1)[0]
    token = requests.post(
        f"{fake.root}/oauth/token/",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": RETURN,
            "client_id": client_id,
            "client_secret": client.secret,
        },
        timeout=10,
    ).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    me = requests.get(f"{fake.url}/core/me", headers=bearer, timeout=10)
    assert me.json()["name"] == "Dev Patelson"
    members = requests.get(f"{fake.url}/core/members", headers=bearer, timeout=10)
    assert members.status_code == 401
