"""Personal calendar addresses, kept as SHA-256 hashes in ``web.db`` (see :mod:`.feeds`)."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from pspn_adapters.server.calendar import hash_token, new_token
from pspn_adapters.web.database import WebTables
from pspn_core.store.database import Migration, transaction

__all__ = ["FeedTokens"]

MIGRATIONS: tuple[Migration, ...] = (
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


class FeedTokens(WebTables):
    """One address per member and network (one connection per thread)."""

    OWNER = "web-feeds"
    MIGRATIONS = MIGRATIONS

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
