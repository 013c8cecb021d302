"""Requests to erase a member's data, waiting for a lead to confirm them.

Kept in ``web.db`` beside the sign-in links: the request itself is only who
asked and when. Erasing goes through
:func:`pspn_core.membership.service.erase_member`, as ``pspn members erase``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pspn_adapters.web.database import WebTables
from pspn_core.store.database import Migration, transaction

__all__ = ["ErasureRequest", "ErasureRequests"]

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "requests to erase a member's data",
        """
        CREATE TABLE erasure_requests (
            network TEXT NOT NULL,
            username TEXT NOT NULL COLLATE NOCASE,
            requested_at TEXT NOT NULL,
            PRIMARY KEY (network, username)
        );
        """,
    ),
)


@dataclass(frozen=True)
class ErasureRequest:
    network: str
    username: str
    requested_at: datetime


class ErasureRequests(WebTables):
    """The waiting requests (one connection per thread)."""

    OWNER = "web-erasure"
    MIGRATIONS = MIGRATIONS

    def add(self, network: str, username: str) -> bool:
        """Record a request; ``False`` if one is already waiting."""
        with transaction(self._conn()) as conn:
            cursor = conn.execute(
                "INSERT INTO erasure_requests (network, username, requested_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                (network, username, self._clock().astimezone(UTC).isoformat(timespec="seconds")),
            )
        return cursor.rowcount == 1

    def waiting(self, network: str) -> list[ErasureRequest]:
        rows = (
            self._conn()
            .execute(
                "SELECT network, username, requested_at FROM erasure_requests WHERE network = ?"
                " ORDER BY requested_at, username",
                (network,),
            )
            .fetchall()
        )
        return [
            ErasureRequest(r["network"], r["username"], datetime.fromisoformat(r["requested_at"]))
            for r in rows
        ]

    def is_waiting(self, network: str, username: str) -> bool:
        return any(r.username.casefold() == username.casefold() for r in self.waiting(network))

    def remove(self, network: str, username: str) -> None:
        with transaction(self._conn()) as conn:
            conn.execute(
                "DELETE FROM erasure_requests WHERE network = ? AND username = ?",
                (network, username),
            )
