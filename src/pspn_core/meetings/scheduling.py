"""When meetings fall: a network's rules turned into dated, timed meetings.

Pure functions, no I/O. The rules give candidate dates from ``starts_on`` on (the
nth or last weekday of each month, or every ``interval`` weeks). A candidate on
an excluded date (a bank holiday in England as the official list names it, an
excluded month, a listed date, or a date a plugin excludes) is skipped, or with
``on_clash = "next_week"`` held a week later unless that date is excluded or is
itself a candidate. Only meetings that are held take a slot, so with
``alternate`` the slot of a date depends on the rules alone, never on the window
asked for.

Times are wall-clock times in the network's zone: an 18:30 meeting is 18:30 in
London in January and in July. The end is ``duration_minutes`` of elapsed time
later. A slot time that a clock change skips or repeats on a meeting date is
refused, since nobody could say when that meeting starts; one error names every
such date in the window.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

from pspn_core.errors import ConfigError, InputError
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus, Slot
from pspn_core.meetings.rota import ChairRecord, Volunteer, assign_chairs

__all__ = [
    "Occurrence",
    "bank_holiday_exclusions",
    "bank_holidays",
    "meeting_uid",
    "occurrences",
    "plan_meetings",
]


@dataclass(frozen=True)
class Occurrence:
    """A meeting the rules produce: scheduled for ``original_date``, held on ``date``."""

    original_date: date
    date: date
    slot: Slot
    start: datetime
    end: datetime


@functools.cache
def bank_holidays(year: int, *, nominal_weekend_days: bool = False) -> frozenset[date]:
    """Bank holidays in England in ``year``, as the official list names them (cached).

    ``holidays`` lists a holiday that falls at a weekend on its own date and adds
    the weekday substitute as "<name> (observed)"; the official list names only
    the substitute, and every day on it is a weekday. With ``nominal_weekend_days``
    the weekend date is kept too.
    """
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in days if nominal_weekend_days or day.weekday() < 5)


def bank_holiday_exclusions(rules: MeetingRules, start: date, end: date) -> set[date]:
    """The bank holidays in England from ``start`` to ``end`` that ``rules`` skip.

    pspn's meetings plugin offers these through the ``pspn_meeting_exclusions``
    hook, as any plugin would offer its own dates; none if the rules keep them.
    """
    if not rules.exclude.bank_holidays:
        return set()
    weekend_too = rules.exclude.nominal_weekend_days
    return {
        day
        for year in range(start.year, end.year + 1)
        for day in bank_holidays(year, nominal_weekend_days=weekend_too)
        if start <= day <= end
    }


def meeting_uid(network_slug: str, original_date: date) -> str:
    """The calendar UID of a network's meeting: ``pspn-<slug>-<yyyymmdd>@pspn``.

    It depends only on the network and the date the rules first gave, so it
    survives re-planning, moves and cancellations.
    """
    if not network_slug:
        raise InputError("a meeting UID needs the network's slug; none was given")
    day = original_date
    return f"pspn-{network_slug}-{day.year:04d}{day.month:02d}{day.day:02d}@pspn"


def occurrences(
    rules: MeetingRules,
    start: date,
    end: date,
    *,
    extra_exclusions: Collection[date] = (),
) -> list[Occurrence]:
    """The meetings the rules hold on dates from ``start`` to ``end`` inclusive.

    :param extra_exclusions: further dates to skip, e.g. from the exclusions hook.
    :raises ConfigError: a slot's time does not exist, or exists twice, on a meeting date.
    """
    if end < start:
        raise InputError(f"the planning window ends ({end}) before it starts ({start})")
    zone, length = rules.zone, timedelta(minutes=rules.duration_minutes)
    found: list[Occurrence] = []
    impossible: list[str] = []
    for original, day, slot in _held(rules, end, set(extra_exclusions)):
        if day < start:
            continue
        begins = datetime.combine(day, slot.start, tzinfo=zone)
        problem = _clock_change(begins)
        if problem:
            impossible.append(f"{slot.start:%H:%M} {problem} on {day}")
            continue
        ends = (begins.astimezone(UTC) + length).astimezone(zone)
        found.append(Occurrence(original, day, slot, begins, ends))
    if impossible:
        raise ConfigError(_clock_change_message(impossible, zone))
    return found


def _held(rules: MeetingRules, end: date, extra: set[date]) -> Iterator[tuple[date, date, Slot]]:
    """``(original date, date held, slot)`` of each meeting held up to ``end``, from
    ``starts_on``: slots are counted from there, whatever window is asked for."""
    excluded = _exclusion_test(rules, extra)
    candidates = list(_rule_dates(rules, end))
    candidate_set = set(candidates)
    held = 0
    for original in candidates:
        day = original
        if excluded(day):
            later = day + timedelta(weeks=1)
            if rules.on_clash == "skip" or excluded(later) or later in candidate_set:
                continue
            day = later
        slot = rules.slots[held % len(rules.slots)]
        held += 1
        if day <= end:
            yield original, day, slot


def _rule_dates(rules: MeetingRules, until: date) -> Iterator[date]:
    """Candidate dates from ``starts_on`` to ``until``, before any exclusion."""
    weekday = rules.weekday_number
    if rules.frequency == "weekly":
        day = rules.starts_on + timedelta(days=(weekday - rules.starts_on.weekday()) % 7)
        while day <= until:
            yield day
            day += timedelta(weeks=rules.interval)
        return
    year, month = rules.starts_on.year, rules.starts_on.month
    while date(year, month, 1) <= until:
        day = _weekday_of_month(year, month, weekday, rules.week_of_month or 1)
        if rules.starts_on <= day <= until:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _weekday_of_month(year: int, month: int, weekday: int, week: int) -> date:
    if week > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _exclusion_test(rules: MeetingRules, extra: set[date]) -> Callable[[date], bool]:
    listed = extra | set(rules.exclude.dates)
    months = frozenset(rules.exclude.months)

    def excluded(day: date) -> bool:
        return day in listed or day.month in months

    return excluded


def _clock_change(local: datetime) -> str:
    """What is wrong with a local time inside a clock change, or "" if nothing is."""
    # Inside a clock change (a gap or a repeat) the two folds give different offsets.
    if local.utcoffset() == local.replace(fold=1).utcoffset():
        return ""
    exists = local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None)
    return "happens twice" if exists == local.replace(tzinfo=None) else "does not exist"


def _clock_change_message(impossible: Sequence[str], zone: ZoneInfo) -> str:
    return (
        f"meetings: in {zone.key} the clocks change at these slot times, so nobody could "
        f"say when the meeting starts: {'; '.join(impossible)}. Choose slot times outside "
        "the clock changes, or exclude those dates"
    )


def plan_meetings(
    network: str,
    rules: MeetingRules,
    existing: Sequence[Meeting],
    start: date,
    end: date,
    *,
    volunteers: Collection[Volunteer],
    history: Collection[ChairRecord],
    extra_exclusions: Collection[date] = (),
) -> list[Meeting]:
    """Every meeting of the network after planning ``start`` to ``end``, by start time.

    Existing meetings are kept exactly as they are (uid, chair, status, sequence,
    agenda), cancelled ones included, so planning again changes nothing. Meetings
    the rules add get a chair from the rota, which continues from ``history`` and
    from the chairs of existing meetings that were not cancelled.
    """
    known = {meeting.uid for meeting in existing}
    found = occurrences(rules, start, end, extra_exclusions=extra_exclusions)
    uids = [meeting_uid(network, occurrence.original_date) for occurrence in found]
    fresh = [(uid, o) for uid, o in zip(uids, found, strict=True) if uid not in known]
    chairs = assign_chairs(
        [(occurrence.date, occurrence.slot.name) for _, occurrence in fresh],
        volunteers,
        _chair_history(existing, history),
    )
    # Built from validated rules and aware times, so validation is skipped for speed.
    added = [
        Meeting.model_construct(
            uid=uid,
            network=network,
            original_date=occurrence.original_date,
            start=occurrence.start,
            end=occurrence.end,
            slot=occurrence.slot.name,
            chair=chair,
            status=MeetingStatus.PLANNED,
            sequence=0,
            agenda=(),
            cancel_reason="",
        )
        for (uid, occurrence), chair in zip(fresh, chairs, strict=True)
    ]
    return sorted([*existing, *added], key=lambda meeting: (meeting.start, meeting.uid))


def _chair_history(
    existing: Sequence[Meeting], history: Collection[ChairRecord]
) -> list[ChairRecord]:
    """Stored history plus existing meetings' chairs, each chaired meeting counted once."""
    chaired = [m for m in existing if m.chair and m.status is not MeetingStatus.CANCELLED]
    same = {(m.chair, day) for m in chaired for day in (m.original_date, m.start.date())}
    records = [record for record in history if (record.name, record.date) not in same]
    records.extend(ChairRecord(m.chair, m.start.date()) for m in chaired if m.chair)
    return records
