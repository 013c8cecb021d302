"""A person's data across the store: each part of the store exports and erases its own.

Every part that keeps a username, a name or an e-mail address declares a
:class:`PersonalData` with the ``table.column`` places it covers; the store's
subject-access export and erasure are the sum of the parts. A test in
``tests/meta/`` fails when a column that holds a person is covered by no part.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pspn_core._lazy import lazy_exports

if TYPE_CHECKING:  # passed on lazily: opening the store loads no membership model
    from pspn_core.membership.model import Erasure

__all__ = [
    "FORMER_MEMBER",
    "Erasure",
    "Person",
    "PersonalData",
    "anonymise_names",
]

__getattr__ = lazy_exports("pspn_core.membership", {"Erasure": "model"}, owner=__name__)

FORMER_MEMBER = "a former member"


@dataclass(frozen=True)
class Person:
    """Someone in one network, with every name they may be recorded under."""

    network: str
    username: str
    names: tuple[str, ...]
    """The username, the display name and any aliases."""

    @property
    def marks(self) -> str:
        """``?, ?, ...``: one SQL parameter for each of :attr:`names`."""
        return ", ".join("?" * len(self.names))


Export = Callable[[sqlite3.Connection, Person], Mapping[str, Any]]
Erase = Callable[[sqlite3.Connection, Person], Mapping[str, int]]


@dataclass(frozen=True)
class PersonalData:
    """One part of the store's share of a person's data.

    :param covers: the ``table.column`` places holding a username, name or e-mail
        that :attr:`export` reads and :attr:`erase` deletes or anonymises.
    :param export: the person's data, by section name.
    :param erase: delete or anonymise it (inside the caller's transaction);
        returns counts by section name, never the data.
    """

    covers: frozenset[str]
    export: Export
    erase: Erase


def anonymise_names(
    conn: sqlite3.Connection, person: Person, table: str, column: str, where: str = ""
) -> int:
    """Replace ``person``'s names in ``table.column`` with :data:`FORMER_MEMBER`."""
    clause = f" AND {where}" if where else ""
    return conn.execute(
        f"UPDATE {table} SET {column} = ? WHERE {column} COLLATE NOCASE"  # noqa: S608
        f" IN ({person.marks}){clause}",
        (FORMER_MEMBER, *person.names, *([person.network] if "?" in where else [])),
    ).rowcount
