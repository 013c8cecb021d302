"""Running the application under waitress, with a clean start and a graceful stop.

waitress is a production WSGI server in pure Python that also runs on Windows.
Its own ``run()`` stops abruptly on a signal, so :class:`Server` drives
waitress's event loop itself: on SIGTERM or SIGINT it stops accepting
connections, lets the requests already received finish and their answers go
out (up to ``grace`` seconds), then closes everything.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pspn_adapters.server.app import make_app
from pspn_adapters.server.context import ServerContext
from pspn_adapters.server.settings import Webhook, server_settings
from pspn_core.errors import OperationError

if TYPE_CHECKING:
    from pspn_core.cli.app import App

__all__ = ["Server", "build_context", "serve"]

log = logging.getLogger("pspn.server")

#: The signals that stop the server gracefully (SIGBREAK is Ctrl-Break on Windows).
_SIGNALS = tuple(
    sig for sig in (signal.SIGTERM, signal.SIGINT, getattr(signal, "SIGBREAK", None)) if sig
)


def build_context(app: App) -> ServerContext:
    """The server's context for the hub ``app`` is configured for (config errors surface here).

    Deliveries a stopped server claimed but did not finish are released, so the
    forum's redelivery is handled instead of answered "duplicate".
    """
    config = app.config
    settings = server_settings(config)
    forums = app.plugins.forums()
    forums.get(config.hub.forum)  # an unknown hub.forum is a configuration error here too
    webhooks = {}
    for forum_type in forums:
        if forum_type.webhooks is None:
            continue
        required = forum_type.name == config.hub.forum
        secret = forum_type.webhooks.load_secret(config, app.environ, required=required)
        if secret is not None:
            webhooks[forum_type.name] = Webhook(forum_type.name, forum_type.webhooks, secret)
    context = ServerContext(config, settings, webhooks, app.plugins, app.forum)
    released = context.store.release_unsettled_deliveries()
    if released:
        log.warning("%d delivery(s) left unfinished by a stopped server will be retried", released)
    return context


class Server:
    """One waitress server on ``host:port`` (port 0 picks a free one)."""

    def __init__(
        self,
        context: ServerContext,
        host: str = "127.0.0.1",
        port: int = 8080,
        *,
        wsgi: Callable[..., Any] | None = None,
    ) -> None:
        from waitress.server import create_server

        from pspn_adapters.web.settings import web_settings

        self.context = context
        self._map: dict[int, Any] = {}
        limit = context.settings.max_body_bytes
        self._server: Any = create_server(
            wsgi or make_app(context),
            map=self._map,
            host=host,
            port=port,
            threads=context.settings.threads,
            ident="pspn",
            max_request_body_size=max(limit * 4, 2 * web_settings(context.config).max_upload_bytes),
            expose_tracebacks=False,
            # Idle and half-sent connections must not fill the server: each is closed
            # after the client timeout (checked that often), and the limit leaves
            # room for health checks and webhooks beside them.
            channel_timeout=context.settings.client_timeout_seconds,
            cleanup_interval=max(1, context.settings.client_timeout_seconds // 2),
            connection_limit=context.settings.connection_limit,
        )
        self._stopping = threading.Event()

    @property
    def address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    def stop(self) -> None:
        """Ask :meth:`serve` to finish (safe from a signal handler or another thread)."""
        self._stopping.set()

    def serve(self, *, grace: float = 30.0) -> None:
        """Serve until :meth:`stop`; then finish the requests in flight and close."""
        loop = self._server.asyncore.loop
        while not self._stopping.is_set():
            loop(timeout=0.2, map=self._map, count=1)
        self._server.accepting = False
        self._server.del_channel()
        self._server.socket.close()
        deadline = time.monotonic() + grace
        while self._busy() and time.monotonic() < deadline:
            loop(timeout=0.05, map=self._map, count=1)
        if self._busy():
            log.warning("stopping with requests still in flight after %.0f s", grace)
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=1)
        self._server.asyncore.close_all(self._map)
        self.context.close()

    def _busy(self) -> bool:
        return any(
            channel.requests or channel.request is not None or channel.total_outbufs_len
            for channel in list(self._server.active_channels.values())
        )


def serve(app: App, host: str, port: int, *, ready: Callable[[str], None] | None = None) -> None:
    """Run ``pspn serve``: until SIGTERM or Ctrl-C, which finish requests in flight."""
    from pspn_adapters.web import mount

    context = build_context(app)
    try:
        server = Server(context, host, port, wsgi=mount(context, app.environ))
    except OSError as error:
        context.close()
        raise OperationError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); "
            "is another server using that port? Choose another with --port"
        ) from None
    previous = {sig: signal.signal(sig, lambda *_: server.stop()) for sig in _SIGNALS}
    collector = None
    minutes = context.settings.collect_every_minutes
    if minutes is not None:
        from pspn_adapters.server.collector import Collector

        def fresh() -> App:
            return type(app)(app.config_path, plugins=app.plugins, environ=app.environ)

        collector = Collector(fresh, minutes).start()
    try:
        bound_host, bound_port = server.address
        if ready is not None:
            ready(f"http://{bound_host}:{bound_port}")
        server.serve()
    finally:
        if collector is not None:
            collector.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
