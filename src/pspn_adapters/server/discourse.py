"""``POST /webhooks/discourse``: check the signature, drop replays, act on the events we use.

Discourse signs each body: ``X-Discourse-Event-Signature: sha256=<hex HMAC-SHA256
of the raw body>`` keyed with the webhook's secret. The check runs on the bytes
exactly as received and before anything is parsed; redeliveries reuse the
``X-Discourse-Event-Id``, so that id is processed once (see the contract guide,
section 8). The events pspn uses:

- ``user_added_to_group`` / ``user_removed_from_group`` for the network's group:
  the payload carries numeric ids only, so the roster is synced with the forum;
- ``topic_created`` in the network's topics category: a topic for the agenda;
- ``calendar_event_created`` / ``_updated`` / ``_destroyed`` in the network's
  calendar category: recorded; a destroyed meeting event is published again.

Every other event (``ping`` included) is accepted and ignored.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from pspn_adapters.server._payload import as_int, as_map
from pspn_adapters.server.app import HttpError, Request, Response, require_content_type
from pspn_adapters.server.context import ServerContext
from pspn_adapters.server.effects import IGNORED, Intent, Kind, receive
from pspn_adapters.server.settings import NetworkRoutes
from pspn_core.config import Config

__all__ = ["handle", "intent_of", "signature", "verify"]

SOURCE = "discourse"


def signature(secret: bytes, body: bytes) -> str:
    """The ``X-Discourse-Event-Signature`` value Discourse sends for ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` (constant-time comparison)."""
    return hmac.compare_digest(signature(secret, body).encode(), header.strip().encode())


def handle(request: Request, context: ServerContext) -> Response:
    secret = context.secrets.discourse
    if secret is None:
        raise HttpError(404, "this hub does not receive Discourse webhooks")
    require_content_type(request, "application/json")
    if not verify(secret, request.body, request.header("x-discourse-event-signature")):
        raise HttpError(401, "missing or wrong X-Discourse-Event-Signature")
    delivery_id = request.header("x-discourse-event-id").strip()
    if not delivery_id or len(delivery_id) > 64:
        raise HttpError(400, "missing or malformed X-Discourse-Event-Id")
    event = request.header("x-discourse-event").strip()[:64] or "unknown"
    payload = request.json_object()
    intent = intent_of(event, payload, context.config, context.settings.networks)
    return receive(context, SOURCE, delivery_id, event, [intent])


def intent_of(
    event: str,
    payload: Mapping[str, Any],
    config: Config,
    routes: Mapping[str, NetworkRoutes],
) -> Intent:
    """What a Discourse delivery means for pspn (pure; unknown shapes are ignored)."""
    if event in ("user_added_to_group", "user_removed_from_group"):
        group_id = as_int(as_map(payload.get("group_user")).get("group_id"))
        for slug, route in routes.items():
            if group_id is not None and route.discourse_group_id == group_id:
                return Intent(Kind.ROSTER_CHANGED, slug, event=event)
        return IGNORED
    if event == "topic_created":
        topic = as_map(payload.get("topic"))
        category = as_int(topic.get("category_id"))
        title = str(topic.get("title") or "").strip()
        if topic.get("archetype", "regular") != "regular" or not title or category is None:
            return IGNORED
        author = as_map(topic.get("created_by")) or as_map(
            as_map(topic.get("details")).get("created_by")
        )
        for slug, route in routes.items():
            if route.topics_category_id == category:
                username = str(author.get("username") or "")
                ref = str(as_int(topic.get("id")) or "")
                return Intent(
                    Kind.TOPIC_RAISED, slug, title=title[:200], username=username, ref=ref
                )
        return IGNORED
    if event.startswith("calendar_event_"):
        body = as_map(payload.get("calendar_event"))
        category = as_int(as_map(body.get("topic")).get("category_id"))
        post_id = as_int(as_map(body.get("post")).get("id")) or as_int(
            as_map(body.get("event")).get("id")
        )
        if category is None or post_id is None:
            return IGNORED
        kind = Kind.EVENT_DELETED if event.endswith("_destroyed") else Kind.EVENT_CHANGED
        for slug, network in config.networks.items():
            if as_int(network.forum.get("calendar_category_id")) == category:
                return Intent(kind, slug, ref=str(post_id), event=event)
    return IGNORED
