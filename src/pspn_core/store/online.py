"""The store's record of meetings held on a meeting platform, and what came back from them.

Nothing here names a person: the platform's ids and joining link, the counts of
what a collection brought back, and topics raised by nobody.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime

from pspn_core.meetings.model import Collection, Meeting
from pspn_core.ports import PlatformMeeting
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.meetings import _meeting

__all__ = ["Collection", "OnlineMeetingStore"]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "online meetings on a platform, and what was collected from them",
        """
        CREATE TABLE online_meetings (
            uid TEXT PRIMARY KEY REFERENCES meetings(uid) ON DELETE CASCADE,
            platform TEXT NOT NULL,
            platform_id TEXT NOT NULL,
            meeting_id TEXT NOT NULL DEFAULT '',
            chat_id TEXT NOT NULL DEFAULT '',
            join_url TEXT NOT NULL,
            synced_sequence INTEGER NOT NULL
        );
        CREATE TABLE meeting_collections (
            uid TEXT PRIMARY KEY REFERENCES meetings(uid) ON DELETE CASCADE,
            note_id INTEGER,
            topics INTEGER NOT NULL DEFAULT 0,
            candidates TEXT NOT NULL DEFAULT '[]',
            attendance TEXT,
            started_at TEXT NOT NULL,
            collected_at TEXT
        );
        """,
    ),
)


class OnlineMeetingStore(StoreBase):
    """Where a platform holds each meeting, and what was collected after it."""

    SCHEMA = ("online", MIGRATIONS)

    # -- online meetings ----------------------------------------------------
    def online_meeting(self, uid: str, platform: str) -> PlatformMeeting | None:
        """What ``platform`` holds for meeting ``uid``, as recorded; ``None`` if nothing."""
        row = self.conn.execute(
            "SELECT * FROM online_meetings WHERE uid = ? AND platform = ?", (uid, platform)
        ).fetchone()
        return None if row is None else _online(row)

    def online_meetings_to_sync(
        self, network: str, platform: str
    ) -> list[tuple[Meeting, PlatformMeeting | None]]:
        """Meetings ``platform`` has not seen at their current sequence, with what it holds.

        A cancelled meeting the platform never held needs nothing, so it is left out.
        """
        rows = self.conn.execute(
            "SELECT m.*, o.platform_id, o.meeting_id, o.chat_id, o.join_url"
            " FROM meetings m LEFT JOIN online_meetings o ON o.uid = m.uid AND o.platform = ?"
            " WHERE m.network = ? AND ((o.uid IS NULL AND m.status != 'cancelled')"
            " OR o.synced_sequence < m.sequence) ORDER BY m.start, m.uid",
            (platform, network),
        ).fetchall()
        return [
            (_meeting(row), None if row["platform_id"] is None else _online(row)) for row in rows
        ]

    def record_online_meeting(
        self, uid: str, platform: str, held: PlatformMeeting, sequence: int
    ) -> None:
        """Record where ``platform`` holds meeting ``uid`` (synced at ``sequence``).

        A new or changed joining link makes the forum event due again, so that the
        link reaches the forum calendar.
        """
        with transaction(self.conn):
            row = self.conn.execute(
                "SELECT join_url FROM online_meetings WHERE uid = ?", (uid,)
            ).fetchone()
            self.conn.execute(
                "INSERT INTO online_meetings (uid, platform, platform_id, meeting_id, chat_id,"
                " join_url, synced_sequence) VALUES (?,?,?,?,?,?,?) ON CONFLICT (uid) DO UPDATE"
                " SET platform = excluded.platform, platform_id = excluded.platform_id,"
                " meeting_id = excluded.meeting_id, chat_id = excluded.chat_id,"
                " join_url = excluded.join_url, synced_sequence = excluded.synced_sequence",
                (
                    uid,
                    platform,
                    held.platform_id,
                    held.meeting_id,
                    held.chat_id,
                    held.join_url,
                    sequence,
                ),
            )
            if row is None or row["join_url"] != held.join_url:
                self.conn.execute(
                    "UPDATE meetings SET published_sequence = NULL WHERE uid = ?", (uid,)
                )

    def join_urls(self, network: str) -> dict[str, str]:
        """Each meeting's joining link, by UID, where a platform holds the meeting."""
        rows = self.conn.execute(
            "SELECT o.uid, o.join_url FROM online_meetings o JOIN meetings m ON m.uid = o.uid"
            " WHERE m.network = ?",
            (network,),
        ).fetchall()
        return {row["uid"]: row["join_url"] for row in rows}

    def collection(self, uid: str) -> Collection | None:
        """What was collected after meeting ``uid``, or ``None`` if nothing yet."""
        row = self.conn.execute(
            "SELECT * FROM meeting_collections WHERE uid = ? AND collected_at IS NOT NULL", (uid,)
        ).fetchone()
        return None if row is None else _collection(row)

    def collection_of_note(self, note_id: int) -> Collection | None:
        """The collection that made note ``note_id``, or ``None`` (a note added by hand)."""
        row = self.conn.execute(
            "SELECT * FROM meeting_collections WHERE note_id = ? AND collected_at IS NOT NULL",
            (note_id,),
        ).fetchone()
        return None if row is None else _collection(row)

    def begin_collection(self, uid: str) -> datetime:
        """Note that collecting meeting ``uid`` has begun; returns when it first began.

        A note made for the meeting since then belongs to this collection, so a run
        that stopped after making its note reuses it instead of making another.
        """
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO meeting_collections (uid, started_at) VALUES (?, ?)"
                " ON CONFLICT (uid) DO NOTHING",
                (uid, self._now()),
            )
            row = self.conn.execute(
                "SELECT started_at FROM meeting_collections WHERE uid = ?", (uid,)
            ).fetchone()
        return datetime.fromisoformat(row["started_at"])

    def record_collection(
        self,
        meeting: Meeting,
        *,
        note_id: int,
        topics: Sequence[str],
        candidates: Sequence[str],
        attendance: Mapping[str, object] | None,
    ) -> Collection:
        """Record, in one transaction, the note made, the topics raised (by nobody) and the
        attendance counts of ``meeting``, after :meth:`begin_collection`. Recording
        twice adds nothing."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "UPDATE meeting_collections SET note_id = ?, topics = ?, candidates = ?,"
                " attendance = ?, collected_at = ? WHERE uid = ? AND collected_at IS NULL",
                (
                    note_id,
                    len(topics),
                    json.dumps(list(candidates)),
                    None if attendance is None else json.dumps(attendance),
                    self._now(),
                    meeting.uid,
                ),
            )
            if cursor.rowcount:
                for title in topics:
                    self.conn.execute(
                        "INSERT INTO topics (network, title, raised_by, raised_at)"
                        " VALUES (?, ?, NULL, ?)",
                        (meeting.network, title, self._now()),
                    )
                self._audit(
                    "meeting.collected",
                    network=meeting.network,
                    subject=meeting.uid,
                    detail=f"note {note_id}, {len(topics)} topic(s)",
                )
        collected = self.collection(meeting.uid)
        assert collected is not None
        return collected


def _collection(row: sqlite3.Row) -> Collection:
    attendance = json.loads(row["attendance"]) if row["attendance"] else None
    return Collection(
        uid=row["uid"],
        note_id=row["note_id"],
        topics=row["topics"],
        candidates=tuple(json.loads(row["candidates"])),
        attendance=attendance,
        collected_at=datetime.fromisoformat(row["collected_at"]),
    )


def _online(row: sqlite3.Row) -> PlatformMeeting:
    return PlatformMeeting(
        platform_id=row["platform_id"],
        join_url=row["join_url"],
        meeting_id=row["meeting_id"],
        chat_id=row["chat_id"],
    )
