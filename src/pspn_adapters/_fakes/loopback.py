"""A fake forum's HTTP server on 127.0.0.1, run in a background thread.

Shared by the fake Discourse and the fake Invision: each sets ``self._server``
(a ``ThreadingHTTPServer``) and gets ``start``, ``stop`` and ``with`` for free.
"""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer
from typing import Self

__all__ = ["LoopbackServer"]


class LoopbackServer:
    """Start and stop ``self._server`` in a daemon thread."""

    _server: ThreadingHTTPServer
    _thread: threading.Thread | None = None

    def start(self) -> Self:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
