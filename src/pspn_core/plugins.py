"""The plugin manager, and the one typed method per hook that the core calls.

Only this module touches ``pm.hook``: call sites go through :class:`Plugins`,
so they are type-checked.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from pspn_core import hookspecs

if TYPE_CHECKING:
    import click

    from pspn_core.config import Config
    from pspn_core.meetings.model import Meeting
    from pspn_core.membership.eligibility import EligibilityRule
    from pspn_core.membership.model import Decision, Member
    from pspn_core.networks.model import Network
    from pspn_core.notes.anonymiser import Detector
    from pspn_core.registries import ForumRegistry, PlatformRegistry

__all__ = [
    "COMMANDS_GROUP",
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "PluginInfo",
    "Plugins",
    "make_plugin_manager",
]

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "pspn"
#: Commands declared by plugins, listed by ``pspn --help`` without importing them.
COMMANDS_GROUP = "pspn.commands"
DISABLED_ENV = "PSPN_DISABLED_PLUGINS"
TRACE_ENV = "PSPN_TRACE_PLUGINS"

#: Built-in behaviour, written as plugins a third party could write.
DEFAULT_PLUGINS: tuple[str, ...] = (
    "pspn_core.meetings.plugin",
    "pspn_core.membership.plugin",
    "pspn_core.notes.plugin",
)


def make_plugin_manager(
    *,
    load_entrypoints: bool = True,
    plugins: Iterable[object] = (),
    environ: Mapping[str, str] | None = None,
) -> pluggy.PluginManager:
    """Build the plugin manager: specs, default plugins, entry points, then checks.

    :param load_entrypoints: load the ``pspn`` entry-point group (installed adapters
        and extensions). Tests pass ``False`` and register what they need.
    :param plugins: extra plugin objects or modules to register.
    :param environ: where ``PSPN_DISABLED_PLUGINS`` and ``PSPN_TRACE_PLUGINS`` are read.
    """
    environ = os.environ if environ is None else environ
    pm = pluggy.PluginManager(ENTRY_POINT_GROUP)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    for plugin in plugins:
        pm.register(plugin)
    if load_entrypoints:
        for name in filter(None, (n.strip() for n in environ.get(DISABLED_ENV, "").split(","))):
            pm.set_blocked(name)
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    if environ.get(TRACE_ENV):
        _trace_calls(pm)
    return pm


def _trace_calls(pm: pluggy.PluginManager) -> None:
    """Write every hook call, notifications included, to stderr: the hook, the argument
    names and the plugins that answer, never the values (they hold the configuration,
    people's names and notes)."""

    def before(hook_name: str, impls: Sequence[pluggy.HookImpl], kwargs: Mapping[str, Any]) -> None:
        names = ", ".join(impl.plugin_name for impl in impls) or "no plugin"
        sys.stderr.write(f"pspn hook {hook_name}({', '.join(kwargs)}) -> {names}\n")

    def after(
        outcome: pluggy.Result[Any],
        hook_name: str,
        impls: Sequence[pluggy.HookImpl],
        kwargs: Mapping[str, Any],
    ) -> None:
        failed = outcome.exception
        if failed is not None:
            sys.stderr.write(f"pspn hook {hook_name} raised {type(failed).__name__}\n")

    pm.add_hookcall_monitoring(before, after)


@dataclass(frozen=True)
class PluginInfo:
    """One registered plugin: its name, the distribution that installed it, its hooks."""

    name: str
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]


