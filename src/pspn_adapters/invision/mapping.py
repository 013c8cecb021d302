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
    "says_note",
    "superseded_notice",
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
    club: Mapping[str, Any],
    nodes: Iterable[Mapping[str, Any]],
    node_id: int,
    *,
    kind: str = "forum",
    staff_groups: Iterable[int] = (),
) -> PrivacyCheck:
    """Whether node ``node_id`` (a ``forum`` or a ``calendar``) is members-only in ``club``.

    The club must be private or closed. The node is then read as the
    documentation describes: its view and read permissions (``perm_view``,
    ``perm_2``) must name no group but listed staff groups (``''`` means
    nobody beyond the club's own members); ``'*'`` or another group makes it
    public. 4.7.12 also sends ``public`` (0 or 1) on club nodes, which is read
    too; when both are there, the stricter reading wins. Anything else fails
    closed.
    """
    club_kind = str(club.get("type", ""))
    if club_kind not in PRIVATE_CLUB_TYPES:
        shown = club_kind or "not stated"
        return PrivacyCheck(
            Privacy.PUBLIC if club_kind else Privacy.UNKNOWN,
            f"club {club.get('id')} is {shown}; only private or closed clubs hide their content",
        )
    name = f"{kind} {node_id}"
    for node in nodes:
        if _node_kind(node) != kind or _maybe_int(node.get("id")) != node_id:
            continue
        verdicts = []
        permissions = node.get("permissions")
        if isinstance(permissions, Mapping):
            where = f"in {club_kind} club {club.get('id')}"
            verdicts.append(_permission_privacy(permissions, set(staff_groups), name, where))
        public = node.get("public")
        if public is False or (public is not None and _maybe_int(public) == 0):
            verdicts.append(
                PrivacyCheck(Privacy.PRIVATE, f"{name} is in {club_kind} club {club['id']}")
            )
        elif public is not None:
            verdicts.append(PrivacyCheck(Privacy.PUBLIC, f"{name} is a public area of the club"))
        for verdict in verdicts:  # the strictest reading wins
            if verdict.privacy is not Privacy.PRIVATE:
                return verdict
        if verdicts:
            return verdicts[0]
        return PrivacyCheck(
            Privacy.UNKNOWN, f"{name} shows neither its permissions nor if it is public"
        )
    return PrivacyCheck(
        Privacy.UNKNOWN, f"{name} is not among the {kind}s of club {club.get('id')}"
    )


def _node_kind(node: Mapping[str, Any]) -> str:
    """``forum`` or ``calendar`` (or ``""``), from a node's ``class`` or its fields."""
    cls = str(node.get("class", "")).lower()
    if "calendar" in cls:
        return "calendar"
    if "forums" in cls or "topics" in node:
        return "forum"
    return ""


def _permission_privacy(
    permissions: Mapping[str, Any], allowed: set[int], name: str, where: str
) -> PrivacyCheck:
    """Club nodes: private when view and read name no group but ``allowed`` (staff)."""
    for key, what in (("perm_view", "see"), ("perm_2", "read")):
        raw = permissions.get(key)
        if raw is None:
            return PrivacyCheck(Privacy.UNKNOWN, f"{name} does not say who may {what} it")
        value = str(raw).strip()
        if value == "*":
            return PrivacyCheck(Privacy.PUBLIC, f"every group may {what} {name}")
        groups = {_maybe_int(part) for part in value.split(",") if part.strip()}
        if None in groups:
            return PrivacyCheck(Privacy.UNKNOWN, f"{name} {key} is unreadable")
        others = sorted(g for g in groups if g is not None and g not in allowed)
        if others:
            return PrivacyCheck(Privacy.PUBLIC, f"groups {others} may {what} {name}")
    return PrivacyCheck(Privacy.PRIVATE, f"only the club's members may see {name} ({where})")


def forum_privacy(
    forum: Mapping[str, Any],
    group_id: int,
    staff_groups: Iterable[int] = (),
    *,
    kind: str = "forum",
) -> PrivacyCheck:
    """Whether only the network's group (and listed staff groups) may view and read a node.

    Works for forums and calendars alike (``kind`` names it in the reason).
    """
    name = f"{kind} {forum.get('id')}"
    permissions = forum.get("permissions")
    if not isinstance(permissions, Mapping):
        return PrivacyCheck(Privacy.UNKNOWN, f"{name} shows no permissions")
    allowed = {group_id, *staff_groups}
    for key, what in (("perm_view", "see"), ("perm_2", "read")):
        value = str(permissions.get(key) if permissions.get(key) is not None else "").strip()
        if value == "*":
            return PrivacyCheck(Privacy.PUBLIC, f"every group may {what} {name}")
        groups = {_maybe_int(part) for part in value.split(",") if part.strip()}
        if None in groups:
            return PrivacyCheck(Privacy.UNKNOWN, f"{name} {key} is unreadable")
        others = sorted(g for g in groups if g is not None and g not in allowed)
        if others:
            return PrivacyCheck(Privacy.PUBLIC, f"groups {others} may {what} {name}, not only ours")
        if group_id not in groups:
            return PrivacyCheck(
                Privacy.UNKNOWN, f"the network's group {group_id} may not {what} {name}"
            )
    return PrivacyCheck(Privacy.PRIVATE, f"only group {group_id} may see {name}")


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


_SUPERSEDES = re.compile(r'<p data-pspn="supersedes">.*?</p>', re.DOTALL)


def note_html(post: Post, *, supersedes: int | None = None) -> str:
    """A note's first post: our marker, a line naming the topic it replaces, the text."""
    notice = ""
    if supersedes is not None:
        notice = (
            '<p data-pspn="supersedes"><strong>This replaces the earlier version in topic '
            f"{supersedes}, which can no longer be changed.</strong></p>"
        )
    return marker("note", post.key) + notice + text_to_html(post.body)


def superseded_notice(new_topic: int) -> str:
    """The reply left in an old version's topic, pointing at the new one."""
    return (
        f"<p><strong>This has been replaced by an updated version: topic {new_topic}.</strong></p>"
    )


def says_note(content: str, post: Post) -> bool:
    """Whether a first post already says ``post`` (markers and supersede notices aside)."""
    return same_text(_SUPERSEDES.sub("", content), note_html(post))


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
