"""Invision webhooks, received by ``pspn serve`` at ``POST /webhooks/invision``.

The Basic credentials are checked first, then the events pspn uses are read.

Invision signs nothing. A webhook registered through ``POST /core/webhooks``
sends ``Authorization: Basic base64("<API key>:")``, so only deliveries that
carry the configured key are accepted (compared in constant time). Invision
sends no delivery id either: a digest of the event key and body stands in for
one, so a repeated delivery is processed once. The body is JSON whatever the
Content-Type says (see the contract guide, *Webhooks*). The events pspn uses:

- ``member_create`` / ``member_registration_complete`` with a network's sign-up
  field ticked: an application to that network;
- ``club_member_added`` / ``club_member_removed`` for a network's club: a join
  request (status ``requested``) is collected, any other change syncs the roster;
- ``forumsTopic_create`` in a network's topics forum: a topic for the agenda;
- ``calendarEvent_create`` / ``calendarEvent_delete`` in a network's calendar:
  recorded; a deleted meeting event is published again.
"""

from __future__ import annotations

import base64
import binascii
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
from pspn_core.errors import WebhookRefused
from pspn_core.ports import Delivery, Intent, WebhookRequest
from pspn_core.ports import IntentKind as Kind

__all__ = ["InvisionWebhooks", "authorised", "basic_credentials", "intents_of"]
_TICKED = {"1", "yes", "true", "on", "checked"}


def basic_credentials(key: str) -> str:
    """The ``Authorization`` value Invision sends for a webhook made with ``key``."""
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def authorised(key: bytes, header: str) -> bool:
    """Whether ``header`` is HTTP Basic with ``key`` as the user (constant-time comparison)."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        user = base64.b64decode(token.strip(), validate=True).partition(b":")[0]
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(user, key)


class InvisionWebhooks:
    """The ``invision`` forum type's webhook receiver."""

    def load_secret(
        self, config: Config, environ: Mapping[str, str], *, required: bool
    ) -> bytes | None:
        variable = str(
            config.adapters.get("server", {}).get("invision_key_env")
            or config.adapters.get("invision", {}).get("api_key_env")
            or "PSPN_INVISION_API_KEY"
        )
        value = webhook_secret(
            config,
            environ,
            variable,
            forum="invision",
            what="the key Invision sends",
            required=required,
        )
        if value is None:
            return None
        return value.encode()

    def read(
        self,
        request: WebhookRequest,
        secret: bytes,
        config: Config,
        routes: Mapping[str, Mapping[str, Any]],
    ) -> Delivery:
        require_content_type(request, "application/json", "application/x-www-form-urlencoded")
        if not authorised(secret, request.header("authorization")):
            raise WebhookRefused(
                401, "missing or wrong credentials", {"WWW-Authenticate": 'Basic realm="pspn"'}
            )
        event = request.header("webhook-event").strip()[:64]
        if not event:
            raise WebhookRefused(400, "missing Webhook-Event header")
        payload = json_object(request.body)
        delivery_id = hashlib.sha256(event.encode() + b"\n" + request.body).hexdigest()[:40]
        return Delivery(delivery_id, event, tuple(intents_of(event, payload, config, routes)))


def intents_of(
    event: str,
    payload: Mapping[str, Any],
    config: Config,
    routes: Mapping[str, Mapping[str, Any]],
) -> list[Intent]:
    """What an Invision delivery means for pspn, per network (pure; unknown shapes: none)."""
    if event in ("member_create", "member_registration_complete"):
        name = str(payload.get("name") or "").strip()
        ident = as_int(payload.get("id"))
        if not name or ident is None:
            return []
        ticked = _ticked_fields(payload.get("customFields"))
        return [
            Intent(Kind.APPLIED, slug, username=name, display_name=name, ref=str(ident))
            for slug, route in routes.items()
            if as_int(route.get("signup_field_id")) in ticked
        ]
    if event in ("club_member_added", "club_member_removed"):
        club = as_int(as_map(payload.get("club")).get("id"))
        requested = event == "club_member_added" and payload.get("status") == "requested"
        kind = Kind.JOIN_REQUEST if requested else Kind.ROSTER_CHANGED
        return [
            Intent(kind, slug, event=event, payload=payload)
            for slug, network in config.networks.items()
            if club is not None and as_int(network.forum.get("club_id")) == club
        ]
    if event == "forumsTopic_create":
        forum = as_int(as_map(payload.get("forum")).get("id"))
        title = str(payload.get("title") or "").strip()
        author = as_map(as_map(payload.get("firstPost")).get("author"))
        return [
            Intent(
                Kind.TOPIC_RAISED,
                slug,
                title=title[:200],
                username=str(author.get("name", "")),
                ref=str(as_int(payload.get("id")) or ""),
            )
            for slug, route in routes.items()
            if title and forum is not None and as_int(route.get("topics_forum_id")) == forum
        ]
    if event in ("calendarEvent_create", "calendarEvent_delete"):
        calendar = as_int(as_map(payload.get("calendar")).get("id"))
        ident = as_int(payload.get("id"))
        kind = Kind.EVENT_DELETED if event.endswith("_delete") else Kind.EVENT_CHANGED
        return [
            Intent(kind, slug, ref=str(ident), event=event)
            for slug, network in config.networks.items()
            if calendar is not None
            and ident is not None
            and as_int(network.forum.get("calendar_id")) == calendar
        ]
    return []


def _ticked_fields(custom_fields: Any) -> set[int]:
    """Ids of the yes/no profile fields ticked (``customFields`` groups, then fields)."""
    ticked = set()
    for group in as_map(custom_fields).values():
        for field_id, field in as_map(as_map(group).get("fields")).items():
            value = as_map(field).get("value")
            if str(value).strip().lower() in _TICKED and (number := as_int(field_id)) is not None:
                ticked.add(number)
    return ticked
