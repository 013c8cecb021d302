"""Pure translation between Discourse JSON and pspn's domain types. No I/O.

Everything read from the forum is read leniently: unknown fields are ignored
and missing optional fields get defaults. A field we cannot do without makes
the verdict fail closed (privacy becomes ``UNKNOWN``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pspn_core.ports import (
    CalendarEvent,
    EventStatus,
    ForumUser,
    JoinRequest,
    Privacy,
    PrivacyCheck,
)

__all__ = [
    "RENDER_MARK",
    "STAFF_GROUPS",
    "event_markup",
    "event_title",
    "external_id",
    "join_request_from_requester",
    "privacy_of_category",
    "same_raw",
    "topic_id_from_location",
    "user_from_member",
]

#: Groups that may see a private category without making it less private.
STAFF_GROUPS = frozenset({"admins", "moderators", "staff"})

#: An invisible line added to (or removed from) a post to make Discourse re-read it.
RENDER_MARK = "<!-- pspn: calendar event rebuilt -->"

_EXTERNAL_ID = re.compile(r"[a-z0-9_-]{1,50}")
_TOPIC_PATH = re.compile(r"/t/(?:[^/]+/)?(\d+)(?:\.json)?/?")


def external_id(key: str) -> str:
    """The Discourse ``external_id`` for one of our keys.

    Discourse allows at most 50 characters of ``[A-Za-z0-9_-]``, unique
    ignoring case. A key that already fits (in lower case) is used as it is;
    any other becomes ``pspn-`` and 40 hex digits of its SHA-256.
    """
    if _EXTERNAL_ID.fullmatch(key):
        return key
    return "pspn-" + hashlib.sha256(key.encode()).hexdigest()[:40]


def topic_id_from_location(location: str) -> int | None:
    """The topic id in a ``/t/{slug}/{id}.json?page=`` (or ``/t/{id}.json``) redirect."""
    match = _TOPIC_PATH.fullmatch(urlsplit(location).path)
    return int(match.group(1)) if match else None


def user_from_member(item: Mapping[str, Any]) -> ForumUser:
    """A group member (``listGroupMembers`` item) as a :class:`ForumUser`."""
    return ForumUser(
        username=str(item["username"]),
        display_name=str(item.get("name") or ""),
        forum_id=str(item.get("id", "")),
    )


def join_request_from_requester(item: Mapping[str, Any]) -> JoinRequest:
    """A ``requesters=true`` item (user + ``reason``) as a :class:`JoinRequest`.

    Discourse keys a request on the user, so the request id is the user id.
    """
    user = user_from_member(item)
    return JoinRequest(request_id=user.forum_id, user=user, message=str(item.get("reason") or ""))


def privacy_of_category(category: Mapping[str, Any], group: str) -> PrivacyCheck:
    """Whether a category (``getCategory``) is private to ``group``.

    Private means ``read_restricted`` and no group but ``group`` (and staff)
    in ``group_permissions``. Anything missing or odd is ``UNKNOWN``.
    """
    name = f"category {category.get('id', '?')} ({category.get('name', 'unnamed')})"
    restricted = category.get("read_restricted")
    if restricted is False:
        return PrivacyCheck(Privacy.PUBLIC, f"{name} is readable by everyone")
    permissions = category.get("group_permissions")
    if restricted is not True or not isinstance(permissions, list):
        return PrivacyCheck(Privacy.UNKNOWN, f"the forum did not say who can read {name}")
    names = {str(p.get("group_name", "")).lower() for p in permissions if isinstance(p, dict)}
    others = sorted(names - STAFF_GROUPS - {group.lower()})
    if others:
        return PrivacyCheck(Privacy.PUBLIC, f"{name} is also readable by: {', '.join(others)}")
    if group.lower() not in names:
        return PrivacyCheck(Privacy.UNKNOWN, f"the group {group!r} has no access to {name}")
    return PrivacyCheck(Privacy.PRIVATE, f"{name} is readable only by {group!r} and staff")


def same_raw(current: str, wanted: str) -> bool:
    """Whether a post's raw already says what we would write (:data:`RENDER_MARK` aside)."""
    return current.replace(RENDER_MARK, "").strip() == wanted.replace(RENDER_MARK, "").strip()


def event_title(event: CalendarEvent) -> str:
    """A topic title, unique per date as Discourse wants: ``"<title> — 2025-10-02"``."""
    local = event.start.astimezone(ZoneInfo(event.timezone))
    return f"{event.title} — {local:%Y-%m-%d}"


def event_markup(event: CalendarEvent, group: str) -> str:
    """The first post of an event topic: one ``[event]`` block for the calendar plugin.

    Times are written in the event's own time zone (``YYYY-MM-DD HH:mm``); the
    event is private to ``group``, unless it is a public event (date and slot
    only), which is a standalone event with no invitees. A cancelled event
    stays, closed and renamed, so it can still be found and reopened by a
    later update.
    """
    zone = ZoneInfo(event.timezone)
    cancelled = event.status is EventStatus.CANCELLED
    name = f"Cancelled: {event.title}" if cancelled else event.title
    attributes = {
        "start": f"{event.start.astimezone(zone):%Y-%m-%d %H:%M}",
        "end": f"{event.end.astimezone(zone):%Y-%m-%d %H:%M}",
        "timezone": event.timezone,
        "status": "private",
        "allowedGroups": group,
        "name": _attribute(name.ljust(5, "."))[:255],
    }
    if event.public:  # date and slot only, in a calendar everyone may read: no invitees
        attributes["status"] = "standalone"
        del attributes["allowedGroups"]
    if event.location:
        attributes["location"] = _attribute(event.location)[:1000]
    if cancelled:
        attributes["closed"] = "true"
    opening = " ".join(f'{key}="{value}"' for key, value in attributes.items())
    description = event.description.strip()[:1000]
    lines = [f"[event {opening}]", *([description] if description else []), "[/event]"]
    if cancelled:
        lines.append("\n**This meeting is cancelled.**")
    return "\n".join(lines) + "\n"


def _attribute(text: str) -> str:
    """Text that cannot end an attribute or the block early."""
    return " ".join(text.replace('"', "'").replace("[", "(").replace("]", ")").split())
