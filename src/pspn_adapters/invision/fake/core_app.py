"""The fake Invision's ``core`` app: hello, members, groups, clubs, messages, webhooks.

Quirks reproduced on purpose: removing a secondary group answers 201 (the
guide's gotcha 13), a public club applies a membership change before refusing
it (gotcha 10), people who only asked to join appear in no answer (gotcha 11),
and messages answer a bare number and fail with 404 (gotcha 12).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pspn_adapters.invision.fake.handlers import (
    NO_BODY,
    Answer,
    ApiError,
    Fields,
    Handler,
    Params,
    find_club,
    find_member,
    id_filter,
    paginate,
    sort_by,
)
from pspn_adapters.invision.fake.state import Conversation, State

__all__ = ["CORE"]

CLUB_STATUSES = {
    "member", "invited", "requested", "banned", "moderator", "leader",
    "invited_bypassing_payment", "payment_pending", "expired", "expired_moderator", "declined",
}  # fmt: skip


def hello(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    apps = "applications" if state.documented_names else "ipsApplications"
    return 200, {
        "communityName": "Fake Invision",
        "communityUrl": state.base + "/",
        "ipsVersion": "4.7.12",
        apps: ["core", "forums", "calendar"],
    }


def members_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    found = [m for m in state.members.values() if m.email]
    ids = id_filter(query, "ids")
    if ids is not None:
        found = [m for m in found if m.id in ids]
    for name, attr in (("name", "name"), ("email", "email")):
        if name in query:
            prefix = str(query[name]).casefold()
            found = [m for m in found if getattr(m, attr).casefold().startswith(prefix)]
    if "group" in query:
        wanted = query["group"] if isinstance(query["group"], list) else [query["group"]]
        groups = {int(g) for g in wanted}
        found = [m for m in found if m.primary_group in groups or m.secondary_groups & groups]
    found = sort_by(found, query, {"joined": "joined", "name": "name"})
    status, page = paginate(found, query)
    page["results"] = [state.render_member(m) for m in page["results"]]
    return status, page


def member_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    return 200, state.render_member(find_member(state, path["id"], "1C292/2", "INVALID_ID"))


def _secgroup(add: bool) -> Handler:
    codes = ("2C292/15", "2C292/16") if add else ("2C292/17", "2C292/18")

    def handler(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
        member = find_member(state, path["id"], codes[1], "INVALID_MEMBER")
        group = int(path["groupId"])
        if group not in state.groups:
            raise ApiError(404, codes[0], "INVALID_GROUP")
        if add:
            member.secondary_groups.add(group)
        else:
            member.secondary_groups.discard(group)
        return 201, state.render_member(member)

    return handler


def groups_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    status, page = paginate(sorted(state.groups), query)
    page["results"] = [state.render_group(g) for g in page["results"]]
    return status, page


def group_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    if int(path["id"]) not in state.groups:
        raise ApiError(404, "1C358/1", "INVALID_ID")
    return 200, state.render_group(int(path["id"]))


def clubs_index(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    status, page = paginate(sorted(state.clubs.values(), key=lambda c: (c.created, c.id)), query)
    page["results"] = [state.render_club(c) for c in page["results"]]
    return status, page


def club_item(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    return 200, state.render_club(find_club(state, path, "1C386/1"))


def club_members(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    club = find_club(state, path, "1C386/6")
    if club.type == "public":
        raise ApiError(400, "1C386/I", "NO_MEMBERS_PUBLIC_CLUB")
    return 200, state.render_membership(club)


def club_member_set(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    club = find_club(state, path, "1C386/7")
    member = find_member(state, form.get("id"), "1C386/8", "INVALID_MEMBER")
    status = str(form.get("status", "member"))
    club.statuses[member.id] = status if status in CLUB_STATUSES else "member"
    state.outbox.append(
        (
            "club_member_added",
            {
                "club": state.render_club(club, people=False),
                "member": state.render_member(member),
                "status": club.statuses[member.id],
            },
        )
    )
    return club_members(state, path, query, form, now)


def club_member_remove(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    club = find_club(state, path, "1C386/A")
    member = find_member(state, path["memberId"], "1C386/9", "INVALID_MEMBER")
    if club.statuses.pop(member.id, None) is not None:
        payload = {
            "club": state.render_club(club, people=False),
            "member": state.render_member(member),
        }
        state.outbox.append(("club_member_removed", payload))
    return club_members(state, path, query, form, now)


def club_nodes(state: State, path: Params, query: Fields, form: Fields, now: datetime) -> Answer:
    club = find_club(state, path, "1C386/B")
    nodes: list[dict[str, Any]] = [
        state.render_forum(f) for f in state.forums.values() if f.club == club.id
    ]
    nodes += [state.render_calendar(c) for c in state.calendars.values() if c.club == club.id]
    return 200, {"nodes": nodes}


def messages_create(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    sender = find_member(state, form.get("from"), "1C374/2", "INVALID_SENDER")
    to = form.get("to")
    if not isinstance(to, list) or not to:
        raise ApiError(404, "1C374/3", "INVALID_RECIPIENT")
    recipients = [find_member(state, r, "1C374/4", "INVALID_RECIPIENT").id for r in to]
    if not form.get("title") or not form.get("body"):
        raise ApiError(404, "1C374/5", "MISSING_TITLE_OR_BODY")
    ident = state.next_id("conversation")
    state.conversations[ident] = Conversation(
        ident, sender.id, recipients, str(form["title"]), str(form["body"])
    )
    return 201, NO_BODY if state.empty_message_answer else ident


def webhooks_create(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    events = form.get("events")
    if not isinstance(events, list) or not events:
        raise ApiError(400, "1C293/1", "NO_EVENTS")
    url = str(form.get("url", ""))
    if not re.match(r"^https?://", url):
        raise ApiError(400, "1C293/2", "INVALID_URL")
    ident = state.next_id("webhook")
    content_type = str(form.get("content_header") or "application/x-www-form-urlencoded")
    state.webhooks[ident] = {
        "id": ident,
        "events": [str(e) for e in events],
        "url": url,
        "content_header": content_type,
    }
    return 201, {key: state.webhooks[ident][key] for key in ("id", "events", "url")}


def webhooks_delete(
    state: State, path: Params, query: Fields, form: Fields, now: datetime
) -> Answer:
    if state.webhooks.pop(int(path["id"]), None) is None:
        raise ApiError(404, "1C293/3", "INVALID_ID")
    return 200, None


CORE: dict[str, Handler] = {
    "core_hello_GETindex": hello,
    "core_members_GETindex": members_index,
    "core_members_GETitem": member_item,
    "core_members_POSTitem_secgroup": _secgroup(add=True),
    "core_members_DELETEitem_secgroup": _secgroup(add=False),
    "core_groups_GETindex": groups_index,
    "core_groups_GETitem": group_item,
    "core_clubs_GETindex": clubs_index,
    "core_clubs_GETitem": club_item,
    "core_clubs_GETitem_members": club_members,
    "core_clubs_POSTitem_members": club_member_set,
    "core_clubs_DELETEitem_members": club_member_remove,
    "core_clubs_GETitem_nodes": club_nodes,
    "core_messages_POSTindex": messages_create,
    "core_webhooks_POSTindex": webhooks_create,
    "core_webhooks_DELETEitem": webhooks_delete,
}
