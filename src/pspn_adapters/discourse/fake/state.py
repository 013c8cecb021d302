"""The state of the fake Discourse (served by :mod:`.server`, routed by :mod:`.routes`).

A small in-memory forum: users, groups with membership requests, categories
with group permissions, topics with ``external_id``, posts, private messages
and calendar-plugin events parsed from ``[event]`` blocks. It answers with
Discourse's statuses and error bodies (guide section 3) and builds 2xx bodies
from the contract, so they carry documented fields only.
"""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Category", "Group", "Reply", "Site", "Topic", "User"]

EXTERNAL_ID = re.compile(r"[A-Za-z0-9_-]{1,50}")
EVENT_BLOCK = re.compile(r"\[event\s+([^\]]*)\](.*?)\[/event\]", re.S)
MEMO_SECONDS = 120


@dataclass
class Reply:
    """What a route answers: status, JSON (or text) body, extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    validate: bool = True


def error(status: int, message: str, error_type: str | None = None, **extras: Any) -> Reply:
    body: dict[str, Any] = {"errors": [message]}
    if error_type:
        body["error_type"] = error_type
    if extras:
        body["extras"] = extras
    return Reply(status, body)


def not_found() -> Reply:
    return error(404, "The requested URL or resource could not be found.", "not_found")


def invalid(message: str) -> Reply:
    return error(400, message, "invalid_parameters")


def create_failed(*messages: str) -> Reply:
    return Reply(422, {"action": "create_post", "errors": list(messages)})


@dataclass
class User:
    id: int
    username: str
    name: str = ""
    admin: bool = False


@dataclass
class Group:
    id: int
    name: str
    members: list[int] = field(default_factory=list)
    requests: dict[int, str] = field(default_factory=dict)


@dataclass
class Category:
    id: int
    name: str
    read_restricted: bool = True
    permissions: dict[str, int] = field(default_factory=dict)  # group name -> type 1/2/3
    hidden: bool = False  # answer 403 to the acting user, as for a category it cannot see


@dataclass
class Topic:
    id: int
    title: str
    category_id: int | None
    external_id: str | None
    archetype: str = "regular"
    recipients: list[str] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-") or "topic"


@dataclass
class Post:
    id: int
    topic_id: int
    raw: str
    username: str
    version: int = 1


class Site:
    """The fake forum's data and the rules its routes enforce."""

    def __init__(self, *, min_title_length: int = 15, min_post_length: int = 20) -> None:
        self.users: dict[int, User] = {}
        self.groups: dict[str, Group] = {}
        self.categories: dict[int, Category] = {}
        self.topics: dict[int, Topic] = {}
        self.posts: dict[int, Post] = {}
        self.events: dict[int, dict[str, Any]] = {}  # post id -> parsed event
        self.calendar_enabled = True
        self.approval_required = False
        self.browser_user: str | None = None  # who is logged in, for DiscourseConnect
        self.min_title_length = min_title_length
        self.min_post_length = min_post_length
        self._memo: dict[str, tuple[float, Reply]] = {}
        self._next = 100

    # -- back door ------------------------------------------------------------
    def new_id(self) -> int:
        self._next += 1
        return self._next

    def add_user(self, username: str, name: str = "", *, admin: bool = False) -> User:
        user = User(self.new_id(), username, name, admin)
        self.users[user.id] = user
        return user

    def user(self, username: str) -> User | None:
        wanted = username.lower()
        return next((u for u in self.users.values() if u.username.lower() == wanted), None)

    def add_group(self, name: str) -> Group:
        group = self.groups[name.lower()] = Group(self.new_id(), name)
        return group

    def group_by_id(self, group_id: int) -> Group | None:
        return next((g for g in self.groups.values() if g.id == group_id), None)

    def add_category(self, name: str, *, groups: dict[str, int] | None = None) -> Category:
        """A category; ``groups=None`` makes it public (``everyone`` may do anything)."""
        category = Category(self.new_id(), name, groups is not None, groups or {"everyone": 1})
        self.categories[category.id] = category
        return category

    def move_topic(self, topic_id: int, category_id: int) -> None:
        """Move a topic to another category, as a moderator would."""
        self.topics[topic_id].category_id = category_id

    def topics_with_external_id(self, external_id: str) -> list[Topic]:
        return [
            t for t in self.topics.values() if (t.external_id or "").lower() == external_id.lower()
        ]

    # -- writes the routes make -----------------------------------------------
    def create_post(self, user: User, body: dict[str, Any]) -> Reply:
        key = f"{user.id}:{sorted(body.items())!r}"
        now = time.monotonic()
        memo = self._memo.get(key)
        if memo and now - memo[0] < MEMO_SECONDS:
            return memo[1]  # Discourse memoizes identical admin-key creates for 120 s
        reply = self._create_post(user, body)
        if reply.status == 200:
            self._memo[key] = (now, reply)
        return reply

    def _create_post(self, user: User, body: dict[str, Any]) -> Reply:
        title, raw = str(body.get("title", "")), str(body.get("raw", ""))
        pm = body.get("archetype") == "private_message"
        problems = []
        if len(title.strip()) < self.min_title_length:
            problems.append(f"Title is too short (minimum is {self.min_title_length} characters)")
        if len(raw.strip()) < self.min_post_length:
            problems.append(f"Body is too short (minimum is {self.min_post_length} characters)")
        recipients: list[str] = []
        if pm:
            recipients = [r for r in str(body.get("target_recipients", "")).split(",") if r]
            unknown = [r for r in recipients if self.user(r) is None]
            if not recipients or unknown:
                problems.append(f"Unknown recipients: {', '.join(unknown) or '(none)'}")
        ext = body.get("external_id")
        if not user.admin:
            ext = None  # honoured only for staff: dropped without an error
        if ext is not None:
            if not EXTERNAL_ID.fullmatch(str(ext)):
                problems.append("External ID is invalid")
            elif self.topics_with_external_id(str(ext)):
                problems.append("External ID has already been taken")
        category = body.get("category")
        if not pm and category not in self.categories:
            problems.append("Category can't be blank")
        if not pm and any(t.title.lower() == title.lower() for t in self.topics.values()):
            problems.append("Title has already been used")
        event_problem = self._event_problem(raw)
        if event_problem:
            problems.append(event_problem)
        if problems:
            return create_failed(*problems)
        if self.approval_required and not pm:
            return Reply(200, {"action": "enqueued", "pending_post": {"id": self.new_id()}})
        topic = Topic(self.new_id(), title, None if pm else category, ext, "regular", recipients)
        if pm:
            topic.archetype = "private_message"
        post = Post(self.new_id(), topic.id, raw, user.username)
        topic.post_ids.append(post.id)
        self.topics[topic.id], self.posts[post.id] = topic, post
        self._sync_event(post)
        return Reply(200, post)

    def update_post(self, post: Post, raw: str) -> Reply:
        problem = self._event_problem(raw)
        if problem:
            return error(422, problem, "record_invalid")
        if raw != post.raw:
            post.raw, post.version = raw, post.version + 1
            self._sync_event(post)
        return Reply(200, post)

    # -- the calendar plugin --------------------------------------------------
    def _event_problem(self, raw: str) -> str:
        if not self.calendar_enabled or not (block := EVENT_BLOCK.search(raw)):
            return ""
        try:
            parse_event(block, self)
        except ValueError as problem:
            return str(problem)
        return ""

    def _sync_event(self, post: Post) -> None:
        topic = self.topics[post.topic_id]
        block = EVENT_BLOCK.search(post.raw)
        if not self.calendar_enabled or topic.post_ids[0] != post.id:
            return  # the plugin is off (the block is inert) or it is not a first post
        if block is None:
            self.events.pop(post.id, None)
        else:
            self.events[post.id] = parse_event(block, self)


