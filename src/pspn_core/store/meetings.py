"""The store's meetings, chair volunteers, topics and votes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pspn_core.errors import NotFound, OperationError, Remedy
from pspn_core.meetings.model import Meeting, MeetingStatus, Topic
from pspn_core.store.base import StoreBase
from pspn_core.store.database import Migration, transaction
from pspn_core.store.personal import Person, PersonalData, anonymise_names

if TYPE_CHECKING:  # imported where the rota is read: opening the store loads no rota
    from pspn_core.meetings.rota import Volunteer

__all__ = ["PERSONAL_DATA", "MeetingStore"]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
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
    Migration(
        2,
        "a topic raised on the forum is stored once, by the forum's own id",
        """
        ALTER TABLE topics ADD COLUMN source_key TEXT;
        CREATE UNIQUE INDEX topics_once_per_source ON topics (source_key)
            WHERE source_key IS NOT NULL;
        """,
    ),
)


class MeetingStore(StoreBase):
    """Meetings and what feeds their rota and agenda."""

    SCHEMA = ("meetings", MIGRATIONS)

    # -- meetings -----------------------------------------------------------
    def meetings(self, network: str) -> list[Meeting]:
        rows = self.conn.execute(
            "SELECT * FROM meetings WHERE network = ? ORDER BY start, uid", (network,)
        ).fetchall()
        return [_meeting(row) for row in rows]

    def meeting(self, uid: str) -> Meeting:
        row = self.conn.execute("SELECT * FROM meetings WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            raise NotFound(f"there is no meeting {uid!r}", remedy=Remedy("list-meetings"))
        return _meeting(row)

    def add_meetings(self, meetings: Iterable[Meeting]) -> list[Meeting]:
        """Store new meetings; ones already stored (same UID) are left as they are."""
        added = []
        known: set[str] = set()
        with transaction(self.conn):
            for meeting in meetings:
                if meeting.network not in known:
                    self._require_network(meeting.network)
                    known.add(meeting.network)
                cursor = self.conn.execute(
                    "INSERT INTO meetings (uid, network, original_date, start, end, timezone, slot,"
                    " chair, status, sequence, agenda, cancel_reason)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT (uid) DO NOTHING",
                    _meeting_values(meeting),
                )
                if cursor.rowcount:
                    added.append(meeting)
        return added

    def update_meeting(self, meeting: Meeting) -> None:
        """Store a change (move, cancellation, agenda) made to a stored meeting."""
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE meetings SET start = ?, end = ?, chair = ?, status = ?, sequence = ?,"
                " agenda = ?, cancel_reason = ? WHERE uid = ?",
                (
                    meeting.start.isoformat(),
                    meeting.end.isoformat(),
                    meeting.chair,
                    meeting.status.value,
                    meeting.sequence,
                    json.dumps(list(meeting.agenda)),
                    meeting.cancel_reason,
                    meeting.uid,
                ),
            )
            self._audit(
                f"meeting.{meeting.status.value}",
                network=meeting.network,
                subject=meeting.uid,
                detail=f"sequence {meeting.sequence}",
            )

    def unpublished_meetings(self, network: str) -> list[tuple[Meeting, str | None]]:
        """Meetings the forum has not seen at their current sequence, with their forum id."""
        rows = self.conn.execute(
            "SELECT * FROM meetings WHERE network = ?"
            " AND (published_sequence IS NULL OR published_sequence < sequence)"
            " ORDER BY start, uid",
            (network,),
        ).fetchall()
        return [(_meeting(row), row["forum_event_id"]) for row in rows]

    def mark_meeting_published(self, uid: str, forum_id: str, sequence: int) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE meetings SET forum_event_id = ?, published_sequence = ? WHERE uid = ?",
                (forum_id, sequence, uid),
            )

    # -- volunteers ---------------------------------------------------------
    def set_volunteer(self, network: str, username: str, slots: Sequence[str]) -> None:
        """Record which slots a member will chair; no slots means they stop volunteering."""
        with transaction(self.conn):
            if slots:
                self.conn.execute(
                    "INSERT INTO volunteers (network, username, slots) VALUES (?, ?, ?)"
                    " ON CONFLICT DO UPDATE SET slots = excluded.slots",
                    (network, username, json.dumps(sorted(set(slots)))),
                )
            else:
                self.conn.execute(
                    "DELETE FROM volunteers WHERE network = ? AND username = ?",
                    (network, username),
                )

    def volunteers(self, network: str) -> list[Volunteer]:
        from pspn_core.meetings.rota import Volunteer

        rows = self.conn.execute(
            "SELECT username, slots FROM volunteers WHERE network = ? ORDER BY username",
            (network,),
        ).fetchall()
        return [Volunteer(row["username"], frozenset(json.loads(row["slots"]))) for row in rows]

    # -- topics -------------------------------------------------------------
    def add_topic(
        self, network: str, title: str, raised_by: str | None, *, source_key: str | None = None
    ) -> Topic:
        """Store a new topic. One with the ``source_key`` of a stored one (e.g. the forum's
        topic id, seen again in a replayed webhook) is that one, not a second."""
        self._require_network(network)
        with transaction(self.conn):
            if source_key is not None:
                known = self.conn.execute(
                    "SELECT id FROM topics WHERE source_key = ?", (source_key,)
                ).fetchone()
                if known is not None:
                    return self.topic(known["id"])
            cursor = self.conn.execute(
                "INSERT INTO topics (network, title, raised_by, raised_at, source_key)"
                " VALUES (?, ?, ?, ?, ?)",
                (network, title, raised_by, self._now(), source_key),
            )
        assert cursor.lastrowid is not None
        return self.topic(cursor.lastrowid)

    def topic(self, topic_id: int) -> Topic:
        row = self.conn.execute(_TOPIC_SELECT + " WHERE t.id = ?", (topic_id,)).fetchone()
        if row is None:
            raise NotFound(f"there is no topic {topic_id}", remedy=Remedy("list-topics"))
        return _topic(row)

    def topics(self, network: str) -> list[Topic]:
        rows = self.conn.execute(
            _TOPIC_SELECT + " WHERE t.network = ? ORDER BY t.id", (network,)
        ).fetchall()
        return [_topic(row) for row in rows]

    def vote(self, topic_id: int, username: str) -> None:
        topic = self.topic(topic_id)
        if topic.used_in:
            raise OperationError(f"topic {topic_id} is already on an agenda; votes are closed")
        try:
            with transaction(self.conn):
                self.conn.execute(
                    "INSERT INTO topic_votes (topic_id, username) VALUES (?, ?)",
                    (topic_id, username),
                )
        except sqlite3.IntegrityError:
            raise OperationError(
                f"{username} has already voted for topic {topic_id}; one vote each"
            ) from None

    def withdraw_vote(self, topic_id: int, username: str) -> bool:
        """Take back a vote; ``False`` if there was none. Closed once on an agenda."""
        topic = self.topic(topic_id)
        if topic.used_in:
            raise OperationError(f"topic {topic_id} is already on an agenda; votes are closed")
        with transaction(self.conn):
            cursor = self.conn.execute(
                "DELETE FROM topic_votes WHERE topic_id = ? AND username = ?",
                (topic_id, username),
            )
        return cursor.rowcount == 1

    def votes_by(self, network: str, username: str) -> set[int]:
        """The topics of ``network`` that ``username`` has voted for."""
        rows = self.conn.execute(
            "SELECT v.topic_id FROM topic_votes v JOIN topics t ON t.id = v.topic_id"
            " WHERE t.network = ? AND v.username = ?",
            (network, username),
        ).fetchall()
        return {int(row["topic_id"]) for row in rows}

    def use_topics(self, meeting: Meeting, topics: Sequence[Topic]) -> None:
        """Put ``topics`` on ``meeting``'s agenda (stored with the meeting), each used once."""
        with transaction(self.conn):
            for topic in topics:
                self.conn.execute(
                    "UPDATE topics SET used_in = ? WHERE id = ? AND used_in IS NULL",
                    (meeting.uid, topic.id),
                )
            self.conn.execute(
                "UPDATE meetings SET agenda = ?, sequence = ? WHERE uid = ?",
                (json.dumps(list(meeting.agenda)), meeting.sequence, meeting.uid),
            )


