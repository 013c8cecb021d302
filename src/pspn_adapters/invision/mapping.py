"""Pure translation between Invision's JSON and pspn's port types.

Reading is lenient, as the contract guide asks: integers may arrive as
numeric strings, documented and actual field names differ (``timezone`` and
``timeZone``, ``applications`` and ``ipsApplications``), and unknown fields
are ignored. Writing uses only documented form fields, times in UTC (Invision
does not convert offsets), and a marker in the HTML that lets us find a topic
or an event again, since Invision has no external id.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from pspn_core.ports import CalendarEvent, EventStatus, ForumUser, Post, Privacy, PrivacyCheck

__all__ = [
    "CANCELLED_PREFIX",
    "applications",
    "club_people",
    "club_privacy",
    "custom_field",
    "event_description",
    "event_fields",
    "event_is_cancelled",
    "event_matches",
    "first_post_content",
    "forum_privacy",
    "has_marker",
    "join_request_change",
    "marker",
    "member_time_zone",
    "note_html",
    "parse_time",
    "same_text",
    "text_to_html",
    "to_int",
    "user",
    "utc_text",
]

CANCELLED_PREFIX = "Cancelled: "
_CANCELLED = "<!-- pspn:status:cancelled -->"
#: Club types whose content only members can read.
PRIVATE_CLUB_TYPES = frozenset({"private", "closed"})


def to_int(value: Any) -> int:
    """An id or count that may arrive as ``7`` or ``"7"``. Anything else is a ``ValueError``."""
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise ValueError(f"expected an integer, got {value!r}")


def user(member: Mapping[str, Any], display_field: int | None = None) -> ForumUser:
    """A member object (or one embedded in a club, topic or event) as a :class:`ForumUser`.

    Invision has one name per member; a site that keeps people's full names in
    a custom profile field names it with ``display_field`` (its field id).
    """
    name = str(member.get("name") or "")
    shown = custom_field(member, display_field) if display_field is not None else None
    return ForumUser(username=name, display_name=shown or name, forum_id=str(to_int(member["id"])))


def custom_field(member: Mapping[str, Any], field_id: int) -> str | None:
    """The value of custom profile field ``field_id``, whichever field group holds it."""
    groups = member.get("customFields")
    if not isinstance(groups, Mapping):
        return None  # absent, or an empty PHP array sent as []
    for group in groups.values():
        fields = group.get("fields") if isinstance(group, Mapping) else None
        if isinstance(fields, Mapping):
            found = fields.get(str(field_id))
            if isinstance(found, Mapping) and found.get("value"):
                return str(found["value"])
    return None


def member_time_zone(member: Mapping[str, Any]) -> str | None:
    """The member's time zone: 4.7.12 sends ``timeZone``, the docs say ``timezone``."""
    value = member.get("timeZone", member.get("timezone"))
    return str(value) if value else None


def applications(hello: Mapping[str, Any]) -> list[str]:
    """Installed apps: ``ipsApplications`` (what 4.7.12 sends) or ``applications`` (documented)."""
    value = hello.get("ipsApplications", hello.get("applications")) or []
    return [str(app) for app in value]


def club_people(membership: Mapping[str, Any], display_field: int | None = None) -> list[ForumUser]:
    """Owner, leaders, moderators and members of a club, each once."""
    people: dict[str, ForumUser] = {}
    owner = membership.get("owner")
    groups: Iterable[Any] = [[owner] if owner else []]
    groups = [*groups, *(membership.get(key) or [] for key in ("leaders", "moderators", "members"))]
    for group in groups:
        for member in group:
            found = user(member, display_field)
            people.setdefault(found.forum_id, found)
    return list(people.values())


def club_privacy(
    club: Mapping[str, Any], nodes: Iterable[Mapping[str, Any]], forum_id: int
) -> PrivacyCheck:
    """Whether ``forum_id`` is a members-only forum of ``club``. Fails closed."""
    kind = str(club.get("type", ""))
    if kind not in PRIVATE_CLUB_TYPES:
        shown = kind or "not stated"
        return PrivacyCheck(
            Privacy.PUBLIC if kind else Privacy.UNKNOWN,
            f"club {club.get('id')} is {shown}; only private or closed clubs hide their content",
        )
    for node in nodes:
        is_forum = "topics" in node or "forums" in str(node.get("class", "")).lower()
        if not is_forum or _maybe_int(node.get("id")) != forum_id:
            continue
        public = node.get("public")
        if public is None:
            return PrivacyCheck(Privacy.UNKNOWN, f"forum {forum_id} does not say if it is public")
        if public is False or _maybe_int(public) == 0:
            return PrivacyCheck(Privacy.PRIVATE, f"forum {forum_id} is in {kind} club {club['id']}")
        return PrivacyCheck(Privacy.PUBLIC, f"forum {forum_id} is a public area of the club")
    return PrivacyCheck(
        Privacy.UNKNOWN, f"forum {forum_id} is not among the forums of club {club.get('id')}"
    )


