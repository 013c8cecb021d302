"""Who is signed in and what they may do, worked out afresh on every request.

The session holds only a username. Each request looks the person up on every
network's roster and in ``[networks.<slug>.roles]``, so someone who leaves or
is erased loses access on their very next click.
"""

from __future__ import annotations

from dataclasses import dataclass

from pspn_core.config import Config
from pspn_core.errors import NotFound
from pspn_core.membership.model import Member
from pspn_core.networks.roles import Role, roles_of
from pspn_core.store import SqliteStore

__all__ = ["Person", "find_person", "memberships"]


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    roles: dict[str, frozenset[Role]]
    """Network slug to the roles held there; only networks where they are a member."""

    def can(self, slug: str, role: Role) -> bool:
        return role in self.roles.get(slug, frozenset())


def memberships(config: Config, store: SqliteStore, username: str) -> dict[str, Member]:
    """The networks whose roster has ``username`` (any case), with the roster entry.

    One indexed look-up per network, so a request costs the same on a hub of thousands.
    """
    found = {}
    for slug in config.networks:
        try:
            found[slug] = store.member(slug, username)
        except NotFound:
            continue
    return found


def find_person(config: Config, store: SqliteStore, username: str) -> Person | None:
    """The person ``username`` is now, or ``None`` if no network has them any more."""
    held = memberships(config, store, username)
    if not held:
        return None
    roles = {
        slug: roles_of(config.networks[slug].roles, [member.username], member.username)
        for slug, member in held.items()
    }
    first = next(iter(held.values()))
    return Person(first.username, first.display_name, roles)
