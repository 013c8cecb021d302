"""A forum adapter from another distribution, as a third party would write one.

It speaks to the embedded forum's database (so the test needs no server), and
receives its own webhooks at ``/webhooks/exampleforum``: JSON bodies signed with
HMAC-SHA256 in ``X-Example-Signature``, keyed by ``$EXAMPLE_FORUM_SECRET``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from pspn_core import hookimpl
from pspn_core.config import Config
from pspn_core.errors import ConfigError, WebhookRefused
from pspn_core.ports import Delivery, Forum, Intent, IntentKind, WebhookRequest
from pspn_core.registries import ForumContext, ForumRegistry, ForumType

__all__ = ["ExampleWebhooks", "pspn_register_forums", "sign"]

SECRET_ENV = "EXAMPLE_FORUM_SECRET"


def sign(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


class ExampleWebhooks:
    def load_secret(
        self, config: Config, environ: Mapping[str, str], *, required: bool
    ) -> bytes | None:
        value = environ.get(SECRET_ENV, "")
        if not value and required:
            raise ConfigError(f"export {SECRET_ENV} before starting pspn serve")
        return value.encode() or None

    def read(
        self,
        request: WebhookRequest,
        secret: bytes,
        config: Config,
        routes: Mapping[str, Mapping[str, Any]],
    ) -> Delivery:
        given = request.header("x-example-signature")
        if not hmac.compare_digest(sign(secret, request.body), given):
            raise WebhookRefused(401, "wrong signature")
        payload = json.loads(request.body)
        intent = Intent(IntentKind.TOPIC_RAISED, payload["network"], title=payload["title"])
        return Delivery(str(payload["id"]), "topic", (intent,))


def _create(context: ForumContext) -> Forum:
    from pspn_adapters.local import create_forum

    return create_forum(context)


@hookimpl
def pspn_register_forums(registry: ForumRegistry) -> None:
    from pspn_adapters.local import LocalNetworkSettings, LocalSettings

    registry.add(
        ForumType(
            name="exampleforum",
            settings_model=LocalSettings,
            network_model=LocalNetworkSettings,
            create=_create,
            description="an example forum from another distribution",
            webhooks=ExampleWebhooks(),
        )
    )
