"""``GET /calendar/SLUG.ics?token=TOKEN``: a network's meetings as a private, pollable feed.

Each network has its own secret token (``pspn calendar token``); the store
keeps only its SHA-256, which is enough for a 256-bit random token. A wrong
token and an unknown network get the same 404 after the same work, so the
answer tells a guesser nothing. The feed carries an ``ETag`` (a digest of its
content) and a ``Last-Modified`` (when that digest last changed), and answers
304 to ``If-None-Match`` or ``If-Modified-Since`` when nothing changed, so
calendar clients can poll often and cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from pspn_adapters.server.app import HttpError, Request, Response
from pspn_adapters.server.context import ServerContext
from pspn_core.meetings.calendar import meetings_to_ics

__all__ = ["feed", "feed_url", "handle", "hash_token", "new_token"]

_NOT_FOUND = "no such calendar"
_NO_TOKEN = hashlib.sha256(b"no calendar token is set").hexdigest()
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def new_token() -> str:
    """A fresh feed token (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(public_url: str, slug: str, token: str) -> str:
    """The address members subscribe to."""
    base = public_url.rstrip("/") or "http://127.0.0.1:8080"
    return f"{base}/calendar/{slug}.ics?token={token}"


def handle(request: Request, context: ServerContext) -> Response:
    name = request.path.removeprefix("/calendar/")
    slug = name.removesuffix(".ics") if name.endswith(".ics") else ""
    token = (request.query.get("token") or [""])[0]
    store = context.store
    known = slug in context.config.networks
    stored = store.calendar_token_hash(slug)
    matches = hmac.compare_digest(hash_token(token), stored or _NO_TOKEN)
    if not (known and stored and token and matches):
        raise HttpError(404, _NOT_FOUND)
    return feed(request, context, slug)


def feed(request: Request, context: ServerContext, slug: str) -> Response:
    """Network ``slug``'s feed (or 304), for a request whose credential was checked."""
    store = context.store
    network = context.network(slug)
    rules = network.meetings
    names = {m.username: m.display_name for m in store.members(slug)}
    meetings = [
        m.model_copy(update={"chair": names.get(m.chair, "a former member")}) if m.chair else m
        for m in store.meetings(slug)
    ]

    def render(stamp: datetime) -> bytes:
        return meetings_to_ics(
            meetings,
            calendar_name=network.name,
            dtstamp=stamp,
            location=rules.location if rules else "",
            url=rules.url if rules else "",
        )

    digest = hashlib.sha256(render(_EPOCH)).hexdigest()[:32]
    modified = datetime.fromisoformat(store.calendar_version(slug, digest)).astimezone(UTC)
    headers = {
        "ETag": f'"{digest}"',
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "private, max-age=300",
    }
    if _not_modified(request, digest, modified):
        return Response(304, b"", headers)
    headers["Content-Type"] = "text/calendar; charset=utf-8"
    return Response(200, render(modified), headers)


def _not_modified(request: Request, digest: str, modified: datetime) -> bool:
    """RFC 9110 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.header("if-none-match")
    if if_none_match:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or f'"{digest}"' in tags
    since = request.header("if-modified-since")
    if not since:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return modified.replace(microsecond=0) <= when
