"""The state of a fake Invision community and how it renders as API JSON.

Plain records for members, groups, clubs, forums, calendars, topics, posts,
events and conversations, plus the ``render_*`` functions that turn them into
the objects the contract documents (with 4.7.12's field names: ``timeZone``,
``ipsApplications``). The endpoint behaviour lives in ``handlers.py``,
``core_app.py`` and ``content_apps.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "CLUB_TYPES",
    "Calendar",
    "Club",
    "Event",
    "Forum",
    "Member",
    "State",
    "Topic",
    "iso",
]

CLUB_TYPES = ("public", "open", "closed", "private", "readonly")
#: Club statuses that the club object shows, and under which key.
SHOWN = {"member": "members", "moderator": "moderators", "leader": "leaders"}


def iso(moment: datetime) -> str:
    """RFC 3339 in UTC with a literal ``Z``, no fractions, as Invision writes dates.

    Naive values are wall times the fake stored as UTC (see ``parse_when``).
    """
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Member:
    id: int
    name: str
    email: str
    primary_group: int
    joined: datetime
    secondary_groups: set[int] = field(default_factory=set)
    time_zone: str = "Europe/London"
    #: Custom profile field values by field id (all in field group 1).
    custom_fields: dict[int, str] = field(default_factory=dict)


@dataclass
class Club:
    id: int
    name: str
    type: str
    owner: int
    created: datetime
    statuses: dict[int, str] = field(default_factory=dict)


@dataclass
class Forum:
    id: int
    name: str
    type: str
    permissions: dict[str, str]
    club: int | None = None
    public: bool = False


@dataclass
class Calendar:
    id: int
    name: str
    permissions: dict[str, str]
    club: int | None = None
    public: bool = False


@dataclass
class PostRecord:
    id: int
    topic: int
    author: int
    content: str
    date: datetime


@dataclass
class Topic:
    id: int
    forum: int
    title: str
    author: int
    date: datetime
    posts: list[PostRecord] = field(default_factory=list)


@dataclass
class Event:
    id: int
    calendar: int
    title: str
    description: str
    start: datetime
    end: datetime | None
    author: int
    posted: datetime

    @property
    def all_day(self) -> bool:
        return self.end is None


@dataclass
class Conversation:
    id: int
    sender: int
    recipients: list[int]
    title: str
    body: str


@dataclass
class State:
    """Everything the fake community holds. Ids grow from 1 per kind, as in MySQL."""

    base: str
    groups: dict[int, str] = field(
        default_factory=lambda: {2: "Guests", 3: "Members", 4: "Administrators"}
    )
    members: dict[int, Member] = field(default_factory=dict)
    clubs: dict[int, Club] = field(default_factory=dict)
    forums: dict[int, Forum] = field(default_factory=dict)
    calendars: dict[int, Calendar] = field(default_factory=dict)
    topics: dict[int, Topic] = field(default_factory=dict)
    events: dict[int, Event] = field(default_factory=dict)
    conversations: dict[int, Conversation] = field(default_factory=dict)
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: Queued webhook deliveries: ``(event key, payload)``.
    outbox: list[tuple[str, Any]] = field(default_factory=list)
    documented_names: bool = False
    #: Answer ``POST /core/messages`` with 201 and no body, as documented.
    empty_message_answer: bool = False
    _next: dict[str, int] = field(default_factory=dict)

    def next_id(self, kind: str) -> int:
        self._next[kind] = self._next.get(kind, 0) + 1
        if kind == "group":
            self._next[kind] = max(self._next[kind], max(self.groups) + 1)
        return self._next[kind]

    def url(self, kind: str, ident: int) -> str:
        return f"{self.base}/{kind}/{ident}-item/"

    # -- rendering -------------------------------------------------------------

    def render_group(self, ident: int) -> dict[str, Any]:
        name = self.groups[ident]
        return {"id": ident, "name": name, "formattedName": f"<span>{name}</span>"}

    def render_member(self, member: Member) -> dict[str, Any]:
        zone = "timezone" if self.documented_names else "timeZone"
        return {
            "id": member.id,
            "name": member.name,
            "title": None,
            zone: member.time_zone,
            "formattedName": f"<span>{member.name}</span>",
            "primaryGroup": self.render_group(member.primary_group),
            "secondaryGroups": [self.render_group(g) for g in sorted(member.secondary_groups)],
            "email": member.email,
            "joined": iso(member.joined),
            "registrationIpAddress": "192.0.2.1",
            "warningPoints": 0,
            "reputationPoints": 0,
            "photoUrl": f"{self.base}/uploads/default_photo.png",
            "photoUrlIsDefault": True,
            "coverPhotoUrl": "",
            "profileUrl": self.url("profile", member.id),
            "validating": False,
            "posts": 0,
            "lastActivity": iso(member.joined),
            "lastVisit": None,
            "lastPost": None,
            "profileViews": 0,
            "birthday": None,
            "customFields": self._custom_fields(member),
            "rank": None,
            "achievements_points": 0,
            "allowAdminEmails": False,
            "completed": True,
        }

    @staticmethod
    def _custom_fields(member: Member) -> dict[str, Any]:
        if not member.custom_fields:
            return {}
        fields = {
            str(k): {"name": f"Field {k}", "value": v} for k, v in member.custom_fields.items()
        }
        return {"1": {"name": "Personal information", "fields": fields}}

    def render_membership(self, club: Club) -> dict[str, Any]:
        lists: dict[str, list[dict[str, Any]]] = {key: [] for key in SHOWN.values()}
        for ident, status in club.statuses.items():
            if status in SHOWN and ident in self.members and ident != club.owner:
                lists[SHOWN[status]].append(self.render_member(self.members[ident]))
        owner = self.members.get(club.owner)
        return {"owner": self.render_member(owner) if owner else None, **lists}

    def render_club(self, club: Club, *, people: bool = True) -> dict[str, Any]:
        shown = [i for i, s in club.statuses.items() if s in SHOWN and i != club.owner]
        data: dict[str, Any] = {
            "id": club.id,
            "name": club.name,
            "url": self.url("clubs", club.id),
            "type": club.type,
            "approved": True,
            "created": iso(club.created),
            "memberCount": len(shown) + 1,
            "paid": False,
            "featured": False,
            "about": None,
            "nodes": [self._node_link(f) for f in self.forums.values() if f.club == club.id],
        }
        if people:
            membership = self.render_membership(club)
            for key in ("members", "leaders", "moderators"):
                membership[key] = membership[key][:250]
            data.update(membership)
        else:
            owner = self.members.get(club.owner)
            data["owner"] = self.render_member(owner) if owner else None
        return data

    def _node_link(self, forum: Forum) -> dict[str, Any]:
        return {
            "id": forum.id,
            "name": forum.name,
            "url": self.url("forum", forum.id),
            "class": "IPS\\forums\\Forum",
            "public": int(forum.public),
        }

    def render_forum(self, forum: Forum) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": forum.id,
            "name": forum.name,
            "path": forum.name,
            "type": forum.type,
            "topics": sum(1 for t in self.topics.values() if t.forum == forum.id),
            "url": self.url("forum", forum.id),
            "parentId": -1,
            "permissions": {"perm_id": forum.id, **forum.permissions},
            "club": 0,
        }
        if forum.club is not None:
            if not self.documented_names:  # undocumented; the permissions say it too
                data["public"] = int(forum.public)
            data["club"] = self.render_club(self.clubs[forum.club], people=False)
        return data

    def render_calendar(self, calendar: Calendar) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": calendar.id,
            "name": calendar.name,
            "url": self.url("calendar", calendar.id),
            "class": "IPS\\calendar\\Calendar",
            "parentId": None,
            "permissions": {"perm_id": calendar.id, **calendar.permissions},
            "club": 0,
        }
        if calendar.club is not None:
            if not self.documented_names:
                data["public"] = int(calendar.public)
            data["club"] = self.render_club(self.clubs[calendar.club], people=False)
        return data

    def render_post(self, post: PostRecord) -> dict[str, Any]:
        return {
            "id": post.id,
            "item_id": post.topic,
            "author": self.render_member(self.members[post.author]),
            "date": iso(post.date),
            "content": post.content,
            "hidden": False,
            "url": f"{self.url('topic', post.topic)}?do=findComment&comment={post.id}",
            "reactions": [],
        }

    def render_topic(self, topic: Topic) -> dict[str, Any]:
        return {
            "id": topic.id,
            "title": topic.title,
            "forum": self.render_forum(self.forums[topic.forum]),
            "posts": len(topic.posts),
            "views": 0,
            "prefix": None,
            "tags": [],
            "firstPost": self.render_post(topic.posts[0]),
            "lastPost": self.render_post(topic.posts[-1]),
            "bestAnswer": None,
            "locked": False,
            "hidden": False,
            "pinned": False,
            "featured": False,
            "archived": False,
            "poll": None,
            "url": self.url("topic", topic.id),
            "rating": 0,
            "is_future_entry": 0,
            "publish_date": iso(topic.date),
        }

    def render_event(self, event: Event) -> dict[str, Any]:
        return {
            "id": event.id,
            "title": event.title,
            "calendar": self.render_calendar(self.calendars[event.calendar]),
            "start": iso(event.start),
            "end": iso(event.end) if event.end else None,
            "recurrence": None,
            "rsvp": False,
            "rsvpLimit": None,
            "location": None,
            "venue": None,
            "author": self.render_member(self.members[event.author]),
            "postedDate": iso(event.posted),
            "description": event.description,
            "comments": 0,
            "reviews": 0,
            "views": 0,
            "prefix": None,
            "tags": [],
            "locked": False,
            "hidden": False,
            "featured": False,
            "url": self.url("event", event.id),
        }