_TOPIC_SELECT = (
    "SELECT t.*, (SELECT count(*) FROM topic_votes v WHERE v.topic_id = t.id) AS votes"
    " FROM topics t"
)


def _meeting_values(meeting: Meeting) -> tuple[object, ...]:
    return (
        meeting.uid,
        meeting.network,
        meeting.original_date.isoformat(),
        meeting.start.isoformat(),
        meeting.end.isoformat(),
        _zone_name(meeting.start),
        meeting.slot,
        meeting.chair,
        meeting.status.value,
        meeting.sequence,
        json.dumps(list(meeting.agenda)),
        meeting.cancel_reason,
    )


def _zone_name(moment: datetime) -> str:
    zone = moment.tzinfo
    if not isinstance(zone, ZoneInfo):
        raise ValueError("a stored meeting's times must be in a named time zone (zoneinfo)")
    return zone.key


def _meeting(row: sqlite3.Row) -> Meeting:
    zone = ZoneInfo(row["timezone"])
    return Meeting(
        uid=row["uid"],
        network=row["network"],
        original_date=row["original_date"],
        start=datetime.fromisoformat(row["start"]).astimezone(zone),
        end=datetime.fromisoformat(row["end"]).astimezone(zone),
        slot=row["slot"],
        chair=row["chair"],
        status=MeetingStatus(row["status"]),
        sequence=row["sequence"],
        agenda=tuple(json.loads(row["agenda"])),
        cancel_reason=row["cancel_reason"],
    )


