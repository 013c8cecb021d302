"""Pending club join requests, as Invision's webhooks announce them.

Invision's REST API cannot list join requests: people whose club status is
``requested`` appear in no club or member answer (the guide's gotcha 11).
The only signal is the ``club_member_added`` webhook with status
``requested``. This small SQLite file in the data directory remembers those
until the request is accepted, declined, or settled on the forum itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pspn_core.ports import ForumUser

__all__ = ["JoinRequestInbox"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS join_requests (
    member_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    received_at TEXT NOT NULL
)
"""


class JoinRequestInbox:
    """Join requests we were told about and have not settled. Safe across processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction on a connection that is closed afterwards."""
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def record(self, user: ForumUser) -> None:
        """Remember a request (again is fine: the first arrival time is kept)."""
        now = datetime.now(UTC).isoformat()
        with self._connect() as db:
            db.execute(
                "INSERT INTO join_requests VALUES (?, ?, ?) "
                "ON CONFLICT(member_id) DO UPDATE SET name = excluded.name",
                (user.forum_id, user.username, now),
            )

    def discard(self, member_id: str) -> None:
        with self._connect() as db:
            db.execute("DELETE FROM join_requests WHERE member_id = ?", (member_id,))

    def pending(self) -> list[ForumUser]:
        """Everyone with an open request, oldest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT member_id, name FROM join_requests ORDER BY received_at, member_id"
            ).fetchall()
        return [ForumUser(username=name, display_name=name, forum_id=ident) for ident, name in rows]
