"""What the fake servers share about requests: the record of each, and planned faults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Fault", "Recorded", "count_matching", "take_fault"]


@dataclass
class Recorded:
    """One request a fake received (never its credentials)."""

    method: str
    path: str
    query: dict[str, str]
    status: int | None = None  # None: the connection was dropped


@dataclass
class Fault:
    """A planned misbehaviour for the next matching request(s).

    ``kind`` is ``"status"`` (answer ``status``, with ``Retry-After`` when set),
    ``"slow"`` (wait ``seconds`` first) or ``"drop"`` (close the connection after
    the request took effect); each fake says which kinds it plays.
    """

    kind: str
    times: int = 1
    method: str | None = None
    path: str | None = None  # a substring of the path
    status: int = 503
    retry_after: int | None = None
    wait_seconds: int | None = None  # Discourse's own extras.wait_seconds
    seconds: float = 0.0
    skip: int = 0  # let this many matching requests through first

    def matches(self, method: str, path: str) -> bool:
        return self.method in (None, method) and (self.path is None or self.path in path)


def take_fault(faults: list[Fault], method: str, path: str) -> Fault | None:
    """The first fault planned for this request, used once (after letting its skips through)."""
    for fault in faults:
        if not fault.matches(method, path):
            continue
        if fault.skip > 0:
            fault.skip -= 1
            continue
        fault.times -= 1
        if fault.times <= 0:
            faults.remove(fault)
        return fault
    return None


def count_matching(
    requests: Iterable[Recorded], method: str | None = None, path: str | None = None
) -> int:
    """How many of ``requests`` match (``path`` is a substring)."""
    wanted = Fault("count", method=method, path=path)
    return sum(1 for r in requests if wanted.matches(r.method, r.path))
