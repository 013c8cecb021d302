"""One-time sign-in links: made, stored hashed, used once, and rate-limited.

A link's token is random (32 bytes); the database keeps only its SHA-256, the
username and when it expires. Using it is one ``UPDATE ... WHERE used = 0``, so
two tabs racing for the same link cannot both sign in.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pspn_adapters.web.database import WebTables
from pspn_core.store.database import Migration, transaction

__all__ = ["LinkStore", "RateLimiter", "hash_token", "new_token"]

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "one-time sign-in links",
        """
        CREATE TABLE sign_in_links (
            token_hash TEXT PRIMARY KEY,
            username TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used INTEGER NOT NULL DEFAULT 0
        );
        """,
    ),
)

Clock = Callable[[], datetime]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LinkStore(WebTables):
    """The sign-in links, in ``web.db`` beside the hub's database (one connection per thread)."""

    OWNER = "web"
    MIGRATIONS = MIGRATIONS

    def issue(self, username: str, minutes: int) -> str:
        """A new token for ``username``, valid ``minutes``; expired links are swept."""
        token = new_token()
        now = self._clock()
        with transaction(self._conn()) as conn:
            conn.execute("DELETE FROM sign_in_links WHERE expires_at < ?", (_iso(now),))
            conn.execute(
                "INSERT INTO sign_in_links (token_hash, username, expires_at) VALUES (?, ?, ?)",
                (hash_token(token), username, _iso(now + timedelta(minutes=minutes))),
            )
        return token

    def peek(self, token: str) -> bool:
        """Whether ``token`` is still usable (does not use it)."""
        row = (
            self._conn()
            .execute(
                "SELECT 1 FROM sign_in_links WHERE token_hash = ? AND used = 0 AND expires_at >= ?",
                (hash_token(token), _iso(self._clock())),
            )
            .fetchone()
        )
        return row is not None

    def use(self, token: str) -> str | None:
        """Spend ``token``: its username, or ``None`` if unknown, used or expired."""
        digest = hash_token(token)
        with transaction(self._conn()) as conn:
            cursor = conn.execute(
                "UPDATE sign_in_links SET used = 1"
                " WHERE token_hash = ? AND used = 0 AND expires_at >= ?",
                (digest, _iso(self._clock())),
            )
            if cursor.rowcount != 1:
                return None
            row = conn.execute(
                "SELECT username FROM sign_in_links WHERE token_hash = ?", (digest,)
            ).fetchone()
        return str(row["username"])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class RateLimiter:
    """At most ``limit`` hits per key in any ``window`` seconds (in memory, thread-safe)."""

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Record a hit for ``key``; ``False`` (and nothing recorded) if over the limit."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            return True
