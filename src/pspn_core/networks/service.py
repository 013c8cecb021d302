"""Setting up a network on the hub."""

from __future__ import annotations

from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import Forum, Provisionable, Store

__all__ = ["setup_network"]


def setup_network(network: Network, store: Store, forum: Forum, plugins: Plugins) -> list[str]:
    """Record the network in the store and, where pspn may, create it on the forum."""
    done: list[str] = []
    if isinstance(forum, Provisionable):
        done.extend(forum.provision())
    if store.ensure_network(network.slug, network.name):
        done.append(f"recorded network {network.slug!r} in the store")
        plugins.network_created(network)
    return done
