"""``POST /webhooks/discourse``: signatures, replays, limits, and what each event does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pspn_adapters.discourse import webhooks as discourse
from pspn_adapters.discourse.webhooks import intent_of, signature
from pspn_adapters.local import LocalHub
from pspn_adapters.server.context import ServerContext
from pspn_adapters.server.effects import Kind
from pspn_core.config import parse_config
from pspn_core.errors import ForumUnavailable
from tests.server.conftest import DISCOURSE_SECRET, Answer, Client

TOPIC = {
    "topic": {
        "id": 501,
        "title": "Learning from a near miss on discharge letters",
        "category_id": 12,
        "archetype": "regular",
        "created_by": {"id": 7, "username": "ada_l", "name": "Ada Lovelock"},
    }
}


def deliver(
    client: Client,
    payload: Any,
    *,
    event: str = "topic_created",
    event_id: str = "1001",
    secret: str = DISCOURSE_SECRET,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """Send ``payload`` signed as Discourse signs it (``body`` overrides the bytes sent)."""
    raw = json.dumps(payload).encode() if body is None else body
    sent = {
        "Content-Type": "application/json",
        "X-Discourse-Instance": "https://forum.example.org",
        "X-Discourse-Event-Id": event_id,
        "X-Discourse-Event-Type": event.split("_")[0],
        "X-Discourse-Event": event,
        "X-Discourse-Event-Signature": signature(secret.encode(), raw),
        **(headers or {}),
    }
    return client.request("POST", "/webhooks/discourse", raw, sent)


def test_a_topic_in_the_topics_category_is_raised_for_the_agenda(
    client: Client, context: ServerContext
) -> None:
    answer = deliver(client, TOPIC)
    assert answer.status == 200, answer.body
    assert answer.json()["status"] == "accepted"
    topics = context.store.topics("pspn")
    assert [(t.title, t.raised_by) for t in topics] == [(TOPIC["topic"]["title"], "ada_l")]
    assert context.store.topics("north") == []
    [record] = context.store.deliveries("discourse")
    assert record["delivery_id"] == "1001"
    assert record["network"] == "pspn"
    assert str(record["intent"]).startswith("topic.raised")


def test_a_replayed_delivery_is_processed_once(client: Client, context: ServerContext) -> None:
    first = deliver(client, TOPIC)
    again = deliver(client, TOPIC)
    assert (first.status, again.status) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert len(context.store.topics("pspn")) == 1
    assert context.store.delivery_count("discourse") == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Discourse-Event-Signature": ""},
        {"X-Discourse-Event-Signature": "sha256=" + "0" * 64},
        {"X-Discourse-Event-Signature": "sha1=abc"},
    ],
    ids=["missing", "wrong", "other-scheme"],
)
def test_a_forged_signature_is_refused_before_anything_happens(
    client: Client, context: ServerContext, headers: dict[str, str]
) -> None:
    answer = deliver(client, TOPIC, headers=headers)
    assert answer.status == 401
    assert "signature" in answer.json()["error"].lower()
    assert context.store.topics("pspn") == []
    assert context.store.delivery_count() == 0


def test_a_body_signed_with_another_secret_or_altered_after_signing_is_refused(
    client: Client, context: ServerContext
) -> None:
    assert deliver(client, TOPIC, secret="someone-elses-secret").status == 401
    raw = json.dumps(TOPIC).encode()
    tampered = raw.replace(b"near miss", b"nearmiss!")
    headers = {"X-Discourse-Event-Signature": signature(DISCOURSE_SECRET.encode(), raw)}
    assert deliver(client, TOPIC, body=tampered, headers=headers).status == 401
    assert context.store.delivery_count() == 0


def test_a_signed_body_that_is_not_json_is_malformed(client: Client) -> None:
    answer = deliver(client, None, body=b'{"topic": {"title": "cut off')
    assert answer.status == 400
    assert answer.json() == {"error": "the body is not valid JSON"}
    assert deliver(client, None, body=b"[1, 2]", event_id="1002").status == 400


def test_a_delivery_without_an_event_id_is_malformed(client: Client) -> None:
    answer = deliver(client, TOPIC, headers={"X-Discourse-Event-Id": ""})
    assert answer.status == 400
    assert "Event-Id" in answer.json()["error"]


def test_an_oversized_body_is_refused_unread(client: Client, context: ServerContext) -> None:
    big = {"topic": {**TOPIC["topic"], "title": "x" * 5000}}
    answer = deliver(client, big)
    assert answer.status == 413
    assert "4096" in answer.json()["error"]
    assert context.store.delivery_count() == 0


def test_a_truncated_body_is_malformed(client: Client) -> None:
    raw = json.dumps(TOPIC).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Discourse-Event-Id": "1003",
        "X-Discourse-Event": "topic_created",
        "X-Discourse-Event-Signature": signature(DISCOURSE_SECRET.encode(), raw),
    }
    answer = client.request(
        "POST", "/webhooks/discourse", raw[:40], headers, content_length=len(raw)
    )
    assert answer.status == 400
    assert "shorter" in answer.json()["error"]


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_wrong_content_type_is_refused(client: Client, content_type: str) -> None:
    answer = deliver(client, TOPIC, headers={"Content-Type": content_type})
    assert answer.status == 415
    assert "application/json" in answer.json()["error"]


def test_charset_parameters_are_fine(client: Client) -> None:
    answer = deliver(client, TOPIC, headers={"Content-Type": "application/json; charset=utf-8"})
    assert answer.status == 200


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("ping", {"ping": "OK"}),
        ("post_created", {"post": {"id": 9, "raw": "Hello"}}),
        ("topic_created", {"topic": {**TOPIC["topic"], "category_id": 99}}),
        ("topic_created", {"topic": {**TOPIC["topic"], "archetype": "private_message"}}),
        ("user_added_to_group", {"group_user": {"group_id": 999, "user_id": 7}}),
        ("something_new", {"surprise": [1, 2, 3]}),
    ],
    ids=["ping", "post", "other-category", "private-message", "other-group", "unknown"],
)
def test_events_we_do_not_use_are_accepted_and_ignored(
    client: Client, context: ServerContext, event: str, payload: dict[str, Any]
) -> None:
    answer = deliver(client, payload, event=event)
    assert answer.status == 200
    assert answer.json() == {"status": "accepted", "result": "ignored"}
    assert context.store.topics("pspn") == []
    assert context.store.delivery_count("discourse") == 1


def test_a_group_change_syncs_the_roster_with_the_forum(
    client: Client, context: ServerContext, server_hub: Path
) -> None:
    hub = LocalHub(server_hub / "pspn-data" / "pspn.db")
    try:
        hub.create_user("ada_l", "Ada Lovelock")
    finally:
        hub.close()
    context.forum("pspn").add_member("ada_l")
    added = {"group_user": {"id": 3, "group_id": 41, "user_id": 7}}
    answer = deliver(client, added, event="user_added_to_group")
    assert answer.status == 200
    assert answer.json()["result"] == "roster.changed: +1 -0"
    assert [m.username for m in context.store.members("pspn")] == ["ada_l"]


def test_a_forum_that_is_away_gets_the_delivery_retried(
    client: Client, context: ServerContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def away(slug: str) -> Any:
        raise ForumUnavailable("forum unreachable")

    monkeypatch.setattr(context, "_forum", away)
    added = {"group_user": {"id": 3, "group_id": 41, "user_id": 7}}
    answer = deliver(client, added, event="user_added_to_group")
    assert answer.status == 503
    assert context.store.delivery_count() == 0
    monkeypatch.undo()
    assert deliver(client, added, event="user_added_to_group").json()["status"] == "accepted"


def test_an_unexpected_failure_is_a_json_500_without_a_traceback(
    client: Client, context: ServerContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("secret detail from deep inside")

    monkeypatch.setattr(discourse, "intent_of", broken)
    answer = deliver(client, TOPIC)
    assert answer.status == 500
    assert answer.json() == {"error": "internal error; see the server log"}
    assert b"Traceback" not in answer.body and b"secret detail" not in answer.body
    monkeypatch.undo()
    assert deliver(client, TOPIC).json()["status"] == "accepted"


def test_calendar_events_map_to_their_network_by_category() -> None:
    config = parse_config(
        '[networks.pspn]\nname = "P"\nforum = { group = "g", calendar_category_id = 30 }\n',
        source=Path("pspn.toml"),
    )
    routes: dict[str, dict[str, Any]] = {"pspn": {}}
    payload = {"calendar_event": {"post": {"id": 88}, "topic": {"category_id": 30}}}
    deleted = intent_of("calendar_event_destroyed", payload, config, routes)
    assert (deleted.kind, deleted.network, deleted.ref) == (Kind.EVENT_DELETED, "pspn", "88")
    changed = intent_of("calendar_event_updated", payload, config, routes)
    assert changed.kind is Kind.EVENT_CHANGED
    elsewhere = {"calendar_event": {"post": {"id": 88}, "topic": {"category_id": 31}}}
    assert intent_of("calendar_event_destroyed", elsewhere, config, routes).kind is Kind.IGNORED


def test_routing_and_methods(client: Client) -> None:
    assert client.request("GET", "/healthz").json() == {"status": "ok"}
    missing = client.request("GET", "/admin")
    assert (missing.status, missing.json()) == (404, {"error": "not found"})
    wrong = client.request("GET", "/webhooks/discourse")
    assert wrong.status == 405
    assert wrong.headers["Allow"] == "POST"
