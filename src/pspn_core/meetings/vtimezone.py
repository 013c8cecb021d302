"""Rule-based VTIMEZONE components, as Outlook wants them.

``icalendar`` builds a VTIMEZONE from zoneinfo as a list of every past clock
change (RDATE form), which Outlook ignores. The tz database also states each
zone's current rule as a POSIX TZ string, the last line of its TZif file, e.g.
``GMT0BST,M3.5.0/1,M10.5.0`` for Europe/London: we turn that into one STANDARD
and one DAYLIGHT component with a yearly RRULE. The rule only describes the
present, so :func:`rule_fits` checks it against zoneinfo for every time it must
cover; callers fall back to icalendar's RDATE form when it does not fit (zones
whose rules cannot be written this way, or times before the rule began).
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

__all__ = ["PosixRule", "posix_rule", "rule_fits", "rule_timezone"]

_NAME = r"(?:[A-Za-z]{3,}|<[^>]+>)"
_OFFSET = r"[+-]?\d{1,2}(?::\d{2}){0,2}"
_CHANGE = r"M(\d{1,2})\.(\d)\.(\d)(?:/(" + _OFFSET + r"))?"
_POSIX = re.compile(rf"({_NAME})({_OFFSET})(?:({_NAME})({_OFFSET})?,{_CHANGE},{_CHANGE})?")
_ICAL_DAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")


@dataclass(frozen=True)
class _Change:
    """A clock change on the ``week``-th ``weekday`` (0 Sunday) of ``month``, 5 = last."""

    month: int
    week: int
    weekday: int
    at: timedelta  # local time before the change, after midnight

    def local(self, year: int) -> datetime:
        first = date(year, self.month, 1)
        day = first + timedelta(days=(self.weekday - (first.weekday() + 1) % 7) % 7)
        day += timedelta(weeks=self.week - 1)
        while day.month != self.month:  # week 5 means the last one
            day -= timedelta(weeks=1)
        return datetime.combine(day, datetime.min.time()) + self.at


@dataclass(frozen=True)
class PosixRule:
    """A zone's current rule: standard time, and summer time if it has one."""

    std_name: str
    std_offset: timedelta
    dst_name: str | None = None
    dst_offset: timedelta = timedelta(0)
    dst_start: _Change | None = None
    dst_end: _Change | None = None

    def utcoffset(self, instant: datetime) -> timedelta:
        """The UTC offset this rule gives at an aware ``instant``."""
        if self.dst_start is None or self.dst_end is None:
            return self.std_offset
        naive_utc = instant.astimezone(UTC).replace(tzinfo=None)
        year = (naive_utc + self.std_offset).year
        begins = self.dst_start.local(year) - self.std_offset
        ends = self.dst_end.local(year) - self.dst_offset
        in_dst = (begins <= naive_utc < ends) if begins < ends else not ends <= naive_utc < begins
        return self.dst_offset if in_dst else self.std_offset


def _seconds(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    parts = [int(part) for part in text.lstrip("+-").split(":")] + [0, 0]
    return sign * timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])


def _change(month: str, week: str, weekday: str, at: str | None) -> _Change | None:
    time_of_day = _seconds(at) if at else timedelta(hours=2)
    if not timedelta(0) <= time_of_day < timedelta(days=1):
        return None  # e.g. "/24" or "/-1": not expressible as a DTSTART on that weekday
    return _Change(int(month), int(week), int(weekday), time_of_day)


@functools.cache
def posix_rule(key: str) -> PosixRule | None:
    """The current rule of zone ``key``, or ``None`` if it cannot be read or written as RRULEs."""
    match = _POSIX.fullmatch(_footer(key))
    if match is None:
        return None
    std, std_off, dst, dst_off = (match.group(i) for i in range(1, 5))
    std_offset = -_seconds(std_off)  # POSIX counts hours west of Greenwich
    if dst is None:
        return PosixRule(std.strip("<>"), std_offset)
    start, end = _change(*match.group(5, 6, 7, 8)), _change(*match.group(9, 10, 11, 12))
    if start is None or end is None:
        return None
    dst_offset = -_seconds(dst_off) if dst_off else std_offset + timedelta(hours=1)
    return PosixRule(std.strip("<>"), std_offset, dst.strip("<>"), dst_offset, start, end)


def _footer(key: str) -> str:
    """The last line of the zone's TZif file, read where zoneinfo reads it."""
    if key.startswith("/") or ".." in key.split("/"):
        return ""
    for root in zoneinfo.TZPATH:
        path = Path(root, key)
        if path.is_file():
            return path.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
    try:
        resource = importlib.resources.files("tzdata").joinpath("zoneinfo", *key.split("/"))
        return resource.read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
    except (ModuleNotFoundError, OSError, UnicodeDecodeError):
        return ""


def rule_fits(rule: PosixRule, instants: Iterable[datetime]) -> bool:
    """Whether ``rule`` gives every aware instant the offset it really has."""
    return all(rule.utcoffset(instant) == instant.utcoffset() for instant in instants)


def rule_timezone(key: str, rule: PosixRule) -> Timezone:
    """A VTIMEZONE for ``key`` with one yearly RRULE per kind of time."""
    zone = Timezone()
    zone.add("TZID", key)
    if rule.dst_start is None or rule.dst_end is None or rule.dst_name is None:
        standard = TimezoneStandard()
        standard.add("DTSTART", datetime(1970, 1, 1))
        standard.add("TZOFFSETFROM", rule.std_offset)
        standard.add("TZOFFSETTO", rule.std_offset)
        standard.add("TZNAME", rule.std_name)
        zone.add_component(standard)
        return zone
    periods = [
        (rule.dst_name, rule.std_offset, rule.dst_offset, rule.dst_start),
        (rule.std_name, rule.dst_offset, rule.std_offset, rule.dst_end),
    ]
    for name, offset_from, offset_to, change in periods:
        # The component with the larger offset is summer time, even where the tz
        # database calls winter the "daylight" part (Europe/Dublin).
        part = TimezoneDaylight() if offset_to > offset_from else TimezoneStandard()
        part.add("DTSTART", change.local(1970))
        part.add("TZOFFSETFROM", offset_from)
        part.add("TZOFFSETTO", offset_to)
        part.add("TZNAME", name)
        week = -1 if change.week == 5 else change.week
        byday = f"{week}{_ICAL_DAYS[change.weekday]}"
        part.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": change.month, "BYDAY": byday})
        zone.add_component(part)
    return zone
