"""Faults the fake Invision injects into the requests that match them.

Kept apart from the server so a test reads as what goes wrong:
``fake.faults.fail(503, match="POST /forums/topics")``,
``fake.faults.slow(2.0)``, ``fake.faults.drop_after_commit()``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["Fault", "Faults"]


@dataclass
class Fault:
    """One fault waiting for its requests: what to do, how often, to which."""

    kind: str
    times: int
    match: str | None
    status: int = 503
    retry_after: float | None = None
    seconds: float = 0.0


class Faults:
    """Faults to inject into the next matching requests.

    ``match`` is a prefix of ``"METHOD /app/controller/..."``, e.g.
    ``"POST /forums/topics"``; ``None`` matches every request.
    """

    def __init__(self) -> None:
        self._queue: list[Fault] = []
        self._lock = threading.Lock()

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        match: str | None = None,
    ) -> None:
        """Answer ``status`` (429 or 5xx) without doing anything, ``times`` times."""
        self._queue.append(Fault("fail", times, match, status=status, retry_after=retry_after))

    def slow(self, seconds: float, *, times: int = 1, match: str | None = None) -> None:
        """Wait ``seconds`` before handling the request."""
        self._queue.append(Fault("slow", times, match, seconds=seconds))

    def drop_after_commit(self, *, times: int = 1, match: str | None = None) -> None:
        """Carry the request out, then close the connection without answering."""
        self._queue.append(Fault("drop", times, match))

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def take(self, kind: str, request: str) -> Fault | None:
        with self._lock:
            for fault in self._queue:
                if fault.kind == kind and (fault.match is None or request.startswith(fault.match)):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._queue.remove(fault)
                    return fault
        return None
