"""The fake Discourse's objects as the JSON Discourse would send.

Only fields the contract documents; :meth:`FakeDiscourse.build` then adds any
other field the contract requires, with a neutral value.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pspn_adapters.discourse.fake.state import Category, Post, Site, Topic, User

__all__ = ["category_json", "event_json", "post_json", "topic_json", "user_json"]

STAFF_GROUP_IDS = {"everyone": 0, "admins": 1, "moderators": 2, "staff": 3}
AVATAR = "/letter_avatar_proxy/v4/letter/a/e47c2d/{size}.png"
STAMP = "2025-01-01T00:00:00.000Z"


def user_json(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "name": user.name or None,
        "avatar_template": AVATAR,
        "title": None,
        "last_posted_at": STAMP,
        "last_seen_at": STAMP,
        "added_at": STAMP,
        "timezone": "Europe/London",
    }


def post_json(site: Site, post: Post, *, with_raw: bool = True) -> dict[str, Any]:
    topic = site.topics[post.topic_id]
    out = {
        "id": post.id,
        "username": post.username,
        "name": post.username,
        "avatar_template": AVATAR,
        "created_at": STAMP,
        "updated_at": STAMP,
        "cooked": f"<p>{len(post.raw)} characters</p>",
        "post_number": topic.post_ids.index(post.id) + 1,
        "post_type": 1,
        "topic_id": topic.id,
        "topic_slug": topic.slug,
        "version": post.version,
    }
    if with_raw:  # the single-post shapes, not the topic view's
        out["raw"] = post.raw
        out["post_url"] = f"/t/{topic.slug}/{topic.id}/1"
    return out


def topic_json(site: Site, topic: Topic) -> dict[str, Any]:
    posts = [site.posts[i] for i in topic.post_ids]
    return {
        "id": topic.id,
        "title": topic.title,
        "fancy_title": topic.title,
        "slug": topic.slug,
        "archetype": topic.archetype,
        "category_id": topic.category_id,
        "posts_count": len(posts),
        "created_at": STAMP,
        "last_posted_at": STAMP,
        "visible": True,
        "post_stream": {
            "posts": [post_json(site, p, with_raw=False) for p in posts],
            "stream": [p.id for p in posts],
        },
    }


def category_json(site: Site, category: Category) -> dict[str, Any]:
    permissions = [
        {
            "permission_type": kind,
            "group_name": name,
            "group_id": STAFF_GROUP_IDS.get(name, getattr(site.groups.get(name), "id", 0)),
        }
        for name, kind in category.permissions.items()
    ]
    return {
        "id": category.id,
        "name": category.name,
        "slug": category.name.lower().replace(" ", "-"),
        "read_restricted": category.read_restricted,
        "permission": 1,
        "group_permissions": permissions,
    }


def event_json(site: Site, post_id: int, event: dict[str, Any]) -> dict[str, Any]:
    topic = site.topics[site.posts[post_id].topic_id]
    status = event["status"]
    return {
        "id": post_id,
        "category_id": topic.category_id,
        "name": event["name"],
        "starts_at": _iso(event["starts_at"]),
        "ends_at": _iso(event["ends_at"]),
        "timezone": event["timezone"],
        "status": status,
        "is_private": status == "private",
        "is_public": status == "public",
        "is_standalone": status == "standalone",
        "is_closed": event["closed"],
        "raw_invitees": event["raw_invitees"],
        "description": event["description"],
        "location": event["location"],
        "post": {
            "id": post_id,
            "post_number": 1,
            "url": f"/t/{topic.slug}/{topic.id}/1",
            "category_slug": str(topic.category_id),
            "topic": {"id": topic.id, "title": topic.title, "slug": topic.slug},
        },
        "occurrences": [],
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
