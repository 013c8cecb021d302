"""Invision Community as a pspn forum: the plugin that registers the ``invision`` forum type.

Settings come from ``[adapters.invision]`` (:class:`InvisionSettings`) and
each network's ``[networks.<slug>.forum]`` (:class:`InvisionNetworkSettings`);
the REST API key is read from the environment variable ``api_key_env`` names.
Join requests reach us through Invision's webhooks (the REST API cannot list
them); they are kept in ``<data_dir>/invision/<network>-join-requests.sqlite3``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_adapters.invision.settings import InvisionNetworkSettings, InvisionSettings
from pspn_adapters.invision.webhooks import InvisionWebhooks
from pspn_core import hookimpl
from pspn_core.registries import ForumContext, ForumRegistry, ForumType

if TYPE_CHECKING:
    from pspn_adapters.invision.adapter import InvisionForum
    from pspn_adapters.invision.client import InvisionClient
    from pspn_core.ports import Forum

__all__ = [
    "InvisionClient",
    "InvisionForum",
    "InvisionNetworkSettings",
    "InvisionSettings",
    "create_forum",
]


def __getattr__(name: str) -> object:
    """The client and the adapter, imported when first used: not by every command."""
    if name == "InvisionClient":
        from pspn_adapters.invision.client import InvisionClient

        return InvisionClient
    if name == "InvisionForum":
        from pspn_adapters.invision.adapter import InvisionForum

        return InvisionForum
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_forum(context: ForumContext) -> Forum:
    """Build one network's :class:`InvisionForum`; a missing key is a :class:`ConfigError`."""
    from pspn_adapters._http import RateLimiter, RetryPolicy
    from pspn_adapters.invision.adapter import InvisionForum
    from pspn_adapters.invision.client import InvisionClient
    from pspn_adapters.invision.join_requests import JoinRequestInbox

    settings, network = context.settings, context.network_settings
    assert isinstance(settings, InvisionSettings)
    assert isinstance(network, InvisionNetworkSettings)
    api_key = context.secret(
        settings.api_key_env,
        table="adapters.invision",
        how_to_get="Create a REST API key in the Invision AdminCP"
        " (System > REST & OAuth > API Keys)",
    )
    client = InvisionClient(
        settings.base_url,
        api_key,
        per_page=settings.page_size,
        retry=RetryPolicy(attempts=settings.retries + 1),
        limiter=RateLimiter(settings.requests_per_minute),
        timeout=(5.0, settings.timeout_seconds),
    )
    inbox = JoinRequestInbox(
        context.data_dir / "invision" / f"{context.network}-join-requests.sqlite3"
    )
    progress = context.progress_of("members")
    return InvisionForum(
        client, network, inbox, progress=progress, display_field=settings.display_name_field_id
    )


@hookimpl
def pspn_register_forums(registry: ForumRegistry) -> None:
    registry.add(
        ForumType(
            name="invision",
            settings_model=InvisionSettings,
            network_model=InvisionNetworkSettings,
            create=create_forum,
            description="an Invision Community site, through its REST API (clubs or groups)",
            webhooks=InvisionWebhooks(),
        )
    )
