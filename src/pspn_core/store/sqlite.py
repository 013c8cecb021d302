"""The :class:`~pspn_core.ports.Store` on SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pspn_core.errors import NotFound, OperationError
from pspn_core.members import Member
from pspn_core.store.database import DATABASE_NAME, connect, migrate, transaction
from pspn_core.store.migrations import MIGRATIONS, OWNER

__all__ = ["SqliteStore"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SqliteStore:
    """The core's state in ``<data_dir>/pspn.db``. Migrates on open."""

    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = data_dir / DATABASE_NAME
        self.conn = connect(self.path)
        self.clock = clock
        migrate(self.conn, OWNER, MIGRATIONS)

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.path)!r})"

    def close(self) -> None:
        self.conn.close()

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    # -- networks -----------------------------------------------------------
    def ensure_network(self, slug: str, name: str) -> bool:
        """Record the network (or its new name); return ``True`` if it was new."""
        with transaction(self.conn):
            known = self.conn.execute("SELECT 1 FROM networks WHERE slug = ?", (slug,)).fetchone()
            self.conn.execute(
                "INSERT INTO networks (slug, name, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (slug) DO UPDATE SET name = excluded.name",
                (slug, name, self._now()),
            )
            if known is None:
                self._audit("network.created", network=slug, subject=slug)
        return known is None

    def networks(self) -> list[str]:
        return [row["slug"] for row in self.conn.execute("SELECT slug FROM networks ORDER BY slug")]

    # -- members ------------------------------------------------------------
    def add_member(self, member: Member) -> bool:
        """Store ``member``; ``False`` (and nothing changed) if already there."""
        self._require_network(member.network)
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO members (network, username, display_name, organisation, aliases,"
                " joined_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    member.network,
                    member.username,
                    member.display_name,
                    member.organisation,
                    json.dumps(list(member.aliases)),
                    (member.joined_at or self.clock()).isoformat(timespec="seconds"),
                ),
            )
            added = cursor.rowcount == 1
            if added:
                self._audit("member.added", network=member.network, subject=member.username)
        return added

    def members(self, network: str) -> list[Member]:
        rows = self.conn.execute(
            "SELECT * FROM members WHERE network = ?"
            " ORDER BY display_name COLLATE NOCASE, username",
            (network,),
        ).fetchall()
        return [_member(row) for row in rows]

    def member(self, network: str, username: str) -> Member:
        row = self.conn.execute(
            "SELECT * FROM members WHERE network = ? AND username = ?", (network, username)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"{username!r} is not a member of {network!r}; "
                f"`pspn members list --network {network}` shows who is"
            )
        return _member(row)

    # -- audit --------------------------------------------------------------
    def audit(
        self,
        action: str,
        *,
        network: str | None = None,
        actor: str = "",
        subject: str = "",
        detail: str = "",
    ) -> None:
        """Record who did what. Never pass content or personal data in ``detail``."""
        with transaction(self.conn):
            self._audit(action, network=network, actor=actor, subject=subject, detail=detail)

    def _audit(
        self,
        action: str,
        *,
        network: str | None = None,
        actor: str = "",
        subject: str = "",
        detail: str = "",
    ) -> None:
        self.conn.execute(
            "INSERT INTO audit_log (at, network, action, actor, subject, detail)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (self._now(), network, action, actor, subject, detail),
        )

    def audit_log(self, network: str | None = None) -> list[dict[str, str]]:
        rows = self.conn.execute(
            "SELECT at, network, action, actor, subject, detail FROM audit_log"
            " WHERE ? IS NULL OR network = ? ORDER BY id",
            (network, network),
        ).fetchall()
        return [dict(row) for row in rows]

    def _require_network(self, slug: str) -> None:
        if self.conn.execute("SELECT 1 FROM networks WHERE slug = ?", (slug,)).fetchone() is None:
            raise OperationError(
                f"the network {slug!r} has not been set up yet; run `pspn networks setup`"
            )


def _member(row: sqlite3.Row) -> Member:
    return Member(
        network=row["network"],
        username=row["username"],
        display_name=row["display_name"],
        organisation=row["organisation"],
        aliases=tuple(json.loads(row["aliases"])),
        joined_at=datetime.fromisoformat(row["joined_at"]) if row["joined_at"] else None,
    )