def _topic(row: sqlite3.Row) -> Topic:
    return Topic(
        id=row["id"],
        network=row["network"],
        title=row["title"],
        raised_by=row["raised_by"],
        raised_at=datetime.fromisoformat(row["raised_at"]),
        votes=row["votes"],
        used_in=row["used_in"],
    )


# -- a person's data ----------------------------------------------------------------


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    query = conn.execute
    return {
        "volunteering": [
            json.loads(row["slots"])
            for row in query(
                "SELECT slots FROM volunteers WHERE network = ? AND username = ?",
                (who.network, who.username),
            )
        ],
        "votes": [
            {"topic": row["id"], "title": row["title"]}
            for row in query(
                "SELECT t.id, t.title FROM topic_votes v JOIN topics t ON t.id = v.topic_id"
                " WHERE t.network = ? AND v.username = ? ORDER BY t.id",
                (who.network, who.username),
            )
        ],
        "topics_raised": [
            {"topic": row["id"], "title": row["title"], "raised_at": row["raised_at"]}
            for row in query(
                "SELECT id, title, raised_at FROM topics WHERE network = ? AND raised_by = ?"
                " COLLATE NOCASE ORDER BY id",
                (who.network, who.username),
            )
        ],
        "meetings_chaired": [
            {"meeting": row["uid"], "start": row["start"]}
            for row in query(
                f"SELECT uid, start FROM meetings WHERE network = ?"  # noqa: S608
                f" AND chair IN ({who.marks}) ORDER BY start",
                (who.network, *who.names),
            )
        ],
    }


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    run = conn.execute
    return {
        "volunteering": run(
            "DELETE FROM volunteers WHERE network = ? AND username = ?",
            (who.network, who.username),
        ).rowcount,
        "votes": run(
            "DELETE FROM topic_votes WHERE username = ? AND topic_id IN"
            " (SELECT id FROM topics WHERE network = ?)",
            (who.username, who.network),
        ).rowcount,
        "topics": run(
            "UPDATE topics SET raised_by = NULL WHERE network = ? AND raised_by = ? COLLATE NOCASE",
            (who.network, who.username),
        ).rowcount,
        "chairing": anonymise_names(conn, who, "meetings", "chair", "network = ?"),
    }


PERSONAL_DATA = PersonalData(
    frozenset(
        {"volunteers.username", "topic_votes.username", "topics.raised_by", "meetings.chair"}
    ),
    _export,
    _erase,
)
