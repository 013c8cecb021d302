"""Rule-based VTIMEZONE components, as Outlook and Thunderbird want them.

``icalendar`` builds a VTIMEZONE from zoneinfo as a list of dates (RDATE form):
Outlook ignores it and Thunderbird's ical.js reads only the first date of each
RDATE. So we write yearly RRULEs, found in the zone's real clock changes over
the years exported (:mod:`pspn_core.meetings.tzrules`), with several components and an
UNTIL where a zone's rule changes within them. Only changes no yearly rule fits
(Morocco's Ramadan changes, a year whose change slips into the next month) are
written as dates. Before it is used, :func:`zone_timezone` checks that the
components give every exported instant the offset zoneinfo gives it, and falls
back to icalendar's RDATE form if they ever do not.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from pspn_core.meetings.tzchanges import ClockChange, clock_changes, window
from pspn_core.meetings.tzrules import Onsets, yearly_rules

__all__ = ["zone_timezone"]


def zone_timezone(key: str, instants: Sequence[datetime]) -> Timezone:
    """A VTIMEZONE for zone ``key`` that is right for every aware instant given."""
    first, last = min(instants).year, max(instants).year
    parts = yearly_rules(key, first, last)
    if _fits(parts, clock_changes(key, first, last), (first, last), instants):
        return _timezone(key, parts)
    return Timezone.from_tzid(key, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1))


def _fits(
    parts: Sequence[Onsets],
    changes: Sequence[ClockChange],
    years: tuple[int, int],
    instants: Sequence[datetime],
) -> bool:
    """Whether the components give exactly the real changes, and every instant its offset."""
    begins, ends = window(*years)
    onsets = sorted((moment, part.first.after) for part in parts for moment in part.times(years[1]))
    inside = [onset for onset in onsets if begins <= onset[0] < ends]
    if inside != [(change.utc, change.after) for change in changes]:
        return False
    moments = [moment for moment, _ in onsets]
    for instant in instants:
        index = bisect.bisect_right(moments, instant)
        if not index or onsets[index - 1][1] != instant.utcoffset():
            return False
    return True


def _timezone(key: str, parts: Sequence[Onsets]) -> Timezone:
    zone = Timezone()
    zone.add("TZID", key)
    for onsets in parts:
        zone.add_component(_component(onsets))
    return zone


def _component(onsets: Onsets) -> TimezoneStandard | TimezoneDaylight:
    first = onsets.first
    summer = first.after > first.before or (first.after == first.before and first.dst)
    # The component with the larger offset is summer time, even where the tz
    # database calls winter the "daylight" part (Europe/Dublin).
    part = TimezoneDaylight() if summer else TimezoneStandard()
    _describe(part, first.local, first.before, first.after, first.name)
    if onsets.rule is not None:
        rule = onsets.rule.rrule()
        if onsets.until is not None:
            rule["UNTIL"] = onsets.until
        part.add("RRULE", rule)
    for change in onsets.listed:  # one value per RDATE: ical.js reads only the first
        part.add("RDATE", change.local)
    return part


def _describe(
    part: TimezoneStandard | TimezoneDaylight,
    start: datetime,
    offset_from: timedelta,
    offset_to: timedelta,
    name: str,
) -> None:
    part.add("DTSTART", start)
    part.add("TZOFFSETFROM", offset_from)
    part.add("TZOFFSETTO", offset_to)
    part.add("TZNAME", name)
