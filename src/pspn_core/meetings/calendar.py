"""Meetings as an iCalendar file that Outlook, Google, Apple and Thunderbird import.

One VEVENT per meeting, never a recurring series (no recurrence can say "every
other slot" or carry a different chair per meeting). Each has the meeting's
stable UID, so a client updates rather than duplicates it; SEQUENCE grows with
every change and a cancellation is ``STATUS:CANCELLED``. Times carry
``TZID=<zone>`` with one rule-based VTIMEZONE per zone (see
:mod:`pspn_core.meetings.vtimezone`). ``ics`` 0.7 writes bare UTC times and no DTSTAMP,
hence ``icalendar``: it builds the calendar and its zones, and escapes and folds
every text line. The VEVENTs are put together line by line rather than as
``icalendar.Event`` objects, which cost 200 µs each (6 s for 100 networks over
ten years); the tests read every field back with icalendar to keep this honest.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vText
from icalendar.parser import Contentline

from pspn_core import __version__
from pspn_core.errors import InputError
from pspn_core.meetings.model import Meeting, MeetingStatus
from pspn_core.meetings.vtimezone import zone_timezone

__all__ = ["meetings_to_ics"]


def meetings_to_ics(
    meetings: Sequence[Meeting],
    *,
    calendar_name: str,
    dtstamp: datetime | None = None,
    location: str = "",
    url: str = "",
    join_urls: Mapping[str, str] | None = None,
) -> bytes:
    """The meetings as an ``.ics`` file (UTF-8, CRLF line ends, folded lines).

    :param calendar_name: the calendar's name, also the start of each SUMMARY.
    :param dtstamp: when the file was made (aware); now if not given.
    :param location: where the meetings are (the rules' ``location``).
    :param url: the meeting link (the rules' ``url``); used as LOCATION when there is none.
    :param join_urls: each meeting's own joining link by UID (from its meeting
        platform); where given, it is that meeting's URL instead of ``url``.
    """
    stamp = (dtstamp or datetime.now(UTC)).astimezone(UTC)
    calendar = Calendar()
    calendar.add("PRODID", f"-//pspn//pspn {__version__}//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", calendar_name)
    calendar.add("X-WR-CALNAME", calendar_name)
    for zone in _zones(meetings):
        calendar.add_component(zone)
    head: bytes = calendar.to_ical()
    place = _text("LOCATION", location or url) if location or url else b""
    place += _text("URL", url) if url else b""
    stamp_line = f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}\r\n".encode()
    links = join_urls or {}

    def place_of(meeting: Meeting) -> bytes:
        link = links.get(meeting.uid)
        if not link:
            return place
        return _text("LOCATION", f"{location} ({link})" if location else link) + _text("URL", link)

    events = b"".join(
        _event(meeting, calendar_name, stamp_line, place_of(meeting)) for meeting in meetings
    )
    return head.removesuffix(_END) + events + _END


_END = b"END:VCALENDAR\r\n"


def _event(meeting: Meeting, name: str, stamp_line: bytes, place: bytes) -> bytes:
    cancelled = meeting.status is MeetingStatus.CANCELLED
    return b"".join(
        (
            b"BEGIN:VEVENT\r\n",
            _text("UID", meeting.uid),
            stamp_line,
            f"SEQUENCE:{meeting.sequence}\r\n".encode(),
            b"STATUS:CANCELLED\r\n" if cancelled else b"STATUS:CONFIRMED\r\n",
            _text("SUMMARY", f"{'Cancelled: ' if cancelled else ''}{name} ({meeting.slot})"),
            _text("DESCRIPTION", _description(meeting)),
            _times(meeting.start, meeting.end),
            place,
            b"END:VEVENT\r\n",
        )
    )


def _times(start: datetime, end: datetime) -> bytes:
    """DTSTART and DTEND with ``TZID=<zone>``, or both in UTC if either is ambiguous.

    In the hour the clocks go back a local time names two instants, and readers
    disagree on which is meant (RFC 5545 3.3.5 says the first; ical.js may take
    the second). UTC names one instant in every reader; writing both ends so keeps
    readers that add the length to DTSTART in wall-clock time (recurring-ical-events)
    right too.
    """
    if _ambiguous(start) or _ambiguous(end):
        return f"DTSTART:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n".encode() + (
            f"DTEND:{end.astimezone(UTC):%Y%m%dT%H%M%SZ}\r\n".encode()
        )
    return _time("DTSTART", start) + _time("DTEND", end)


def _ambiguous(when: datetime) -> bool:
    return when.replace(fold=1 - when.fold).utcoffset() != when.utcoffset()


def _time(name: str, when: datetime) -> bytes:
    key = when.tzinfo.key  # type: ignore[union-attr]  # a ZoneInfo, checked in _zones
    return _fold(
        f"{name};TZID={key}:{when.year:04d}{when.month:02d}{when.day:02d}T"
        f"{when.hour:02d}{when.minute:02d}{when.second:02d}"
    )


def _text(name: str, value: str) -> bytes:
    """``NAME:value`` with the value escaped as iCalendar TEXT, folded."""
    if value.isascii() and value.isprintable() and not _ESCAPED.intersection(value):
        return _fold(f"{name}:{value}")  # icalendar's escaping would change nothing
    return _fold(f"{name}:{vText(value).to_ical().decode()}")


_ESCAPED = frozenset(",;\\")


def _fold(line: str) -> bytes:
    """The content line with its CRLF, folded at 75 octets by icalendar."""
    encoded = line.encode()
    return encoded + b"\r\n" if len(encoded) <= 75 else _folded(line)


@functools.lru_cache(maxsize=1024)
def _folded(line: str) -> bytes:
    folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]
    return folded + b"\r\n"


def _description(meeting: Meeting) -> str:
    lines = []
    if meeting.status is MeetingStatus.CANCELLED:
        lines.append(f"Cancelled{': ' + meeting.cancel_reason if meeting.cancel_reason else '.'}")
    lines.append(f"Chair: {meeting.chair or 'to be confirmed'}")
    if meeting.agenda:
        lines.append("Agenda:")
        lines.extend(f"{number}. {topic}" for number, topic in enumerate(meeting.agenda, 1))
    return "\n".join(lines)


def _zones(meetings: Sequence[Meeting]) -> list[Timezone]:
    """One VTIMEZONE per zone the meetings use, rule-based where the rule fits."""
    by_zone: dict[str, list[datetime]] = {}
    for meeting in meetings:
        for instant in (meeting.start, meeting.end):
            if not isinstance(instant.tzinfo, ZoneInfo) or instant.tzinfo.key is None:
                raise InputError(
                    f"meeting {meeting.uid} has a time without a named zone ({instant}): "
                    "convert it with Meeting.in_zone(<the network's timezone>) first"
                )
            by_zone.setdefault(instant.tzinfo.key, []).append(instant)
    return [zone_timezone(key, instants) for key, instants in sorted(by_zone.items())]
