"""The periodic collection in ``pspn serve``: every few minutes, ``pspn meetings collect``.

Off unless ``[adapters.server] collect_every_minutes`` is set. It runs on its
own thread with its own :class:`~pspn_core.cli.app.App` (so its own store and
platform clients) each time, collects every network's ended meetings into
draft notes exactly as the command does, and logs counts only: never a name,
a topic or a line of text. A failure is logged and tried again next time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from pspn_core.cli.app import App
from pspn_core.errors import PspnError

__all__ = ["Collector", "collect_once"]

log = logging.getLogger("pspn.server.collector")


def collect_once(app: App, now: datetime) -> dict[str, int]:
    """Collect every network's ended meetings; counts by outcome (``collected``, ...)."""
    from pspn_core.meetings.collect import collect_due

    counts: dict[str, int] = {}
    for slug, network in app.config.networks.items():
        held = app.platform(slug)
        if held is None:
            continue
        name, platform = held
        outcomes = collect_due(
            network,
            store=app.store,
            platform=platform,
            platform_name=name,
            keys=app.keys,
            plugins=app.plugins,
            now=now,
        )
        for outcome in outcomes:
            counts[outcome.status.value] = counts.get(outcome.status.value, 0) + 1
    return counts


class Collector:
    """Runs :func:`collect_once` every ``minutes`` on a daemon thread, first at start."""

    def __init__(
        self,
        make_app: Callable[[], App],
        minutes: float,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._make_app = make_app
        self._seconds = minutes * 60
        self._clock = clock
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pspn-collector", daemon=True)
        self.runs = 0

    def start(self) -> Collector:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            app = self._make_app()
            try:
                counts = collect_once(app, self._clock())
                if counts:
                    log.info("meetings collected: %s", counts)
            except PspnError as error:
                log.warning("collecting meetings failed: %s", type(error).__name__)
            finally:
                if "store" in app.__dict__:
                    app.store.close()
                self.runs += 1
            self._stopping.wait(self._seconds)
