"""Personal calendar addresses, kept as SHA-256 hashes in ``web.db`` (see :mod:`.feeds`)."""

from __future__ import annotations

import hmac
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pspn_adapters.server.calendar import hash_token, new_token
from pspn_core.store.database import Migration, connect, migrate, transaction

__all__ = ["FeedTokens"]

MIGRATIONS = (
    Migration(
        1,
        "personal calendar addresses",
        """
        CREATE TABLE feed_tokens (
            network TEXT NOT NULL,
            username TEXT NOT NULL COLLATE NOCASE,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            PRIMARY KEY (network, username)
        );
        """,
    ),
)


class FeedTokens:
    """One address per member and network (one connection per thread)."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime]) -> None:
        self._path = data_dir / "web.db"
        self._clock = clock
        self._local = threading.local()
        migrate(self._conn(), "web-feeds", MIGRATIONS)

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self._path)
            self._local.conn = conn
        return conn

    def make(self, network: str, username: str) -> str:
        """A new token for the member; any earlier one stops working."""
        token = new_token()
        now = self._clock().astimezone(UTC).isoformat(timespec="seconds")
        with transaction(self._conn()) as conn:
            conn.execute(
                "INSERT INTO feed_tokens (network, username, token_hash, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (network, username) DO UPDATE SET"
                " token_hash = excluded.token_hash, created_at = excluded.created_at",
                (network, username, hash_token(token), now),
            )
        return token

    def has(self, network: str, username: str) -> bool:
        row = (
            self._conn()
            .execute(
                "SELECT 1 FROM feed_tokens WHERE network = ? AND username = ?", (network, username)
            )
            .fetchone()
        )
        return row is not None

    def stop(self, network: str, username: str) -> None:
        with transaction(self._conn()) as conn:
            conn.execute(
                "DELETE FROM feed_tokens WHERE network = ? AND username = ?", (network, username)
            )

    def owner(self, network: str, token: str) -> tuple[str, datetime] | None:
        """Whose token this is, and when it was made; ``None`` if nobody's."""
        digest = hash_token(token)
        row = (
            self._conn()
            .execute(
                "SELECT username, token_hash, created_at FROM feed_tokens"
                " WHERE network = ? AND token_hash = ?",
                (network, digest),
            )
            .fetchone()
        )
        if row is None or not hmac.compare_digest(row["token_hash"], digest):
            return None
        return str(row["username"]), datetime.fromisoformat(row["created_at"])
