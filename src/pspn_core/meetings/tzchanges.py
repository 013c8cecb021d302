"""A zone's clock changes, read from zoneinfo itself.

:func:`clock_changes` finds every change of UTC offset or abbreviation in whole
years by asking zoneinfo once a week and bisecting to the second. No zone changes
its clocks twice within a week; were one to, the check of every exported instant
in :mod:`pspn_core.meetings.vtimezone` would catch it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

__all__ = ["ClockChange", "clock_changes", "window"]

_DAY = timedelta(days=1)
_STEP = timedelta(weeks=1)


@dataclass(frozen=True)
class ClockChange:
    """At ``utc`` the zone's offset goes from ``before`` to ``after``, named ``name``."""

    utc: datetime
    before: timedelta
    after: timedelta
    name: str
    dst: bool

    @property
    def local(self) -> datetime:
        """The naive wall-clock time the change happens at, in the offset before it."""
        return self.utc.replace(tzinfo=None) + self.before

    @property
    def kind(self) -> tuple[timedelta, timedelta, str, bool]:
        return self.before, self.after, self.name, self.dst


def window(first_year: int, last_year: int) -> tuple[datetime, datetime]:
    """The UTC instants the years' changes are looked for in: the years, and a day more."""
    begins = datetime(first_year, 1, 1, tzinfo=UTC)
    ends = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    return begins - _DAY, ends + _DAY


@functools.cache
def clock_changes(key: str, first_year: int, last_year: int) -> tuple[ClockChange, ...]:
    """Every change of offset or name in zone ``key`` in :func:`window`."""
    zone = ZoneInfo(key)
    moment, stop = window(first_year, last_year)
    found: list[ClockChange] = []
    state = _state(moment, zone)
    while moment < stop:
        following = moment + _STEP
        if _state(following, zone) != state:
            change = _bisect(moment, following, zone)
            found.append(change)
            following = change.utc
        state, moment = _state(following, zone), following
    return tuple(found)


def _state(moment: datetime, zone: ZoneInfo) -> tuple[timedelta | None, str | None]:
    local = moment.astimezone(zone)
    return local.utcoffset(), local.tzname()


def _bisect(low: datetime, high: datetime, zone: ZoneInfo) -> ClockChange:
    """The first second in (low, high] whose state differs from ``low``'s."""
    before = _state(low, zone)
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        middle = middle.replace(microsecond=0)
        if _state(middle, zone) == before:
            low = middle
        else:
            high = middle
    local = high.astimezone(zone)
    return ClockChange(
        high,
        before[0] or timedelta(0),
        local.utcoffset() or timedelta(0),
        local.tzname() or "",
        bool(local.dst()),
    )
