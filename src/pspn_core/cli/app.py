"""The composition root: config, plugins, store and forums, built lazily per command."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pspn_core.config import Config, find_config, load_config
from pspn_core.errors import ConfigError
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins, make_plugin_manager
from pspn_core.ports import Forum
from pspn_core.registries import ForumContext, validate_forum_tables, validate_settings

if TYPE_CHECKING:
    from pspn_core.notes.keys import KeyRing
    from pspn_core.store import SqliteStore

__all__ = ["App"]


class App:
    """What a command needs, built on first use so that ``--help`` stays fast.

    Tests pass ``plugins`` (a plugin manager with just what they register) and
    ``environ``; the CLI passes neither.
    """

    def __init__(
        self,
        config_path: Path | None = None,
        *,
        plugins: Plugins | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.config_path = config_path
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self._plugins = plugins
        self._forums: dict[str, Forum] = {}

    @cached_property
    def plugins(self) -> Plugins:
        if self._plugins is None:
            self._plugins = Plugins(make_plugin_manager(environ=self.environ))
        return self._plugins

    @cached_property
    def config(self) -> Config:
        config = load_config(find_config(self.config_path, self.environ))
        validate_forum_tables(config, self.plugins.forums())  # whichever command runs
        self.plugins.configure(config)  # plugins check their own tables ([adapters.server])
        return config

    @cached_property
    def store(self) -> SqliteStore:
        from pspn_core.store import SqliteStore

        return SqliteStore(self.config.data_dir)

    @cached_property
    def keys(self) -> KeyRing:
        """The hub's encryption keys (a clear error if there are none)."""
        from pspn_core.notes.keys import KeyRing

        config = self.config
        return KeyRing.load(config.key_file, config.hub.key_env, self.environ)

    def network(self, slug: str) -> Network:
        return self.config.network(slug)

    def forum(self, slug: str) -> Forum:
        """The forum of network ``slug``, through the adapter ``hub.forum`` names."""
        if slug not in self._forums:
            config, network = self.config, self.network(slug)
            forum_type = self.plugins.forums().get(config.hub.forum)
            name = forum_type.name
            context = ForumContext(
                network=slug,
                settings=validate_settings(
                    forum_type.settings_model,
                    config.adapters.get(name, {}),
                    f"{config.source}: adapters.{name}",
                ),
                network_settings=validate_settings(
                    forum_type.network_model,
                    network.forum,
                    f"{config.source}: networks.{slug}.forum",
                ),
                data_dir=config.data_dir,
                environ=self.environ,
            )
            self._forums[slug] = forum_type.create(context)
        return self._forums[slug]

    def only_network(self, slug: str | None) -> Network:
        """The network named, or the only one configured."""
        if slug is not None:
            return self.network(slug)
        networks = list(self.config.networks.values())
        if len(networks) == 1:
            return networks[0]
        known = ", ".join(sorted(self.config.networks))
        raise ConfigError(f"several networks are configured ({known}); choose one with --network")
