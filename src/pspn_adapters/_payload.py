"""Reading untrusted webhook deliveries: the body must be a JSON object; inside it, a
wrong shape reads as absent and never raises."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pspn_core.errors import ConfigError, WebhookRefused
from pspn_core.ports import WebhookRequest

if TYPE_CHECKING:
    from pspn_core.config import Config

__all__ = ["as_int", "as_map", "json_object", "require_content_type", "webhook_secret"]


def as_map(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else {}


#: The largest id SQLite can hold; anything larger is no id of ours.
_MAX_ID = 2**63 - 1


def as_int(value: Any) -> int | None:
    """A non-negative integer, or a string of ASCII digits, as an ``int`` (forums send both)
    that SQLite can hold; else ``None`` (a superscript digit or a huge number is no id)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 19):
            return None
        value = int(text)
    if isinstance(value, int) and 0 <= value <= _MAX_ID:
        return value
    return None


def json_object(body: bytes) -> dict[str, Any]:
    """``body`` as a JSON object, or a 400 refusal that says what is wrong with it."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError):  # also an integer of thousands of digits
        raise WebhookRefused(400, "the body is not valid JSON") from None
    except RecursionError:
        raise WebhookRefused(400, "the body's JSON is nested too deeply") from None
    if not isinstance(payload, dict):
        raise WebhookRefused(400, "the body is not a JSON object")
    return payload


def require_content_type(request: WebhookRequest, *allowed: str) -> None:
    """Refuse (415) a body whose media type is not one of ``allowed``."""
    media = request.header("content-type").split(";", 1)[0].strip().lower()
    if media not in allowed:
        raise WebhookRefused(415, f"send the body as {' or '.join(allowed)}")


def webhook_secret(
    config: Config,
    environ: Mapping[str, str],
    variable: str,
    *,
    forum: str,
    what: str,
    required: bool,
) -> str | None:
    """The webhook credential in ``$variable``; ``None`` if unset and not ``required``.

    A required one that is missing is a :class:`ConfigError` naming the variable.
    """
    value = environ.get(variable, "").strip()
    if value or not required:
        return value or None
    raise ConfigError(
        f"hub.forum is {forum!r}, so `pspn serve` needs {what} in the environment variable "
        f"{variable} ([adapters.server] in {config.source} names it); export it before "
        "starting the server (see docs/serve.md)"
    )
