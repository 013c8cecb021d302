"""The embedded forum's tables, kept beside the store's in the hub's database."""

from __future__ import annotations

from pspn_core.store import Migration

__all__ = ["MIGRATIONS", "OWNER"]

OWNER = "local_forum"

MIGRATIONS = (
    Migration(
        1,
        "users, groups, join requests, areas, posts, calendars, events, messages",
        """
        CREATE TABLE lf_users (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE lf_groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE lf_group_members (
            group_id INTEGER NOT NULL REFERENCES lf_groups(id),
            user_id INTEGER NOT NULL REFERENCES lf_users(id),
            PRIMARY KEY (group_id, user_id)
        );
        CREATE TABLE lf_join_requests (
            id INTEGER PRIMARY KEY,
            group_id INTEGER NOT NULL REFERENCES lf_groups(id),
            user_id INTEGER NOT NULL REFERENCES lf_users(id),
            message TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'declined')),
            created_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE UNIQUE INDEX lf_one_pending_request
            ON lf_join_requests (group_id, user_id) WHERE status = 'pending';
        CREATE TABLE lf_areas (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            visibility TEXT NOT NULL CHECK (visibility IN ('private', 'public', 'unknown')),
            group_id INTEGER REFERENCES lf_groups(id)
        );
        CREATE TABLE lf_posts (
            id INTEGER PRIMARY KEY,
            area_id INTEGER NOT NULL REFERENCES lf_areas(id),
            key TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (datetime('now')),
            updated_at TEXT NOT NULL DEFAULT (datetime('now')),
            UNIQUE (area_id, key)
        );
        CREATE TABLE lf_calendars (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE lf_events (
            id INTEGER PRIMARY KEY,
            calendar_id INTEGER NOT NULL REFERENCES lf_calendars(id),
            key TEXT NOT NULL,
            title TEXT NOT NULL,
            start_utc TEXT NOT NULL,
            end_utc TEXT NOT NULL,
            timezone TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            location TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            revision INTEGER NOT NULL DEFAULT 0,
            UNIQUE (calendar_id, key)
        );
        CREATE TABLE lf_messages (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            sent_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """,
    ),
)