def parse_event(block: re.Match[str], site: Site) -> dict[str, Any]:
    """The event an ``[event]`` block describes; ``ValueError`` as the plugin's 422 would."""
    attributes = dict(part.split("=", 1) for part in shlex.split(block.group(1)) if "=" in part)
    try:
        zone = ZoneInfo(attributes.get("timezone", "UTC"))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("Invalid timezone") from None
    try:
        start = datetime.strptime(attributes["start"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
        end = start
        if "end" in attributes:
            end = datetime.strptime(attributes["end"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    except (KeyError, ValueError):
        raise ValueError("Invalid start or end date") from None
    if end < start:
        raise ValueError("End date must be after start date")
    status = attributes.get("status", "standalone")
    if status not in ("public", "private", "standalone"):
        raise ValueError("Invalid status")
    groups = [g for g in attributes.get("allowedGroups", "").split(",") if g]
    if any(g.lower() not in site.groups for g in groups):
        raise ValueError("Allowed groups must be existing groups")
    name = attributes.get("name")
    if name is not None and not 5 <= len(name) <= 255:
        raise ValueError("Name must be between 5 and 255 characters")
    return {
        "name": name,
        "starts_at": start.astimezone(UTC),
        "ends_at": end.astimezone(UTC),
        "timezone": str(zone),
        "status": status,
        "raw_invitees": groups,
        "closed": attributes.get("closed") == "true",
        "location": attributes.get("location"),
        "description": block.group(2).strip() or None,
    }
