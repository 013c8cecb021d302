"""Discourse webhooks, received by ``pspn serve`` at ``POST /webhooks/discourse``.

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

from pspn_adapters._payload import (
    as_int,
    as_map,
    json_object,
    require_content_type,
    webhook_secret,
)
from pspn_core.config import Config
from pspn_core.errors import ConfigError, WebhookRefused
from pspn_core.ports import Delivery, Intent, WebhookRequest
from pspn_core.ports import IntentKind as Kind

__all__ = ["DEFAULT_SECRET_ENV", "DiscourseWebhooks", "intent_of", "signature", "verify"]

DEFAULT_SECRET_ENV = "PSPN_DISCOURSE_WEBHOOK_SECRET"  # noqa: S105 (a variable name)
IGNORED = Intent(Kind.IGNORED)


def signature(secret: bytes, body: bytes) -> str:
    """The ``X-Discourse-Event-Signature`` value Discourse sends for ``body``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def verify(secret: bytes, body: bytes, header: str) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` (constant-time comparison)."""
    return hmac.compare_digest(signature(secret, body).encode(), header.strip().encode())


class DiscourseWebhooks:
    """The ``discourse`` forum type's webhook receiver."""

    def load_secret(
        self, config: Config, environ: Mapping[str, str], *, required: bool
    ) -> bytes | None:
        table = config.adapters.get("server", {})
        variable = str(table.get("discourse_secret_env") or DEFAULT_SECRET_ENV)
        value = webhook_secret(
            config,
            environ,
            variable,
            forum="discourse",
            what="the webhook secret",
            required=required,
        )
        if value is None:
            return None
        if len(value) < 12:
            raise ConfigError(
                f"the Discourse webhook secret in {variable} is shorter than the 12 "
                "characters Discourse requires; make a longer one on both sides"
            )
        return value.encode()

    def read(
        self,
        request: WebhookRequest,
        secret: bytes,
        config: Config,
        routes: Mapping[str, Mapping[str, Any]],
    ) -> Delivery:
        require_content_type(request, "application/json")
        if not verify(secret, request.body, request.header("x-discourse-event-signature")):
            raise WebhookRefused(401, "missing or wrong X-Discourse-Event-Signature")
        delivery_id = request.header("x-discourse-event-id").strip()
        if not delivery_id or len(delivery_id) > 64:
            raise WebhookRefused(400, "missing or malformed X-Discourse-Event-Id")
        event = request.header("x-discourse-event").strip()[:64] or "unknown"
        intent = intent_of(event, json_object(request.body), config, routes)
        return Delivery(delivery_id, event, (intent,))


def intent_of(
    event: str,
    payload: Mapping[str, Any],
    config: Config,
    routes: Mapping[str, Mapping[str, Any]],
) -> Intent:
    """What a Discourse delivery means for pspn (pure; unknown shapes are ignored)."""
    if event in ("user_added_to_group", "user_removed_from_group"):
        group_id = as_int(as_map(payload.get("group_user")).get("group_id"))
        for slug, route in routes.items():
            if group_id is not None and as_int(route.get("discourse_group_id")) == group_id:
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
            if as_int(route.get("topics_category_id")) == category:
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
