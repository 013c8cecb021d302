"""The connection, clock, networks and audit log every part of the store shares."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pspn_core.errors import OperationError, Remedy
from pspn_core.store.database import DATABASE_NAME, Migration, connect, migrate, transaction
from pspn_core.store.migrations import MIGRATIONS, OWNER
from pspn_core.store.personal import Person, PersonalData, anonymise_names

__all__ = ["PERSONAL_DATA", "StoreBase", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


class StoreBase:
    """Opens ``<data_dir>/pspn.db`` and migrates it; parts of the store build on this.

    Each part (a subclass) that owns tables declares ``SCHEMA = (owner, migrations)``;
    every part's migrations are applied on open, the base's first.
    """

    SCHEMA: tuple[str, tuple[Migration, ...]] | None = None

    def __init__(self, data_dir: Path, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.path = data_dir / DATABASE_NAME
        self.conn: sqlite3.Connection = connect(self.path)
        self.clock = clock
        migrate(self.conn, OWNER, MIGRATIONS)
        for part in reversed(type(self).__mro__):
            schema = part.__dict__.get("SCHEMA")
            if schema is not None:
                migrate(self.conn, *schema)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r})"

    @property
    def data_dir(self) -> Path:
        """The hub's data directory, where the database is."""
        return self.path.parent

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

    def _require_network(self, slug: str) -> None:
        if self.conn.execute("SELECT 1 FROM networks WHERE slug = ?", (slug,)).fetchone() is None:
            raise OperationError(
                f"the network {slug!r} has not been set up yet",
                remedy=Remedy("setup-network", {"network": slug}),
            )

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


# -- a person's data ----------------------------------------------------------------


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    rows = conn.execute(
        f"SELECT at, action FROM audit_log WHERE network = ?"  # noqa: S608
        f" AND (actor COLLATE NOCASE IN ({who.marks}) OR subject COLLATE NOCASE IN ({who.marks}))"
        " ORDER BY id",
        (who.network, *who.names, *who.names),
    )
    return {"audit_entries": [{"at": row["at"], "action": row["action"]} for row in rows]}


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    named = sum(
        anonymise_names(conn, who, "audit_log", column, "network = ?")
        for column in ("actor", "subject")
    )
    return {"audit_entries": named}


PERSONAL_DATA = PersonalData(frozenset({"audit_log.actor", "audit_log.subject"}), _export, _erase)
