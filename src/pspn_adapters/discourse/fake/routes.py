"""The fake Discourse's routes: one function per endpoint the adapter uses.

Each takes the fake, the path parameters, the query and the decoded JSON body
and returns a :class:`~pspn_adapters.discourse.fake.state.Reply`. Statuses and
error bodies follow the contract guide (sections 3 and 6).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pspn_adapters.discourse.fake import render
from pspn_adapters.discourse.fake.state import Reply, error, invalid, not_found

if TYPE_CHECKING:
    from pspn_adapters.discourse.fake.server import FakeDiscourse

__all__ = ["ROUTES"]

Handler = Callable[["FakeDiscourse", dict[str, str], dict[str, str], Any], Reply]
ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern), handler))
        return handler

    return register


@route("GET", r"/site/basic-info\.json")
def basic_info(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    values = {"title": "Fake Discourse", "login_required": True, "locale": "en_GB"}
    return Reply(200, fake.build("GET", "/site/basic-info.json", values))


@route("GET", r"/u/(?P<username>[^/]+)\.json")
def get_user(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    user = fake.site.user(p["username"])
    if user is None:
        return not_found()
    shown = {k: v for k, v in render.user_json(user).items() if k not in ("added_at", "timezone")}
    values = {"user": {**shown, "name": user.name, "admin": user.admin, "moderator": False}}
    return Reply(200, fake.build("GET", "/u/{username}.json", values))


@route("GET", r"/groups/(?P<name>[^/]+)\.json")
def get_group(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    group = fake.site.groups.get(p["name"].lower())
    if group is None:
        return not_found()
    values = {
        "group": {
            "id": group.id,
            "name": group.name,
            "user_count": len(group.members),
            "allow_membership_requests": True,
            "visibility_level": 1,
            "members_visibility_level": 2,
            "can_see_members": True,
            "can_edit_group": True,
        },
        "extras": {"visible_group_names": [group.name]},
    }
    return Reply(200, fake.build("GET", "/groups/{name}.json", values))


@route("GET", r"/groups/(?P<name>[^/]+)/members\.json")
def members(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    group = fake.site.groups.get(p["name"].lower())
    if group is None:
        return not_found()
    limit, offset = q.get("limit", "50"), q.get("offset", "0")
    if not limit.isdigit() or not 0 <= int(limit) <= 1000:
        return invalid("limit must be an integer between 0 and 1000")
    if not offset.isdigit():
        return invalid("offset must be a non-negative integer")
    requesters = q.get("requesters") == "true"
    ids = list(group.requests) if requesters else list(group.members)
    users = [fake.site.users[i] for i in ids]
    if q.get("filter"):
        wanted = [w.strip().lower() for w in q["filter"].split(",")]
        users = [u for u in users if any(w in u.username.lower() for w in wanted)]
    page = users[int(offset) : int(offset) + int(limit)]
    meta = {"total": len(users), "limit": int(limit), "offset": int(offset)}
    if requesters:  # not in the spec: no owners key, so it is exempt from validation
        items = [
            {**render.user_json(u), "reason": group.requests[u.id], "requested_at": "2025-01-01"}
            for u in page
        ]
        return Reply(200, {"members": items, "meta": meta}, validate=False)
    values = {"members": [render.user_json(u) for u in page], "owners": [], "meta": meta}
    return Reply(200, values)


def _usernames(fake: FakeDiscourse, body: Any) -> tuple[list[int], Reply | None]:
    names = [n.strip() for n in str((body or {}).get("usernames", "")).split(",") if n.strip()]
    users = [fake.site.user(n) for n in names]
    unknown = [n for n, u in zip(names, users, strict=True) if u is None]
    if not names or unknown:
        return [], invalid(f"unknown usernames: {', '.join(unknown) or '(none)'}")
    return [u.id for u in users if u is not None], None


@route("PUT", r"/groups/(?P<id>\d+)/members\.json")
def add_members(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    group = fake.site.group_by_id(int(p["id"]))
    if group is None:
        return not_found()
    ids, problem = _usernames(fake, body)
    if problem is not None:
        return problem
    new = [i for i in ids if i not in group.members]
    if not new:
        name = fake.site.users[ids[0]].username
        return error(422, f"{name} is already a member of this group")
    group.members.extend(new)
    added = [fake.site.users[i].username for i in new]
    return Reply(200, {"success": "OK", "usernames": added, "emails": []})


@route("DELETE", r"/groups/(?P<id>\d+)/members\.json")
def remove_members(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    group = fake.site.group_by_id(int(p["id"]))
    if group is None:
        return not_found()
    ids, problem = _usernames(fake, body)
    if problem is not None:
        return problem
    removed = [fake.site.users[i].username for i in ids if i in group.members]
    skipped = [fake.site.users[i].username for i in ids if i not in group.members]
    group.members[:] = [i for i in group.members if i not in ids]
    return Reply(200, {"success": "OK", "usernames": removed, "skipped_usernames": skipped})


@route("PUT", r"/groups/(?P<id>\d+)/handle_membership_request\.json")
def handle_request(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    group = fake.site.group_by_id(int(p["id"]))
    user_id = (body or {}).get("user_id")
    if group is None or not isinstance(user_id, int) or user_id not in fake.site.users:
        return invalid("unknown group or user")
    if user_id not in group.requests:
        return not_found()
    del group.requests[user_id]
    if "accept" in body and user_id not in group.members:  # any value accepts, even false
        group.members.append(user_id)
    return Reply(200, {"success": "OK"}, validate=False)


@route("GET", r"/c/(?P<id>\d+)/show\.json")
def get_category(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    category = fake.site.categories.get(int(p["id"]))
    if category is None:
        return not_found()
    if category.hidden:
        return error(403, "You are not permitted to view the requested resource.", "invalid_access")
    values = {"category": render.category_json(fake.site, category)}
    return Reply(200, fake.build("GET", "/c/{id}/show.json", values))


@route("POST", r"/posts\.json")
def create_post(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    user = fake.site.user(fake.api_username)
    assert user is not None
    reply = fake.site.create_post(user, body or {})
    if reply.status != 200 or isinstance(reply.body, dict):
        return Reply(reply.status, reply.body, validate=False)  # errors, or "enqueued"
    return Reply(200, fake.build("POST", "/posts.json", render.post_json(fake.site, reply.body)))


@route("GET", r"/t/external_id/(?P<external_id>[^/]+)\.json")
def by_external_id(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    topics = fake.site.topics_with_external_id(p["external_id"])
    if not topics:
        return not_found()
    topic = topics[0]
    return Reply(301, None, {"Location": f"{fake.url}/t/{topic.slug}/{topic.id}.json?page="})


@route("GET", r"/t/(?P<id>\d+)\.json")
def get_topic(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    topic = fake.site.topics.get(int(p["id"]))
    if topic is None:
        return not_found()
    return Reply(200, fake.build("GET", "/t/{id}.json", render.topic_json(fake.site, topic)))


@route("GET", r"/posts/(?P<id>\d+)\.json")
def get_post(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    post = fake.site.posts.get(int(p["id"]))
    if post is None:
        return not_found()
    return Reply(200, fake.build("GET", "/posts/{id}.json", render.post_json(fake.site, post)))


@route("PUT", r"/posts/(?P<id>\d+)\.json")
def update_post(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    post = fake.site.posts.get(int(p["id"]))
    if post is None:
        return not_found()
    reply = fake.site.update_post(post, str(((body or {}).get("post") or {}).get("raw", "")))
    if reply.status != 200:
        return reply
    values = {"post": render.post_json(fake.site, post)}
    return Reply(200, fake.build("PUT", "/posts/{id}.json", values))


@route("GET", r"/discourse-post-event/events\.json")
def events(fake: FakeDiscourse, p: dict[str, str], q: dict[str, str], body: Any) -> Reply:
    found = fake.site.events if fake.site.calendar_enabled else {}
    now = datetime.now(UTC)
    items = [
        render.event_json(fake.site, post_id, event)
        for post_id, event in sorted(found.items())
        if event["ends_at"] >= now and q.get("post_id") in (None, str(post_id))
    ]
    values = {"events": items}
    return Reply(200, fake.build("GET", "/discourse-post-event/events.json", values))
