"""One WSGI callable for ``pspn serve``: the webhook server's paths, and the web app.

``/webhooks/...``, ``/calendar/...`` and ``/healthz`` go to the existing server
application unchanged; every other path goes to the members' web app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["SERVER_PREFIXES", "PathDispatcher"]

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

SERVER_PREFIXES = ("/webhooks/", "/calendar/")
SERVER_PATHS = frozenset({"/healthz", "/webhooks", "/calendar"})


class PathDispatcher:
    """Sends each request to ``server`` or ``web`` by its path."""

    def __init__(self, server: WsgiApp, web: WsgiApp) -> None:
        self.server = server
        self.web = web

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", "")) or "/"
        if path in SERVER_PATHS or path.startswith(SERVER_PREFIXES):
            return self.server(environ, start_response)
        return self.web(environ, start_response)
