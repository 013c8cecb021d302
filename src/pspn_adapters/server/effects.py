"""What a delivery means for a network, and carrying it out through the core's services.

The forum modules turn a payload into an :class:`Intent` (pure translation);
:func:`carry_out` acts on it with the services of the earlier issues: a roster
change runs the membership sync, a topic is raised for the agenda, a sign-up
becomes an application, a club join request is collected, and a meeting's
event deleted on the forum is marked to be published again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from pydantic import ValidationError

from pspn_adapters.server.app import HttpError, Request, Response, json_response
from pspn_adapters.server.context import ServerContext
from pspn_core.errors import AdapterError, PspnError, WebhookRefused
from pspn_core.membership import service as membership
from pspn_core.membership.model import Application, clean_name
from pspn_core.ports import Intent, WebhookRequest
from pspn_core.ports import IntentKind as Kind

__all__ = [
    "IGNORED",
    "FedByWebhooks",
    "Intent",
    "Kind",
    "carry_out",
    "handle_webhook",
    "receive",
]

log = logging.getLogger("pspn.server")


IGNORED = Intent(Kind.IGNORED)


@runtime_checkable
class FedByWebhooks(Protocol):
    """A forum (not its receiver) that keeps state fed by webhooks (Invision's join requests)."""

    def receive_webhook(self, event_key: str, payload: Mapping[str, Any]) -> bool: ...


def carry_out(intent: Intent, context: ServerContext) -> str:
    """Act on ``intent``; returns what was done, for the delivery record and the log."""
    if intent.kind is Kind.IGNORED or intent.network is None:
        return str(Kind.IGNORED)
    store, slug = context.store, intent.network
    if slug not in store.networks():
        return "ignored: network not set up"
    network = context.network(slug)
    if intent.kind is Kind.TOPIC_RAISED:
        # The forum's topic id makes a replay (a new delivery id, same topic) a no-op.
        key = f"{intent.kind}:{slug}:{intent.ref}" if intent.ref else None
        title = clean_name(intent.title)  # a forum title with a line break stays one line
        topic = store.add_topic(slug, title, intent.username or None, source_key=key)
        return f"{intent.kind} {topic.id}"
    if intent.kind is Kind.APPLIED:
        application = Application(
            network=slug,
            username=intent.username,
            display_name=clean_name(intent.display_name),
            source="forum",
            source_ref=intent.ref,
            received_at=datetime.now(UTC),
        )
        stored, new = store.record_application(application)
        return f"{intent.kind} {stored.id}" if new else f"{intent.kind}: already held"
    if intent.kind is Kind.EVENT_DELETED:
        uid = store.republish_event(slug, intent.ref)
        return f"{intent.kind}: {uid} to republish" if uid else "ignored: not our event"
    if intent.kind is Kind.EVENT_CHANGED:
        store.audit("meeting.event_changed_on_forum", network=slug, subject=intent.ref)
        return str(intent.kind)
    with context.forum_lock:
        forum = context.forum(slug)
        if intent.event and isinstance(forum, FedByWebhooks):
            forum.receive_webhook(intent.event, intent.payload)
        if intent.kind is Kind.ROSTER_CHANGED:
            result = membership.sync(network, store, forum, context.plugins, apply_changes=True)
            return f"{intent.kind}: +{result.added_to_store} -{result.removed_from_store}"
        collected = membership.collect_requests(network, store, forum)
        return f"{intent.kind}: {len(collected)} new application(s)"


def handle_webhook(request: Request, context: ServerContext) -> Response:
    """A delivery to ``/webhooks/<forum type>``: authenticated and read by its receiver."""
    webhook = context.webhooks[request.path.removeprefix("/webhooks/")]
    routes = {slug: route.model_dump() for slug, route in context.settings.networks.items()}
    try:
        delivery = webhook.receiver.read(
            WebhookRequest(request.headers, request.body), webhook.secret, context.config, routes
        )
    except WebhookRefused as refusal:
        raise HttpError(refusal.status, str(refusal), refusal.headers) from None
    return receive(context, webhook.forum, delivery.id, delivery.event, delivery.intents)


def receive(
    context: ServerContext,
    source: str,
    delivery_id: str,
    event: str,
    intents: Sequence[Intent],
) -> Response:
    """Handle an authenticated delivery once: a replay of ``delivery_id`` changes nothing.

    The delivery is claimed first, so two copies arriving together cannot both
    act. If acting fails because the forum is away, the claim is released and
    the answer (503) asks the forum to deliver again.
    """
    store = context.store
    if not store.claim_delivery(source, delivery_id, event):
        log.info("%s delivery %s (%s): duplicate, ignored", source, delivery_id, event)
        return json_response(200, {"status": "duplicate"})
    try:
        done = [_attempt(intent, context) for intent in intents or [IGNORED]]
    except AdapterError as error:
        store.release_delivery(source, delivery_id)
        kind = type(error).__name__
        log.warning("%s delivery %s (%s): forum failed: %s", source, delivery_id, event, kind)
        raise HttpError(503, "the forum could not be reached; deliver again later") from None
    except BaseException:
        store.release_delivery(source, delivery_id)
        raise
    networks = ",".join(sorted({i.network for i in intents if i.network})) or None
    result = "; ".join(done)
    store.settle_delivery(source, delivery_id, network=networks, intent=result)
    level = logging.WARNING if "refused" in result else logging.INFO
    log.log(level, "%s delivery %s (%s): %s", source, delivery_id, event, result)
    return json_response(200, {"status": "accepted", "result": result})


def _attempt(intent: Intent, context: ServerContext) -> str:
    """:func:`carry_out`, with a refusal by the core recorded rather than raised.

    A forum failure (:class:`AdapterError`) still raises: the delivery is to be retried.
    """
    try:
        return carry_out(intent, context)
    except AdapterError:
        raise
    except (PspnError, ValidationError) as error:
        return f"refused: {type(error).__name__}"
