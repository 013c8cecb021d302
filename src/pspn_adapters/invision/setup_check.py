"""``pspn networks setup`` on Invision: check every configured id before first use.

Reads only: the acting member, the club (or member group), the notes forum and
the calendar, each checked for existence, kind and privacy. An endpoint the
API key was not granted answers 403, which is reported as such. Every problem
is collected; a forum that cannot be reached at all stops the check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pspn_adapters.invision import mapping
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.settings import InvisionNetworkSettings
from pspn_core.errors import AdapterNotFound, AuthenticationFailed
from pspn_core.ports import SetupCheck

__all__ = ["check_setup"]

T = TypeVar("T")
#: Forum types that take topics; a ``category`` or ``redirect`` refuses them.
TOPIC_FORUM_TYPES = frozenset({"discussions", "questions"})


class _Findings:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []

    def read(self, setting: str, what: str, endpoint: str, call: Callable[[], T]) -> T | None:
        try:
            return call()
        except AdapterNotFound:
            self.problems.append(f"{setting}: Invision has no {what}")
        except AuthenticationFailed:
            self.problems.append(
                f"{setting}: the API key may not use {endpoint}; grant that endpoint to the"
                " key (AdminCP > REST & OAuth > API Keys)"
            )
        return None


def check_setup(client: InvisionClient, target: InvisionNetworkSettings) -> SetupCheck:
    """Every problem with ``target``'s ids on the site, in words naming the setting."""
    found = _Findings()
    acting = target.acting_member_id
    if (
        found.read(
            f"acting_member_id = {acting}",
            f"member {acting}",
            "GET /core/members/{id}",
            lambda: client.member(acting),
        )
        is not None
    ):
        found.notes.append(f"acting_member_id = {acting} exists")
    if target.club_id is not None:
        _check_club(client, target, found)
    else:
        _check_group(client, target, found)
    return SetupCheck(tuple(found.problems), tuple(found.notes))


def _check_club(client: InvisionClient, target: InvisionNetworkSettings, found: _Findings) -> None:
    club_id = target.club_id
    assert club_id is not None
    setting = f"club_id = {club_id}"
    club = found.read(
        setting, f"club {club_id}", "GET /core/clubs/{id}", lambda: client.club(club_id)
    )
    nodes = found.read(
        setting, f"club {club_id}", "GET /core/clubs/{id}/nodes", lambda: client.club_nodes(club_id)
    )
    if club is None or nodes is None:
        return
    kind = str(club.get("type", ""))
    if kind not in mapping.PRIVATE_CLUB_TYPES:
        found.problems.append(
            f"{setting}: the club is {kind or 'of no stated type'}; make it private or closed"
        )
    for setting_name, node_id, node_kind in (
        ("notes_forum_id", target.notes_forum_id, "forum"),
        ("calendar_id", target.calendar_id, "calendar"),
    ):
        where = f"{setting_name} = {node_id}"
        ids = {_id(n) for n in nodes if _kind(n) == node_kind}
        if node_id not in ids:
            found.problems.append(f"{where}: not a {node_kind} of club {club_id}")
            continue
        check = mapping.club_privacy(
            club, nodes, node_id, kind=node_kind, staff_groups=target.staff_group_ids
        )
        if node_kind == "forum" and not check.is_private:
            found.problems.append(f"{where}: not private: {check.reason}")
        else:
            found.notes.append(f"{where}: {check.reason}")


def _check_group(client: InvisionClient, target: InvisionNetworkSettings, found: _Findings) -> None:
    group_id = target.group_id
    assert group_id is not None
    found.read(
        f"group_id = {group_id}",
        f"member group {group_id}",
        "GET /core/groups/{id}",
        lambda: client.group(group_id),
    )
    where = f"notes_forum_id = {target.notes_forum_id}"
    forums = found.read(where, "forum list", "GET /forums/forums", lambda: list(client.forums()))
    if forums is not None:
        forum = next((f for f in forums if _id(f) == target.notes_forum_id), None)
        if forum is None:
            found.problems.append(f"{where}: Invision has no such forum")
        elif str(forum.get("type", "discussions")) not in TOPIC_FORUM_TYPES:
            found.problems.append(f"{where}: it is a {forum.get('type')}, which takes no topics")
        else:
            check = mapping.forum_privacy(forum, group_id, target.staff_group_ids)
            if check.is_private:
                found.notes.append(f"{where}: {check.reason}")
            else:
                found.problems.append(f"{where}: not private: {check.reason}")
    where = f"calendar_id = {target.calendar_id}"
    calendar = found.read(
        where,
        f"calendar {target.calendar_id}",
        "GET /calendar/calendars/{id}",
        lambda: client.calendar(target.calendar_id),
    )
    if calendar is not None:
        check = mapping.forum_privacy(calendar, group_id, target.staff_group_ids, kind="calendar")
        found.notes.append(f"{where}: {check.reason}")


def _id(node: dict[str, Any]) -> int | None:
    try:
        return mapping.to_int(node.get("id"))
    except ValueError:
        return None


def _kind(node: dict[str, Any]) -> str:
    cls = str(node.get("class", "")).lower()
    if "calendar" in cls:
        return "calendar"
    return "forum" if "forums" in cls or "topics" in node else ""