class Plugins:
    """Typed access to the hooks of one plugin manager."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self._forums: ForumRegistry | None = None
        self._platforms: PlatformRegistry | None = None

    def names(self) -> list[str]:
        """The registered plugins, by name (entry-point name, module or object)."""
        return sorted(str(self.pm.get_name(plugin)) for plugin in self.pm.get_plugins())

    def describe(self) -> list[PluginInfo]:
        """Every registered plugin with its distribution, version and hooks, by name.

        pspn's own default plugins belong to the ``pspn`` distribution.
        """
        from pspn_core import __version__ as own

        installed = {id(plugin): dist for plugin, dist in self.pm.list_plugin_distinfo()}
        found = []
        for plugin in self.pm.get_plugins():
            name = str(self.pm.get_name(plugin))
            dist = installed.get(id(plugin))
            distribution: str | None
            release: str | None
            if dist is not None:
                distribution, release = str(dist.project_name), str(dist.version)
            elif name in DEFAULT_PLUGINS:
                distribution, release = "pspn", own
            else:
                distribution, release = None, None
            hooks = tuple(sorted(c.name for c in self.pm.get_hookcallers(plugin) or []))
            found.append(PluginInfo(name, distribution, release, hooks))
        return sorted(found, key=lambda info: info.name)

    # -- start-up -----------------------------------------------------------
    def configure(self, config: Config) -> None:
        self.pm.hook.pspn_configure.call_historic(kwargs={"config": config})

    def forums(self) -> ForumRegistry:
        if self._forums is None:
            from pspn_core.registries import ForumRegistry

            registry = ForumRegistry()
            self.pm.hook.pspn_register_forums(registry=registry)
            self._forums = registry
        return self._forums

    def platforms(self) -> PlatformRegistry:
        if self._platforms is None:
            from pspn_core.registries import PlatformRegistry

            registry = PlatformRegistry()
            self.pm.hook.pspn_register_platforms(registry=registry)
            self._platforms = registry
        return self._platforms

    def detectors(self) -> list[Detector]:
        from pspn_core.registries import DetectorRegistry

        registry = DetectorRegistry()
        self.pm.hook.pspn_register_detectors(registry=registry)
        return list(registry.detectors())

    def register_commands(self, cli: click.Group) -> None:
        self.pm.hook.pspn_register_commands(cli=cli)

    # -- rules --------------------------------------------------------------
    def meeting_exclusions(self, network: Network, start: date, end: date) -> set[date]:
        results: Sequence[Iterable[date] | None] = self.pm.hook.pspn_meeting_exclusions(
            network=network, start=start, end=end
        )
        return {day for result in results if result for day in result}

    def eligibility_rules(self) -> list[EligibilityRule]:
        """The built-in rules (registered by the membership plugin), then every other."""
        from pspn_core.registries import EligibilityRegistry

        registry = EligibilityRegistry()
        self.pm.hook.pspn_register_eligibility_rules(registry=registry)
        return list(registry)

    def demo_tips(self, config: Config, username: str) -> list[str]:
        """Every plugin's lines for the end of ``pspn demo``."""
        results: Sequence[Iterable[str] | None] = self.pm.hook.pspn_demo_tips(
            config=config, username=username
        )
        return [line for result in results if result for line in result]

    # -- notifications ------------------------------------------------------
    def network_created(self, network: Network) -> None:
        self._notify("pspn_network_created", network=network)

    def member_added(self, network: Network, member: Member) -> None:
        self._notify("pspn_member_added", network=network, member=member)

    def member_admitted(self, network: Network, member: Member, decision: Decision) -> None:
        self._notify("pspn_member_admitted", network=network, member=member, decision=decision)

    def meeting_scheduled(self, network: Network, meeting: Meeting) -> None:
        self._notify("pspn_meeting_scheduled", network=network, meeting=meeting)

    def meeting_changed(self, network: Network, meeting: Meeting) -> None:
        self._notify("pspn_meeting_changed", network=network, meeting=meeting)

    def member_erased(self, network: Network, username: str, data_dir: Path) -> None:
        self._notify("pspn_member_erased", network=network, username=username, data_dir=data_dir)

    def notes_published(self, network: Network, note_id: int, forum_id: str) -> None:
        self._notify("pspn_notes_published", network=network, note_id=note_id, forum_id=forum_id)

    def _notify(self, name: str, **kwargs: Any) -> None:
        """Call every implementation; one that raises is logged and does not stop the rest.

        Each implementation is called through pluggy on its own (with every
        wrapper of the hook around it), so calls are traced like any other.
        """
        impls = getattr(self.pm.hook, name).get_hookimpls()
        wrappers = {impl.plugin for impl in impls if impl.wrapper or impl.hookwrapper}
        plain = [impl for impl in impls if not (impl.wrapper or impl.hookwrapper)]
        for impl in reversed(plain):
            others = [i.plugin for i in plain if i.plugin is not impl.plugin]
            caller = self.pm.subset_hook_caller(
                name, remove_plugins=[p for p in others if p not in wrappers]
            )
            try:
                caller(**kwargs)
            except Exception as error:  # a notification must never undo what happened
                log.warning(
                    "plugin %s failed in %s: %s", impl.plugin_name, name, type(error).__name__
                )
