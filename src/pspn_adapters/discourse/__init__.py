"""Discourse as a pspn forum: the plugin that registers the ``discourse`` forum type.

Settings come from ``[adapters.discourse]`` (:class:`DiscourseSettings`) and
each network's ``[networks.<slug>.forum]`` (:class:`DiscourseNetworkSettings`);
the admin API key is read from the environment variable ``api_key_env`` names.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from pspn_adapters.discourse.settings import DiscourseNetworkSettings, DiscourseSettings
from pspn_adapters.discourse.webhooks import DiscourseWebhooks
from pspn_core import hookimpl
from pspn_core.registries import ForumContext, ForumRegistry, ForumType

if TYPE_CHECKING:
    from pspn_adapters._http import RateLimiter
    from pspn_adapters.discourse.adapter import DiscourseForum
    from pspn_adapters.discourse.client import DiscourseClient
    from pspn_core.ports import Forum

__all__ = [
    "DiscourseClient",
    "DiscourseForum",
    "DiscourseNetworkSettings",
    "DiscourseSettings",
    "create_forum",
    "shared_limiter",
]


_limiters: dict[tuple[str, int], RateLimiter] = {}
_limiters_lock = threading.Lock()


def __getattr__(name: str) -> object:
    """The client and the adapter, imported when first used: not by every command."""
    if name == "DiscourseClient":
        from pspn_adapters.discourse.client import DiscourseClient

        return DiscourseClient
    if name == "DiscourseForum":
        from pspn_adapters.discourse.adapter import DiscourseForum

        return DiscourseForum
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def shared_limiter(base_url: str, per_minute: int) -> RateLimiter:
    """The one rate limiter for a forum in this process.

    Discourse's admin bucket is site-wide, so every network on the same forum
    must draw from the same tokens.
    """
    from pspn_adapters._http import RateLimiter

    with _limiters_lock:
        key = (base_url.rstrip("/"), per_minute)
        if key not in _limiters:
            _limiters[key] = RateLimiter(per_minute)
        return _limiters[key]


def create_forum(context: ForumContext) -> Forum:
    """Build one network's :class:`DiscourseForum`; a missing key is a :class:`ConfigError`."""
    from pspn_adapters._http import RetryPolicy
    from pspn_adapters.discourse.adapter import DiscourseForum
    from pspn_adapters.discourse.client import DiscourseClient

    settings, network = context.settings, context.network_settings
    assert isinstance(settings, DiscourseSettings)
    assert isinstance(network, DiscourseNetworkSettings)
    api_key = context.secret(
        settings.api_key_env,
        table="adapters.discourse",
        how_to_get="Create an admin API key in Discourse (Admin > Advanced > API keys)",
    )
    client = DiscourseClient(
        settings.base_url,
        api_key=api_key,
        api_username=settings.api_username,
        limiter=shared_limiter(settings.base_url, settings.requests_per_minute),
        retry=RetryPolicy(attempts=settings.retries + 1),
        timeout=(5.0, settings.timeout_seconds),
    )
    progress = context.progress_of("members")
    return DiscourseForum(client, network, page_size=settings.page_size, progress=progress)


@hookimpl
def pspn_register_forums(registry: ForumRegistry) -> None:
    registry.add(
        ForumType(
            name="discourse",
            settings_model=DiscourseSettings,
            network_model=DiscourseNetworkSettings,
            create=create_forum,
            description="a Discourse forum, through its admin API and the calendar plugin",
            webhooks=DiscourseWebhooks(),
        )
    )
