"""'Sign in with the forum' against the fake Discourse as DiscourseConnect provider."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask.testing import FlaskClient

from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_adapters.server.serve import build_context
from pspn_adapters.web.app import create_app
from pspn_adapters.web.discourse_connect import check_answer, sign_in_url
from pspn_adapters.web.settings import web_settings
from tests.web.hub import DISCOURSE_ENV, Hub, make_discourse_hub


@pytest.fixture
def fake() -> Iterator[FakeDiscourse]:
    with FakeDiscourse() as made:
        yield made
        assert made.violations == []


@pytest.fixture
def hub(tmp_path: Path, fake: FakeDiscourse) -> Iterator[Hub]:
    made = make_discourse_hub(tmp_path, fake)
    yield made
    made.close()


@pytest.fixture
def client(hub: Hub) -> FlaskClient:
    context = build_context(hub.app)
    hub.closers.append(context)
    return create_app(context, web_settings(hub.app.config), DISCOURSE_ENV).test_client()


def through_the_forum(client: FlaskClient) -> Any:
    """Start signing in, let the fake forum answer, and come back with its answer."""
    start = client.get("/sign-in/discourse")
    assert start.status_code == 302
    forum = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    if forum.status_code != 302:
        return forum
    back = forum.headers["Location"]
    assert back.startswith("http://localhost/sign-in/discourse/return?")
    return client.get(back.removeprefix("http://localhost"))


def test_the_sign_in_page_offers_the_forum(client: FlaskClient) -> None:
    assert b"Sign in with the forum" in client.get("/sign-in").data


def test_a_member_signed_in_to_the_forum_is_signed_in(
    client: FlaskClient, fake: FakeDiscourse
) -> None:
    fake.site.browser_user = "dev_p"
    answer = through_the_forum(client)
    assert answer.status_code == 302
    assert b"Signed in as Dev Patelson" in client.get("/", follow_redirects=True).data


def test_someone_not_on_a_roster_is_told_so(client: FlaskClient, fake: FakeDiscourse) -> None:
    fake.site.browser_user = "stranger"
    answer = through_the_forum(client)
    assert answer.status_code == 403
    assert b"not a member of a network here" in answer.data
    assert client.get("/networks/pspn").status_code == 302


def test_nobody_logged_in_to_the_forum_gets_no_answer(
    client: FlaskClient, fake: FakeDiscourse
) -> None:
    fake.site.browser_user = None
    assert through_the_forum(client).status_code == 403


def test_an_answer_is_used_once(client: FlaskClient, fake: FakeDiscourse) -> None:
    fake.site.browser_user = "dev_p"
    start = client.get("/sign-in/discourse")
    forum = requests.get(start.headers["Location"], allow_redirects=False, timeout=10)
    back = forum.headers["Location"].removeprefix("http://localhost")
    assert client.get(back).status_code == 302
    assert client.get(back).status_code == 400  # the nonce was spent
    replayed = client.application.test_client().get(back)  # another browser: no nonce at all
    assert replayed.status_code == 400
    assert b"did not work" in replayed.data


def test_a_forged_answer_is_refused() -> None:
    secret = b"the-shared-secret"
    url = sign_in_url("https://forum.example.org", secret, "n0nce", "https://pspn.example.org/r")
    assert url.startswith("https://forum.example.org/session/sso_provider?sso=")
    payload = base64.b64encode(b"nonce=n0nce&username=ada_l").decode()
    good = hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()
    assert check_answer(secret, payload, good, "n0nce")["username"] == "ada_l"
    with pytest.raises(ValueError, match="signature"):
        check_answer(b"another-secret", payload, good, "n0nce")
    with pytest.raises(ValueError, match="another sign-in"):
        check_answer(secret, payload, good, "other-nonce")
    with pytest.raises(ValueError, match="another sign-in"):
        check_answer(secret, payload, good, "")


def test_a_sign_in_link_comes_as_a_discourse_private_message(
    client: FlaskClient, fake: FakeDiscourse
) -> None:
    from tests.web.conftest import post
    from tests.web.hub import discourse_messages

    assert post(client, "/sign-in", "/sign-in", username="dev_p").status_code == 200
    (message,) = discourse_messages(fake, "dev_p")
    link = message.split("http://localhost", 1)[1].split()[0]
    assert client.get(link).status_code == 200
