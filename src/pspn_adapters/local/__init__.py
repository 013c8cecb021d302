"""The embedded local forum: the default adapter, on the hub's own SQLite database.

It is complete (members, groups with join requests, private and public areas,
posts, calendar events, messages), so that every pspn command works with no
forum at all, and it is the reference implementation of the ``Forum`` port.
It also registers the embedded meeting platform ``local``
(:mod:`pspn_adapters.localmeet`).
"""

from __future__ import annotations

from pspn_adapters.local.adapter import LocalForum, LocalNetworkSettings, LocalSettings
from pspn_adapters.local.hub import LocalHub
from pspn_core import hookimpl
from pspn_core.ports import Forum
from pspn_core.registries import ForumContext, ForumRegistry, ForumType, PlatformRegistry
from pspn_core.store import DATABASE_NAME

__all__ = ["LocalForum", "LocalHub", "LocalNetworkSettings", "LocalSettings", "create_forum"]


def create_forum(context: ForumContext) -> Forum:
    assert isinstance(context.network_settings, LocalNetworkSettings)
    hub = LocalHub(context.data_dir / DATABASE_NAME)
    return LocalForum(hub, context.network_settings)


@hookimpl
def pspn_register_forums(registry: ForumRegistry) -> None:
    registry.add(
        ForumType(
            name="local",
            settings_model=LocalSettings,
            network_model=LocalNetworkSettings,
            create=create_forum,
            description="the embedded forum in the hub's own database (no forum needed)",
        )
    )


@hookimpl
def pspn_register_platforms(registry: PlatformRegistry) -> None:
    """The embedded meeting platform comes with the embedded forum."""
    from pspn_adapters.localmeet import LOCAL_PLATFORM

    registry.add(LOCAL_PLATFORM)
