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
)
