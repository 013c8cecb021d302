"""The yearly rules behind a zone's clock changes, read from zoneinfo itself.

Pure functions. :func:`yearly_rules` takes the zone's changes from
:func:`~pspn_core.meetings.tzchanges.clock_changes`, groups them by month, local time,
offsets and name, and finds for each group the runs of consecutive years that
one yearly rule generates exactly: a fixed day (``BYMONTHDAY=1``), the nth or last weekday
(``BYDAY=2SU``, ``BYDAY=-1SU``), or a weekday within seven days
(``BYDAY=FR;BYMONTHDAY=23,...,29``, Israel's "Friday before the last Sunday").
Changes no rule covers are left as single dates (RDATE). The local time is the
wall-clock time before the change, as a VTIMEZONE's DTSTART is.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from pspn_core.meetings.tzchanges import ClockChange, clock_changes, window

__all__ = ["Onsets", "YearlyRule", "yearly_rules"]


@dataclass(frozen=True)
class YearlyRule:
    """A day of ``month`` each year, with RRULE semantics: BYDAY (nth, -1 last) and BYMONTHDAY."""

    month: int
    weekday: int | None = None  # Monday is 0
    week: int | None = None  # 1 to 5, -1 for the last; None for any
    monthdays: tuple[int, ...] = ()

    def day(self, year: int) -> date | None:
        """The one day the rule gives in ``year``, or ``None`` if it gives none or several."""
        days = [date(year, self.month, d) for d in range(1, _length(year, self.month) + 1)]
        if self.weekday is not None:
            days = [day for day in days if day.weekday() == self.weekday]
            if self.week is not None:
                days = days[self.week - 1 : self.week] if self.week > 0 else days[-1:]
        if self.monthdays:
            days = [day for day in days if day.day in self.monthdays]
        return days[0] if len(days) == 1 else None

    def rrule(self) -> dict[str, object]:
        """The RRULE parts, for icalendar's ``vRecur``."""
        parts: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": self.month}
        if self.weekday is not None:
            code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[self.weekday]
            parts["BYDAY"] = f"{self.week or ''}{code}"
        if self.monthdays:
            parts["BYMONTHDAY"] = list(self.monthdays)
        return parts


@dataclass(frozen=True)
class Onsets:
    """One STANDARD or DAYLIGHT component: ``first``, then ``rule`` each year to ``until``
    (UTC; ``None`` for no end), or the ``listed`` dates (RDATE) when there is no rule."""

    first: ClockChange
    rule: YearlyRule | None = None
    until: datetime | None = None
    listed: tuple[ClockChange, ...] = ()

    def times(self, last_year: int) -> list[datetime]:
        """Every UTC instant the component starts at, up to January after ``last_year``."""
        first, rule = self.first, self.rule
        times = [first.utc, *(change.utc for change in self.listed)]
        if rule is None:
            return times
        for year in range(first.local.year + 1, last_year + 2):
            day = rule.day(year)
            if day is None:
                continue
            moment = (datetime.combine(day, first.local.time()) - first.before).replace(tzinfo=UTC)
            if self.until is None or moment <= self.until:
                times.append(moment)
        return times


def _length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


@functools.cache
def yearly_rules(key: str, first_year: int, last_year: int) -> tuple[Onsets, ...]:
    """The zone's changes over the years as components, rules where they fit, by onset.

    The first component starts before the years do, so that a reader knows the
    offset at their start without guessing (RFC 5545 does not say).
    """
    changes = clock_changes(key, first_year, last_year)
    found: list[Onsets] = []
    leftover: list[ClockChange] = []
    ordered = sorted(changes, key=lambda change: (_group_key(change), change.utc))
    for _, members in groupby(ordered, key=_group_key):
        runs, single = _runs(list(members), first_year, last_year)
        found.extend(runs)
        leftover.extend(single)
    found.extend(_listed(leftover))
    opening = _opening(key, found, first_year, last_year)
    return tuple(sorted([*opening, *found], key=lambda onsets: onsets.first.utc))


