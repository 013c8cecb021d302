"""The administrator's side of the embedded forum: users, groups, areas, calendars.

A real forum's administrator does these things in its web interface; the
local forum offers them here so that ``pspn demo``, tests and operators
trying pspn out can set up a hub with no forum at all.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pspn_adapters.local.schema import MIGRATIONS, OWNER
from pspn_core.errors import AdapterNotFound
from pspn_core.store import connect, migrate, transaction

__all__ = ["LocalHub", "StoredEvent", "StoredMessage", "StoredPost"]

Visibility = Literal["private", "public", "unknown"]


@dataclass(frozen=True)
class StoredPost:
    id: int
    key: str
    title: str
    body: str


@dataclass(frozen=True)
class StoredEvent:
    id: int
    key: str
    title: str
    start_utc: str
    end_utc: str
    timezone: str
    description: str
    status: str
    revision: int


@dataclass(frozen=True)
class StoredMessage:
    id: int
    username: str
    subject: str
    body: str


class LocalHub:
    """Administer the embedded forum stored in the database at ``db_path``."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.conn = connect(db_path)
        migrate(self.conn, OWNER, MIGRATIONS)

    def close(self) -> None:
        self.conn.close()

    # -- users and groups ---------------------------------------------------
    def create_user(self, username: str, display_name: str = "") -> int:
        """Create a forum user (or return the existing one's id)."""
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO lf_users (username, display_name) VALUES (?, ?)"
                " ON CONFLICT (username) DO NOTHING",
                (username, display_name),
            )
        return self.user_id(username)

    def user_id(self, username: str) -> int:
        row = self.conn.execute(
            "SELECT id FROM lf_users WHERE username = ? COLLATE NOCASE", (username,)
        ).fetchone()
        if row is None:
            raise AdapterNotFound(f"the local forum has no user {username!r}", status=404)
        return int(row["id"])

    def create_group(self, name: str) -> int:
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO lf_groups (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,)
            )
        return self.group_id(name)

    def group_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM lf_groups WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AdapterNotFound(
                f"the local forum has no group {name!r}; run `pspn networks setup`", status=404
            )
        return int(row["id"])

    def request_join(self, group: str, username: str, message: str = "") -> int:
        """Record a pending join request (one per user and group; returns its id)."""
        group_id, user_id = self.group_id(group), self.user_id(username)
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO lf_join_requests (group_id, user_id, message) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (group_id, user_id, message),
            )
        row = self.conn.execute(
            "SELECT id FROM lf_join_requests WHERE group_id = ? AND user_id = ?"
            " AND status = 'pending'",
            (group_id, user_id),
        ).fetchone()
        return int(row["id"])

    # -- areas and calendars ------------------------------------------------
    def create_area(self, name: str, *, visibility: Visibility, group: str | None) -> int:
        """Create a posting area, or change the visibility of an existing one."""
        group_id = self.group_id(group) if group else None
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO lf_areas (name, visibility, group_id) VALUES (?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET visibility = excluded.visibility,"
                " group_id = excluded.group_id",
                (name, visibility, group_id),
            )
        return self.area_id(name)

    def area_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM lf_areas WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AdapterNotFound(
                f"the local forum has no area {name!r}; run `pspn networks setup`", status=404
            )
        return int(row["id"])

    def create_calendar(self, name: str) -> int:
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO lf_calendars (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                (name,),
            )
        return self.calendar_id(name)

    def calendar_id(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM lf_calendars WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise AdapterNotFound(
                f"the local forum has no calendar {name!r}; run `pspn networks setup`", status=404
            )
        return int(row["id"])

    # -- what is on the forum -----------------------------------------------
    def posts(self, area: str) -> list[StoredPost]:
        rows = self.conn.execute(
            "SELECT id, key, title, body FROM lf_posts WHERE area_id = ? ORDER BY id",
            (self.area_id(area),),
        ).fetchall()
        return [StoredPost(**dict(row)) for row in rows]

    def events(self, calendar: str) -> list[StoredEvent]:
        rows = self.conn.execute(
            "SELECT id, key, title, start_utc, end_utc, timezone, description, status, revision"
            " FROM lf_events WHERE calendar_id = ? ORDER BY start_utc, id",
            (self.calendar_id(calendar),),
        ).fetchall()
        return [StoredEvent(**dict(row)) for row in rows]

    def messages(self, username: str) -> list[StoredMessage]:
        rows = self.conn.execute(
            "SELECT id, username, subject, body FROM lf_messages WHERE username = ?"
            " COLLATE NOCASE ORDER BY id",
            (username,),
        ).fetchall()
        return [StoredMessage(**dict(row)) for row in rows]

    def group_members(self, group: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT u.username FROM lf_group_members m JOIN lf_users u ON u.id = m.user_id"
            " WHERE m.group_id = ? ORDER BY u.username",
            (self.group_id(group),),
        ).fetchall()
        return [str(row["username"]) for row in rows]

    def erase_user(self, username: str, group: str) -> list[str]:
        """Take ``username`` out of ``group`` and erase what the forum holds on them there.

        Their join requests to the group go. If they belong to no other group,
        their account and every message sent to them go too (pspn is the forum,
        so nobody else will delete them); otherwise the account stays for the
        other networks, and the answer says so. Deleted with ``secure_delete``.
        """
        row = self.conn.execute(
            "SELECT id FROM lf_users WHERE username = ? COLLATE NOCASE", (username,)
        ).fetchone()
        if row is None:
            return []
        user_id, group_id = int(row["id"]), self.group_id(group)
        self.conn.execute("PRAGMA secure_delete = ON")
        with transaction(self.conn):
            run = self.conn.execute
            run(
                "DELETE FROM lf_group_members WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            )
            requests = run(
                "DELETE FROM lf_join_requests WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            ).rowcount
            done = [f"forum join requests {requests}"] if requests else []
            elsewhere = run(
                "SELECT COUNT(*) FROM lf_group_members WHERE user_id = ?", (user_id,)
            ).fetchone()[0]
            if elsewhere:
                done.append("forum account kept: they are in another network's group")
            else:
                messages = run(
                    "DELETE FROM lf_messages WHERE username = ? COLLATE NOCASE", (username,)
                ).rowcount
                run("DELETE FROM lf_join_requests WHERE user_id = ?", (user_id,))
                run("DELETE FROM lf_users WHERE id = ?", (user_id,))
                done += [f"forum messages {messages}", "forum account 1"]
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return done

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        """Run one statement in a transaction (for tests that need to break things)."""
        with transaction(self.conn):
            return self.conn.execute(sql, params)
