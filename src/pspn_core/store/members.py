"""The store's member rosters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from pspn_core.errors import NotFound, Remedy
from pspn_core.store.base import StoreBase
from pspn_core.store.database import transaction
from pspn_core.store.personal import Person, PersonalData

if TYPE_CHECKING:  # imported where a row becomes one: opening the store loads no model
    from pspn_core.membership.model import Member

__all__ = ["PERSONAL_DATA", "MemberStore", "member_from_row"]


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
        return _members(rows)

    def member_names(self, network: str) -> list[tuple[str, str, str]]:
        """(username, display name, organisation) of each member, in :meth:`members` order.

        Plain tuples, not :class:`Member` objects, for a listing of thousands.
        """
        rows = self.conn.execute(
            "SELECT username, display_name, organisation FROM members WHERE network = ?"
            " ORDER BY display_name COLLATE NOCASE, username",
            (network,),
        ).fetchall()
        return [(username, name, organisation) for username, name, organisation in rows]

    def everyone(self) -> list[tuple[str, str, str, tuple[str, ...]]]:
        """Every member of every network as (username, display name, organisation, aliases).

        In the order of :meth:`networks`, then as :meth:`members` lists them; plain
        tuples, not :class:`Member` objects, since a notes command reads thousands.
        """
        rows = self.conn.execute(
            "SELECT m.username, m.display_name, m.organisation, m.aliases FROM members m"
            " JOIN networks n ON n.slug = m.network"
            " ORDER BY n.slug, m.display_name COLLATE NOCASE, m.username"
        ).fetchall()
        return [
            (" ".join(u.split()), name, org, () if aliases == "[]" else tuple(json.loads(aliases)))
            for u, name, org, aliases in rows
        ]

    def member(self, network: str, username: str) -> Member:
        row = self.conn.execute(
            "SELECT * FROM members WHERE network = ? AND username = ?", (network, username)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"{username!r} is not a member of {network!r}",
                remedy=Remedy("list-members", {"network": network}),
            )
        return member_from_row(row)


def member_from_row(row: sqlite3.Row) -> Member:
    """A ``members`` row as a :class:`Member`."""
    return _members([row])[0]


def _members(rows: Iterable[sqlite3.Row]) -> list[Member]:
    """``members`` rows as :class:`Member` objects (the model imported once for them all)."""
    from pspn_core.membership.model import Member

    return [
        Member(
            network=row["network"],
            username=row["username"],
            display_name=row["display_name"],
            organisation=row["organisation"],
            aliases=tuple(json.loads(row["aliases"])),
            joined_at=datetime.fromisoformat(row["joined_at"]) if row["joined_at"] else None,
        )
        for row in rows
    ]


# -- a person's data ----------------------------------------------------------------


def person(conn: sqlite3.Connection, network: str, username: str) -> Person:
    """``username`` in ``network`` with the names the roster knows them by."""
    row = conn.execute(
        "SELECT display_name, aliases FROM members WHERE network = ? AND username = ?",
        (network, username),
    ).fetchone()
    names = [username]
    if row is not None:
        names += [row["display_name"], *json.loads(row["aliases"])]
    return Person(network, username, tuple(dict.fromkeys(name for name in names if name)))


def _export(conn: sqlite3.Connection, who: Person) -> dict[str, object]:
    row = conn.execute(
        "SELECT * FROM members WHERE network = ? AND username = ?", (who.network, who.username)
    ).fetchone()
    return {"member": None if row is None else member_from_row(row).model_dump(mode="json")}


def _erase(conn: sqlite3.Connection, who: Person) -> dict[str, int]:
    deleted = conn.execute(
        "DELETE FROM members WHERE network = ? AND username = ?", (who.network, who.username)
    )
    return {"memberships": deleted.rowcount}


PERSONAL_DATA = PersonalData(
    frozenset({"members.username", "members.display_name", "members.aliases"}), _export, _erase
)