def _runs(
    group: Sequence[ClockChange], first_year: int, last_year: int
) -> tuple[list[Onsets], list[ClockChange]]:
    """Yearly runs in one group of alike changes, and the changes no run covers."""
    runs: list[Onsets] = []
    single: list[ClockChange] = []
    start = 0
    while start < len(group):
        end, rule = _longest_run(group, start)
        touches_end = group[end - 1].local.year >= last_year
        # One change is no evidence of a rule, unless one year is all there is.
        if rule is None or (end - start < 2 and first_year < last_year):
            single.append(group[start])
            end = start + 1
        else:
            until = None if touches_end else _until(group[end - 1])
            runs.append(Onsets(_year_before(group[start], rule, first_year), rule, until))
        start = end
    return runs, single


def _until(last: ClockChange) -> datetime:
    """UNTIL for a run ending at ``last``: its UTC time, or its local time read as UTC if
    later, as dateutil reads it (a year before the next onset, so both readings agree)."""
    return last.utc + max(last.before, timedelta(0))


def _year_before(change: ClockChange, rule: YearlyRule, first_year: int) -> ClockChange:
    """A run that starts in the first year starts a year earlier, where its rule allows."""
    day = rule.day(change.local.year - 1) if change.local.year == first_year else None
    if day is None:
        return change
    local = datetime.combine(day, change.local.time())
    return replace(change, utc=(local - change.before).replace(tzinfo=UTC))


def _opening(key: str, found: Sequence[Onsets], first_year: int, last_year: int) -> list[Onsets]:
    """A component for the offset at the start, unless an earlier onset already gives it."""
    begins = window(first_year, last_year)[0]
    earlier = sorted(
        (moment, onsets.first.after)
        for onsets in found
        for moment in onsets.times(last_year)
        if moment < begins
    )
    local = begins.astimezone(ZoneInfo(key))
    offset = local.utcoffset() or timedelta(0)
    if earlier and earlier[-1][1] == offset:
        return []
    change = ClockChange(
        begins - timedelta(days=1), offset, offset, local.tzname() or "", bool(local.dst())
    )
    return [Onsets(change)]


def _group_key(change: ClockChange) -> tuple[object, ...]:
    local = change.local
    return local.month, local.time(), change.kind


def _longest_run(group: Sequence[ClockChange], start: int) -> tuple[int, YearlyRule | None]:
    """The end of the longest run of consecutive years from ``start`` that one rule fits."""
    end, rule = start + 1, _rule_for([group[start].local.date()])
    while end < len(group) and group[end].local.year == group[end - 1].local.year + 1:
        wider = _rule_for([change.local.date() for change in group[start : end + 1]])
        if wider is None:
            break
        end, rule = end + 1, wider
    return end, rule


def _rule_for(days: Sequence[date]) -> YearlyRule | None:
    """The first candidate rule that gives exactly ``days`` in their years."""
    for rule in _candidates(days):
        if all(rule.day(day.year) == day for day in days):
            return rule
    return None


def _candidates(days: Sequence[date]) -> list[YearlyRule]:
    first, weekday = days[0], days[0].weekday()
    low = max(1, max(day.day for day in days) - 6)
    return [
        YearlyRule(first.month, weekday, -1),
        YearlyRule(first.month, weekday, (first.day - 1) // 7 + 1),
        YearlyRule(first.month, monthdays=(first.day,)),
        YearlyRule(first.month, weekday, None, tuple(range(low, low + 7))),
    ]


def _listed(changes: list[ClockChange]) -> list[Onsets]:
    """Changes no rule covers, one component (DTSTART, then RDATEs) per kind of change."""
    ordered = sorted(changes, key=lambda change: (change.kind, change.utc))
    return [
        Onsets(first, listed=tuple(rest))
        for _, same in groupby(ordered, key=lambda change: change.kind)
        for first, *rest in [list(same)]
    ]
