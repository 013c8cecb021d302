"""Setting up networks and keeping their rosters."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pspn_core.errors import OperationError
from pspn_core.members import Member
from pspn_core.networks import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import Forum, Store

__all__ = ["Provisionable", "add_member", "setup_network"]


@runtime_checkable
class Provisionable(Protocol):
    """A forum pspn may set up itself (the embedded one); real forums are set up by their admins."""

    def provision(self) -> list[str]:
        """Create the network's group, private notes area and calendar if missing.

        Returns what was created, in words.
        """
        ...

    def ensure_user(self, username: str, display_name: str) -> None:
        """Create the forum account if there is none."""
        ...


def setup_network(network: Network, store: Store, forum: Forum, plugins: Plugins) -> list[str]:
    """Record the network in the store and, where pspn may, create it on the forum."""
    done: list[str] = []
    if isinstance(forum, Provisionable):
        done.extend(forum.provision())
    if store.ensure_network(network.slug, network.name):
        done.append(f"recorded network {network.slug!r} in the store")
        plugins.network_created(network)
    return done


def add_member(
    network: Network, member: Member, store: Store, forum: Forum, plugins: Plugins
) -> bool:
    """Add ``member`` to the roster and to the network's group on the forum.

    Returns ``False`` if they were already on the roster (the forum group is
    still made to match).
    """
    if network.slug not in store.networks():
        raise OperationError(
            f"the network {network.slug!r} has not been set up yet; run `pspn networks setup`"
        )
    if isinstance(forum, Provisionable):
        forum.ensure_user(member.username, member.display_name)
    forum.add_member(member.username)
    added = store.add_member(member)
    if added:
        plugins.member_added(network, member)
    return added