def forum_privacy(
    forum: Mapping[str, Any], group_id: int, staff_groups: Iterable[int] = ()
) -> PrivacyCheck:
    """Whether only the network's group (and listed staff groups) may view and read a forum."""
    permissions = forum.get("permissions")
    if not isinstance(permissions, Mapping):
        return PrivacyCheck(Privacy.UNKNOWN, f"forum {forum.get('id')} shows no permissions")
    allowed = {group_id, *staff_groups}
    for key, what in (("perm_view", "see"), ("perm_2", "read")):
        value = str(permissions.get(key) if permissions.get(key) is not None else "").strip()
        if value == "*":
            return PrivacyCheck(Privacy.PUBLIC, f"every group may {what} forum {forum['id']}")
        groups = {_maybe_int(part) for part in value.split(",") if part.strip()}
        if None in groups:
            return PrivacyCheck(Privacy.UNKNOWN, f"forum {forum['id']} {key} is unreadable")
        others = sorted(g for g in groups if g is not None and g not in allowed)
        if others:
            return PrivacyCheck(
                Privacy.PUBLIC, f"groups {others} may {what} forum {forum['id']}, not only ours"
            )
        if group_id not in groups:
            return PrivacyCheck(
                Privacy.UNKNOWN,
                f"the network's group {group_id} may not {what} forum {forum['id']}",
            )
    return PrivacyCheck(Privacy.PRIVATE, f"only group {group_id} may see forum {forum['id']}")


def _maybe_int(value: Any) -> int | None:
    try:
        return to_int(value)
    except ValueError:
        return None


# -- what we write --------------------------------------------------------------


def marker(kind: str, key: str) -> str:
    """The HTML comment that identifies our topic or event, e.g. ``<!-- pspn:note:42 -->``.

    The key is percent-encoded (``-`` too), so it cannot end the comment early,
    and the marker ends with `` -->`` so ``note:4`` never matches ``note:42``.
    """
    return f"<!-- pspn:{kind}:{quote(key, safe=':@._/').replace('-', '%2D')} -->"


def has_marker(content: str | None, mark: str) -> bool:
    return bool(content) and mark in str(content)


def same_text(html_a: str, html_b: str) -> bool:
    """Whether two HTML bodies read the same: markers, tags and spacing aside.

    Invision stores an API key's HTML verbatim, but a site may still tidy it;
    comparing the words a reader sees keeps a retry from looking like a change.
    """
    return _words(html_a) == _words(html_b)


def _words(markup: str) -> str:
    text = re.sub(r"<!--.*?-->|<[^>]*>", " ", markup, flags=re.DOTALL)
    return " ".join(html.unescape(text).split())


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs: blank lines split paragraphs, newlines become ``<br>``."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
        for p in paragraphs
    )


def note_html(post: Post) -> str:
    return marker("note", post.key) + text_to_html(post.body)


def utc_text(moment: datetime) -> str:
    """A time-zone-aware time as ``2025-03-04T18:30:00Z`` (Invision does not convert offsets)."""
    if moment.tzinfo is None:
        raise ValueError("times sent to Invision must be time-zone aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """An Invision output time (``...Z``) as an aware UTC datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def event_fields(event: CalendarEvent, *, calendar_id: int, author_id: int) -> dict[str, Any]:
    """Form fields for creating or editing an event.

    Always carries ``start``, ``end`` and ``description`` together: an edit
    without them turns the event all-day or blanks it (the guide's gotcha 7).
    """
    cancelled = event.status is EventStatus.CANCELLED
    parts = [marker("event", event.key)]
    if cancelled:
        parts.append(_CANCELLED + "<p><strong>This meeting is cancelled.</strong></p>")
    if event.location:
        parts.append(f"<p>Where: {html.escape(event.location)}</p>")
    parts.append(text_to_html(event.description) or "<p>&nbsp;</p>")
    return {
        "calendar": calendar_id,
        "author": author_id,
        "title": (CANCELLED_PREFIX if cancelled else "") + event.title,
        "description": "".join(parts),
        "start": utc_text(event.start),
        "end": utc_text(event.end),
    }


def event_is_cancelled(event: Mapping[str, Any]) -> bool:
    return has_marker(event.get("description"), _CANCELLED)


def join_request_change(
    event_key: str, payload: Mapping[str, Any], club_id: int
) -> tuple[bool, ForumUser] | None:
    """Read a club webhook: ``(True, user)`` for a new join request, ``(False, user)`` when
    the person's request is settled or gone, ``None`` when it is not about our club.
    """
    if event_key not in ("club_member_added", "club_member_removed"):
        return None
    club, member = payload.get("club"), payload.get("member")
    if not isinstance(club, Mapping) or not isinstance(member, Mapping):
        return None
    if _maybe_int(club.get("id")) != club_id:
        return None
    requested = event_key == "club_member_added" and payload.get("status") == "requested"
    return requested, user(member)


def first_post_content(topic: Mapping[str, Any]) -> str:
    first = topic.get("firstPost")
    return str(first.get("content") or "") if isinstance(first, Mapping) else ""


def event_description(event: Mapping[str, Any]) -> str:
    return str(event.get("description") or "")


def event_matches(current: Mapping[str, Any], fields: Mapping[str, Any]) -> bool:
    """Whether an event read back already holds what :func:`event_fields` would send."""
    try:
        times = [
            parse_time(str(current.get(k))) == parse_time(str(fields[k])) for k in ("start", "end")
        ]
        calendar = to_int((current.get("calendar") or {}).get("id"))
    except (ValueError, AttributeError):
        return False
    return (
        all(times)
        and calendar == fields["calendar"]
        and current.get("title") == fields["title"]
        and current.get("description") == fields["description"]
    )
