"""The composition root: config, plugins, store and forums, built lazily per command."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from pspn_core.errors import ConfigError

if TYPE_CHECKING:
    from pspn_core.config import Config
    from pspn_core.networks.model import Network
    from pspn_core.notes.keys import KeyRing
    from pspn_core.plugins import Plugins
    from pspn_core.ports import Forum, MeetingPlatform
    from pspn_core.registries import ProgressReport
    from pspn_core.store import SqliteStore

__all__ = ["App"]


class App:
    """What a command needs, built on first use so that ``--help`` stays fast (this
    module imports none of it: no pydantic, no pluggy, no store).

    Tests pass ``plugins`` (a plugin manager with just what they register),
    ``environ`` and ``progress``; the CLI passes none, and forums then report
    progress to the bars of :mod:`pspn_core.cli.progress` on a terminal.
    """

    def __init__(
        self,
        config_path: Path | None = None,
        *,
        plugins: Plugins | None = None,
        environ: Mapping[str, str] | None = None,
        progress: ProgressReport | None = None,
    ) -> None:
        self.config_path = config_path
        self.progress = progress
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self._plugins = plugins
        self._forums: dict[str, Forum] = {}
        self._platforms: dict[str, tuple[str, MeetingPlatform]] = {}
        self._dry_run: Callable[[str], None] | None = None
        self._real_plugins: Plugins | None = None

    @cached_property
    def plugins(self) -> Plugins:
        from pspn_core.plugins import Plugins, make_plugin_manager

        if self._plugins is None:
            self._plugins = Plugins(make_plugin_manager(environ=self.environ))
        return self._plugins

    @cached_property
    def config(self) -> Config:
        from pspn_core.config import find_config, load_config
        from pspn_core.registries import validate_forum_tables

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
        from pspn_core.registries import ForumContext, validate_settings

        if slug not in self._forums:
            from pspn_core.cli.progress import terminal_bars

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
                progress=self.progress if self.progress is not None else terminal_bars(),
            )
            forum = forum_type.create(context)
            if self._dry_run is not None:
                from pspn_core.cli.dry_run import RecordingForum

                forum = cast("Forum", RecordingForum(forum, self._dry_run))
            self._forums[slug] = forum
        return self._forums[slug]

    def platform(self, slug: str) -> tuple[str, MeetingPlatform] | None:
        """Network ``slug``'s meeting platform and its name (``[networks.<slug>.online]
        platform``, else ``hub.platform``), its ``[platforms.<name>]`` table validated.

        ``None`` when the config names no platform and the default one (``local``,
        which comes with the embedded forum's plugin) is not installed.
        """
        from pspn_core.registries import PlatformContext, validate_settings

        if slug not in self._platforms:
            config = self.config
            name, key = config.platform_of(slug)
            registry = self.plugins.platforms()
            if name not in registry and not config.names_platform(slug):
                return None
            platform_type = registry.get(name, key=key)
            context = PlatformContext(
                network=slug,
                settings=validate_settings(
                    platform_type.settings_model,
                    config.platforms.get(name, {}),
                    f"{config.source}: platforms.{name}",
                ),
                data_dir=config.data_dir,
                environ=self.environ,
            )
            self._platforms[slug] = (name, platform_type.create(context))
        return self._platforms[slug]

    def required_platform(self, slug: str) -> tuple[str, MeetingPlatform]:
        """Like :meth:`platform`, but a missing platform is a :class:`ConfigError`."""
        found = self.platform(slug)
        if found is None:
            raise ConfigError(
                "no meeting platform is installed; install pspn with its embedded plugins, "
                "or one that registers a platform, and set hub.platform"
            )
        return found

    def start_dry_run(self, scratch_dir: Path, report: Callable[[str], None]) -> None:
        """From now on the store is the copy in ``scratch_dir``, forum writes go to ``report``.

        Plugins' notifications are not fired. See :mod:`pspn_core.cli.dry_run`.
        """
        from pspn_core.cli.dry_run import MutedPlugins
        from pspn_core.store import SqliteStore

        self.end_dry_run()
        self._dry_run = report
        self._real_plugins = self.plugins
        self.__dict__["plugins"] = MutedPlugins(self.plugins.pm)
        self.__dict__["store"] = SqliteStore(scratch_dir)

    def end_dry_run(self) -> None:
        """Close the scratch store and forget the forums of the dry run (or the real ones)."""
        if "store" in self.__dict__:
            self.__dict__.pop("store").close()
        self._forums.clear()
        if self._dry_run is not None:
            self._dry_run = None
            self.__dict__["plugins"] = self._real_plugins

    def only_network(self, slug: str | None) -> Network:
        """The network named, or the only one configured."""
        if slug is not None:
            return self.network(slug)
        networks = list(self.config.networks.values())
        if len(networks) == 1:
            return networks[0]
        known = ", ".join(sorted(self.config.networks))
        raise ConfigError(f"several networks are configured ({known}); choose one with --network")
