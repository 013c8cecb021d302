"""The embedded forum as a :class:`~pspn_core.ports.Forum`: the port's reference implementation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC

from pydantic import BaseModel, ConfigDict, Field

from pspn_adapters.local.hub import LocalHub
from pspn_core.errors import AdapterNotFound, PrivacyNotVerified
from pspn_core.ports import (
    CalendarEvent,
    ForumUser,
    JoinRequest,
    Post,
    Privacy,
    PrivacyCheck,
)
from pspn_core.store import transaction

__all__ = ["LocalForum", "LocalNetworkSettings", "LocalSettings"]


class LocalSettings(BaseModel):
    """``[adapters.local]``: nothing to set; the forum lives in the hub's database."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalNetworkSettings(BaseModel):
    """``[networks.<slug>.forum]`` for the local forum."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group: str = Field(min_length=1, description="the network's private group")
    notes_area: str = Field(min_length=1, description="the area notes are published in")
    calendar: str = Field(min_length=1, description="the calendar meetings go in")


class LocalForum:
    """One network's view of the embedded forum."""

    def __init__(self, hub: LocalHub, settings: LocalNetworkSettings) -> None:
        self.hub = hub
        self.settings = settings

    def __repr__(self) -> str:
        return f"LocalForum(group={self.settings.group!r}, db={str(self.hub.db_path)!r})"

    @property
    def _conn(self) -> sqlite3.Connection:
        return self.hub.conn

    # -- provisioning (the local forum only) ----------------------------------
    def provision(self) -> list[str]:
        """Create the network's group, private notes area and calendar if missing."""
        created = []
        s = self.settings
        if not self._exists("lf_groups", s.group):
            created.append(f"created the private group {s.group!r}")
        self.hub.create_group(s.group)
        if not self._exists("lf_areas", s.notes_area):
            self.hub.create_area(s.notes_area, visibility="private", group=s.group)
            created.append(f"created the private notes area {s.notes_area!r}")
        if not self._exists("lf_calendars", s.calendar):
            created.append(f"created the calendar {s.calendar!r}")
        self.hub.create_calendar(s.calendar)
        return created

    def ensure_user(self, username: str, display_name: str) -> None:
        self.hub.create_user(username, display_name)

    def _exists(self, table: str, name: str) -> bool:
        query = f"SELECT 1 FROM {table} WHERE name = ?"  # noqa: S608  (table is ours)
        return self._conn.execute(query, (name,)).fetchone() is not None

    # -- members ------------------------------------------------------------
    def members(self) -> Iterator[ForumUser]:
        group_id = self.hub.group_id(self.settings.group)
        rows = self._conn.execute(
            "SELECT u.id, u.username, u.display_name FROM lf_group_members m"
            " JOIN lf_users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.username",
            (group_id,),
        ).fetchall()
        for row in rows:
            yield ForumUser(row["username"], row["display_name"], str(row["id"]))

    def join_requests(self) -> Iterator[JoinRequest]:
        group_id = self.hub.group_id(self.settings.group)
        rows = self._conn.execute(
            "SELECT r.id, r.message, u.id AS user_id, u.username, u.display_name"
            " FROM lf_join_requests r JOIN lf_users u ON u.id = r.user_id"
            " WHERE r.group_id = ? AND r.status = 'pending' ORDER BY r.id",
            (group_id,),
        ).fetchall()
        for row in rows:
            user = ForumUser(row["username"], row["display_name"], str(row["user_id"]))
            yield JoinRequest(str(row["id"]), user, row["message"])

    def accept_request(self, request: JoinRequest) -> None:
        self._settle(request, "accepted")
        self.add_member(request.user.username)

    def decline_request(self, request: JoinRequest) -> None:
        self._settle(request, "declined")

    def _settle(self, request: JoinRequest, status: str) -> None:
        with transaction(self._conn):
            self._conn.execute(
                "UPDATE lf_join_requests SET status = ? WHERE id = ? AND status = 'pending'",
                (status, int(request.request_id)),
            )

    def add_member(self, username: str) -> None:
        group_id, user_id = self.hub.group_id(self.settings.group), self.hub.user_id(username)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO lf_group_members (group_id, user_id) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (group_id, user_id),
            )

    def remove_member(self, username: str) -> None:
        group_id, user_id = self.hub.group_id(self.settings.group), self.hub.user_id(username)
        with transaction(self._conn):
            self._conn.execute(
                "DELETE FROM lf_group_members WHERE group_id = ? AND user_id = ?",
                (group_id, user_id),
            )

    def erase_account(self, username: str) -> list[str]:
        """Erase the person from the embedded forum (see :meth:`LocalHub.erase_user`)."""
        return self.hub.erase_user(username, self.settings.group)

    # -- privacy ------------------------------------------------------------
    def check_notes_privacy(self) -> PrivacyCheck:
        row = self._conn.execute(
            "SELECT a.visibility, g.name AS group_name FROM lf_areas a"
            " LEFT JOIN lf_groups g ON g.id = a.group_id WHERE a.name = ?",
            (self.settings.notes_area,),
        ).fetchone()
        area = self.settings.notes_area
        if row is None:
            return PrivacyCheck(Privacy.UNKNOWN, f"the notes area {area!r} does not exist")
        if row["visibility"] == "public":
            return PrivacyCheck(Privacy.PUBLIC, f"the notes area {area!r} is public")
        if row["visibility"] != "private":
            return PrivacyCheck(Privacy.UNKNOWN, f"the visibility of {area!r} is not recorded")
        if row["group_name"] != self.settings.group:
            return PrivacyCheck(
                Privacy.PUBLIC,
                f"the notes area {area!r} is private to {row['group_name']!r}, "
                f"not to the network's group {self.settings.group!r}",
            )
        return PrivacyCheck(Privacy.PRIVATE, f"{area!r} is visible only to {row['group_name']!r}")

    def check_calendar_privacy(self) -> PrivacyCheck:
        calendar = self.settings.calendar
        if not self._exists("lf_calendars", calendar):
            return PrivacyCheck(Privacy.UNKNOWN, f"the calendar {calendar!r} does not exist")
        return PrivacyCheck(
            Privacy.PRIVATE, f"{calendar!r} is shown only to the network, through its own feed"
        )

    # -- posts --------------------------------------------------------------
    def find_post(self, key: str) -> str | None:
        row = self._conn.execute(
            "SELECT id FROM lf_posts WHERE area_id = ? AND key = ?",
            (self.hub.area_id(self.settings.notes_area), key),
        ).fetchone()
        return None if row is None else str(row["id"])

    def publish_post(self, post: Post, *, known_id: str | None = None) -> str:
        """Write the post into the notes area, if it is private now (posts never move here)."""
        check = self.check_notes_privacy()
        if not check.is_private:
            raise PrivacyNotVerified(
                f"refusing to publish {post.key!r}: {check.reason}. Nothing was posted"
            )
        area_id = self.hub.area_id(self.settings.notes_area)
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO lf_posts (area_id, key, title, body) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (area_id, key) DO UPDATE SET title = excluded.title,"
                " body = excluded.body, updated_at = datetime('now')",
                (area_id, post.key, post.title, post.body),
            )
        found = self.find_post(post.key)
        assert found is not None
        return found

    # -- calendar -----------------------------------------------------------
    def find_event(self, key: str) -> str | None:
        row = self._conn.execute(
            "SELECT id FROM lf_events WHERE calendar_id = ? AND key = ?",
            (self.hub.calendar_id(self.settings.calendar), key),
        ).fetchone()
        return None if row is None else str(row["id"])

    def publish_event(self, event: CalendarEvent, *, known_id: str | None = None) -> str:
        calendar_id = self.hub.calendar_id(self.settings.calendar)
        values = (
            event.title,
            event.start.astimezone(UTC).isoformat(),
            event.end.astimezone(UTC).isoformat(),
            event.timezone,
            event.description,
            event.location,
            event.status.value,
        )
        with transaction(self._conn):
            self._conn.execute(
                "INSERT INTO lf_events (calendar_id, key, title, start_utc, end_utc, timezone,"
                " description, location, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (calendar_id, key) DO UPDATE SET title = excluded.title,"
                " start_utc = excluded.start_utc, end_utc = excluded.end_utc,"
                " timezone = excluded.timezone, description = excluded.description,"
                " location = excluded.location, status = excluded.status,"
                " revision = revision + 1"
                " WHERE (title, start_utc, end_utc, timezone, description, location, status)"
                " IS NOT (excluded.title, excluded.start_utc, excluded.end_utc,"
                " excluded.timezone, excluded.description, excluded.location, excluded.status)",
                (calendar_id, event.key, *values),
            )
        found = self.find_event(event.key)
        assert found is not None
        return found

    # -- messages -----------------------------------------------------------
    def send_message(self, username: str, subject: str, body: str) -> str:
        self.hub.user_id(username)  # refuses unknown users, as a real forum would
        with transaction(self._conn):
            cursor = self._conn.execute(
                "INSERT INTO lf_messages (username, subject, body) VALUES (?, ?, ?)",
                (username, subject, body),
            )
        if cursor.lastrowid is None:
            raise AdapterNotFound("the local forum did not store the message")
        return str(cursor.lastrowid)
