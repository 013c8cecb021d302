"""What the web app's views share: the server's context, settings, links, limits, keys."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from pspn_adapters.server.context import ServerContext
from pspn_adapters.web.erasure import ErasureRequests
from pspn_adapters.web.feed_tokens import FeedTokens
from pspn_adapters.web.invision_client import InvisionOAuth
from pspn_adapters.web.links import LinkStore, RateLimiter
from pspn_adapters.web.settings import WebSettings, connect_secret, invision_oauth
from pspn_core.networks.model import Network
from pspn_core.notes.keys import KeyRing
from pspn_core.ports import Forum
from pspn_core.store import SqliteStore
from pspn_core.store.roster_cache import RosterCache

__all__ = ["WebContext"]

HOUR = 3600.0


@dataclass
class WebContext:
    """One per running app. ``clock`` is aware UTC time (tests pass their own)."""

    server: ServerContext
    settings: WebSettings
    environ: Mapping[str, str]
    clock: Callable[[], datetime]
    links: LinkStore
    erasure: ErasureRequests
    feeds: FeedTokens
    per_username: RateLimiter
    per_address: RateLimiter
    connect_secret: bytes | None = field(default=None, repr=False)
    """The DiscourseConnect secret when "sign in with the forum" is on."""
    forum_url: str = ""
    invision_oauth: InvisionOAuth | None = None
    _keys: KeyRing | None = field(default=None, repr=False)
    _keys_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _roster_cache: RosterCache | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        server: ServerContext,
        settings: WebSettings,
        environ: Mapping[str, str],
        clock: Callable[[], datetime],
    ) -> WebContext:
        connect = connect_secret(settings, server.config, environ)
        return cls(
            invision_oauth=invision_oauth(settings, server.config, environ),
            connect_secret=connect[0] if connect else None,
            forum_url=connect[1] if connect else "",
            server=server,
            settings=settings,
            environ=environ,
            clock=clock,
            links=LinkStore(server.config.data_dir, clock=clock),
            erasure=ErasureRequests(server.config.data_dir, clock=clock),
            feeds=FeedTokens(server.config.data_dir, clock=clock),
            per_username=RateLimiter(settings.links_per_username, HOUR),
            per_address=RateLimiter(settings.links_per_address, HOUR),
        )

    @property
    def store(self) -> SqliteStore:
        return self.server.store

    def network(self, slug: str) -> Network:
        return self.server.config.networks[slug]

    def forum(self, slug: str) -> Forum:
        """Network ``slug``'s forum; hold :attr:`forum_lock` while using it."""
        return self.server.forum(slug)

    @property
    def forum_lock(self) -> threading.Lock:
        return self.server.forum_lock

    @property
    def keys(self) -> KeyRing:
        """The hub's encryption keys (a :class:`ConfigError` if there are none)."""
        with self._keys_lock:
            if self._keys is None:
                config = self.server.config
                self._keys = KeyRing.load(config.key_file, config.hub.key_env, self.environ)
            return self._keys

    @property
    def roster_cache(self) -> RosterCache:
        """The hub's compiled roster: kept in memory between notes, and in the data folder."""
        keys = self.keys
        with self._keys_lock:
            if self._roster_cache is None:
                self._roster_cache = RosterCache(self.server.config.data_dir, keys)
            return self._roster_cache

    def forget_roster(self) -> None:
        """Delete the compiled roster, held and saved: after an erasure (it holds names)."""
        with self._keys_lock:
            cache = self._roster_cache or RosterCache(self.server.config.data_dir)
        cache.clear()

    @property
    def public_url(self) -> str:
        return self.server.settings.public_url.rstrip("/")
