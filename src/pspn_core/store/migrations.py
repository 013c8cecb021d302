"""The store's schema, one numbered step at a time. Never edit a released step: add one."""

from __future__ import annotations

from pspn_core.store.database import Migration

__all__ = ["MIGRATIONS", "OWNER"]

OWNER = "store"

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "networks, members and the audit log",
        """
        CREATE TABLE networks (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE members (
            network TEXT NOT NULL REFERENCES networks(slug),
            username TEXT NOT NULL COLLATE NOCASE,
            display_name TEXT NOT NULL,
            organisation TEXT NOT NULL DEFAULT '',
            aliases TEXT NOT NULL DEFAULT '[]',
            joined_at TEXT,
            PRIMARY KEY (network, username)
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            network TEXT,
            action TEXT NOT NULL,
            actor TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        );
        """,
    ),
    Migration(
        2,
        "meetings, volunteers, topics and votes",
        """
        CREATE TABLE meetings (
            uid TEXT PRIMARY KEY,
            network TEXT NOT NULL REFERENCES networks(slug),
            original_date TEXT NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            timezone TEXT NOT NULL,
            slot TEXT NOT NULL,
            chair TEXT,
            status TEXT NOT NULL,
            sequence INTEGER NOT NULL DEFAULT 0,
            agenda TEXT NOT NULL DEFAULT '[]',
            cancel_reason TEXT NOT NULL DEFAULT '',
            forum_event_id TEXT,
            published_sequence INTEGER
        );
        CREATE INDEX meetings_by_network ON meetings (network, start);
        CREATE TABLE volunteers (
            network TEXT NOT NULL,
            username TEXT NOT NULL COLLATE NOCASE,
            slots TEXT NOT NULL,
            PRIMARY KEY (network, username),
            FOREIGN KEY (network, username) REFERENCES members (network, username)
                ON DELETE CASCADE
        );
        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            network TEXT NOT NULL REFERENCES networks(slug),
            title TEXT NOT NULL,
            raised_by TEXT,
            raised_at TEXT NOT NULL,
            used_in TEXT REFERENCES meetings(uid)
        );
        CREATE TABLE topic_votes (
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            username TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (topic_id, username)
        );
        """,
    ),
)
