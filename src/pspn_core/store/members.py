"""The store's member rosters."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from pspn_core.errors import NotFound
from pspn_core.membership.model import Member
from pspn_core.store.base import StoreBase
from pspn_core.store.database import transaction

__all__ = ["MemberStore", "member_from_row"]


class MemberStore(StoreBase):
    """Who belongs to which network."""

    def add_member(self, member: Member) -> bool:
        """Store ``member``; ``False`` (and nothing changed) if already there."""
        self._require_network(member.network)
        with transaction(self.conn):
            return self._insert_member(member)

    def _insert_member(self, member: Member) -> bool:
        """:meth:`add_member`, inside the caller's transaction."""
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
        return [member_from_row(row) for row in rows]

    def member(self, network: str, username: str) -> Member:
        row = self.conn.execute(
            "SELECT * FROM members WHERE network = ? AND username = ?", (network, username)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"{username!r} is not a member of {network!r}; "
                f"`pspn members list --network {network}` shows who is"
            )
        return member_from_row(row)


def member_from_row(row: sqlite3.Row) -> Member:
    """A ``members`` row as a :class:`Member`."""
    return Member(
        network=row["network"],
        username=row["username"],
        display_name=row["display_name"],
        organisation=row["organisation"],
        aliases=tuple(json.loads(row["aliases"])),
        joined_at=datetime.fromisoformat(row["joined_at"]) if row["joined_at"] else None,
    )
