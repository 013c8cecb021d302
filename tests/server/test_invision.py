"""``POST /webhooks/invision``: Basic credentials, repeats, and what each event does."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from pspn_adapters.invision.webhooks import basic_credentials
from pspn_adapters.server.context import ServerContext
from pspn_core.membership.model import ApplicationStatus
from tests.server.conftest import INVISION_KEY, Answer, Client


def member(ticked: str = "1") -> dict[str, Any]:
    return {
        "id": 314,
        "name": "bram_s",
        "email": "bram.s@example.nhs.uk",
        "customFields": {
            "2": {"name": "Networks", "fields": {"7": {"name": "Join PSPN", "value": ticked}}}
        },
    }


TOPIC = {
    "id": 77,
    "title": "Sharing safety huddle templates",
    "forum": {"id": 9, "name": "PSPN topics"},
    "firstPost": {"id": 700, "author": {"id": 314, "name": "bram_s"}, "content": "<p>x</p>"},
}


def deliver(
    client: Client,
    event: str,
    payload: Any,
    *,
    key: str = INVISION_KEY,
    headers: dict[str, str] | None = None,
) -> Answer:
    sent = {
        "Content-Type": "application/json",
        "Webhook-Event": event,
        "User-Agent": "InvisionCommunity/4.7.12",
        "Authorization": basic_credentials(key),
        **(headers or {}),
    }
    return client.request("POST", "/webhooks/invision", json.dumps(payload).encode(), sent)


def test_a_member_who_ticked_the_network_at_sign_up_becomes_an_application(
    client: Client, context: ServerContext
) -> None:
    answer = deliver(client, "member_registration_complete", member())
    assert answer.status == 200, answer.body
    [application] = context.store.applications("pspn")
    assert (application.username, application.source, application.source_ref) == (
        "bram_s",
        "forum",
        "314",
    )
    assert application.status is ApplicationStatus.OPEN
    assert application.email == ""  # the payload's e-mail address is not kept
    again = deliver(client, "member_create", member())
    assert again.json()["result"] == "application.received: already held"
    assert len(context.store.applications("pspn")) == 1


def test_a_member_who_did_not_tick_the_network_is_ignored(
    client: Client, context: ServerContext
) -> None:
    answer = deliver(client, "member_registration_complete", member(ticked="0"))
    assert answer.json() == {"status": "accepted", "result": "ignored"}
    assert context.store.applications("pspn") == []


def test_a_topic_in_the_topics_forum_is_raised_and_a_repeat_is_ignored(
    client: Client, context: ServerContext
) -> None:
    assert deliver(client, "forumsTopic_create", TOPIC).json()["status"] == "accepted"
    assert deliver(client, "forumsTopic_create", TOPIC).json() == {"status": "duplicate"}
    assert [(t.title, t.raised_by) for t in context.store.topics("pspn")] == [
        ("Sharing safety huddle templates", "bram_s")
    ]
    elsewhere = {**TOPIC, "id": 78, "forum": {"id": 10}}
    assert deliver(client, "forumsTopic_create", elsewhere).json()["result"] == "ignored"


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        basic_credentials("a-guessed-key"),
        f"Bearer {INVISION_KEY}",
        "Basic not-base64!",
        "Basic " + base64.b64encode(INVISION_KEY.encode()[:-1] + b":").decode(),
    ],
    ids=["missing", "wrong-key", "bearer", "garbled", "prefix-of-key"],
)
def test_deliveries_without_the_key_are_refused(
    client: Client, context: ServerContext, authorization: str
) -> None:
    answer = deliver(client, "forumsTopic_create", TOPIC, headers={"Authorization": authorization})
    assert answer.status == 401
    assert answer.headers["WWW-Authenticate"].startswith("Basic")
    assert context.store.delivery_count() == 0


def test_form_content_type_carries_json_as_invision_sends_it(client: Client) -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert deliver(client, "forumsTopic_create", TOPIC, headers=form).status == 200
    plain = {"Content-Type": "text/plain"}
    assert deliver(client, "forumsTopic_create", TOPIC, headers=plain).status == 415


def test_unknown_events_are_accepted_and_ignored(client: Client, context: ServerContext) -> None:
    answer = deliver(client, "content_promoted", {"item": {"id": 1}})
    assert answer.json() == {"status": "accepted", "result": "ignored"}
    assert context.store.delivery_count("invision") == 1


def test_a_delivery_without_an_event_header_is_malformed(client: Client) -> None:
    answer = deliver(client, "", TOPIC)
    assert answer.status == 400


def test_a_sign_up_with_a_spaced_invision_name_becomes_an_application(
    client: Client, context: ServerContext
) -> None:
    spaced = {**member(), "name": "Jo Applicant"}  # Invision names may contain spaces
    deliver(client, "member_registration_complete", spaced)
    [application] = context.store.applications("pspn")
    assert application.username == "Jo Applicant"


def test_a_sign_up_the_core_refuses_is_recorded_not_retried(
    client: Client, context: ServerContext
) -> None:
    handle = {**member(), "name": "@jo"}  # not a username the core accepts
    answer = deliver(client, "member_registration_complete", handle)
    assert answer.json() == {"status": "accepted", "result": "refused: ValidationError"}
    assert context.store.applications("pspn") == []
    [record] = context.store.deliveries("invision")
    assert record["intent"] == "refused: ValidationError"
