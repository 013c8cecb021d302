"""What the request handlers share: config, webhook, plugins, a store per thread, the forums.

waitress answers requests on several threads. SQLite connections are not shared
between threads, so each thread opens its own store (WAL lets them read while
one writes). Work that calls a forum is rare and slow; it runs one at a time
under :attr:`ServerContext.forum_lock`, so forum clients need not be thread-safe.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from pspn_adapters.server.settings import ServerSettings, Webhook
from pspn_core.config import Config
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import Forum
from pspn_core.store import SqliteStore

__all__ = ["ServerContext"]


class ServerContext:
    """The server's view of the hub. Close it when the server stops."""

    def __init__(
        self,
        config: Config,
        settings: ServerSettings,
        webhooks: Mapping[str, Webhook],
        plugins: Plugins,
        forum: Callable[[str], Forum],
    ) -> None:
        self.config = config
        self.settings = settings
        self.webhooks = dict(webhooks)
        self.plugins = plugins
        self.forum_lock = threading.Lock()
        self._forum = forum
        self._local = threading.local()
        self._stores: list[SqliteStore] = []
        self._stores_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"ServerContext({self.config.source!s}, webhooks={sorted(self.webhooks)})"

    @property
    def store(self) -> SqliteStore:
        """This thread's store (opened on first use)."""
        store: SqliteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = SqliteStore(self.config.data_dir)
            self._local.store = store
            with self._stores_lock:
                self._stores.append(store)
        return store

    def network(self, slug: str) -> Network:
        return self.config.network(slug)

    def forum(self, slug: str) -> Forum:
        """Network ``slug``'s forum; call it only while holding :attr:`forum_lock`."""
        return self._forum(slug)

    def close(self) -> None:
        with self._stores_lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
