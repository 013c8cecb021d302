"""The ICS output, read back with an independent reader (icalendar + recurring-ical-events)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from pspn_core.errors import InputError
from pspn_core.meetings.calendar import meetings_to_ics
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus
from pspn_core.meetings.rota import Volunteer
from pspn_core.meetings.scheduling import plan_meetings
from pspn_core.meetings.vtimezone import posix_rule, rule_timezone

STAMP = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
LAST_TUESDAY: dict[str, Any] = {
    "frequency": "monthly",
    "week_of_month": -1,
    "weekday": "tuesday",
    "slots": [{"name": "daytime", "start": "12:30"}, {"name": "evening", "start": "18:30"}],
    "starts_on": "2027-09-01",
    "duration_minutes": 60,
    "exclude": {"bank_holidays": True, "months": ["august"]},
    "on_clash": "next_week",
    "url": "https://meet.example.org/pspn",
}
VOLUNTEERS = [Volunteer("Alex Example", frozenset({"daytime", "evening"}))]


def plan(
    rules: dict[str, Any], start: date, end: date, zone: str = "Europe/London"
) -> list[Meeting]:
    parsed = MeetingRules.model_validate({**rules, "timezone": zone})
    return plan_meetings("pspn", parsed, [], start, end, volunteers=VOLUNTEERS, history=[])


def read(ics: bytes, start: date = date(2000, 1, 1), end: date = date(2040, 1, 1)) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted(events, key=lambda event: event["DTSTART"].dt)


def utc_times(events: list[Any]) -> list[tuple[datetime, datetime]]:
    return [(e["DTSTART"].dt.astimezone(UTC), e["DTEND"].dt.astimezone(UTC)) for e in events]


# Last Tuesdays from September 2027: both clock changes (31 Oct 2027, 26 Mar 2028),
# and Tuesday 28 December 2027, the Boxing Day substitute, moved to 4 January 2028.
BY_HAND = [
    "2027-09-28 11:30",  # daytime, BST
    "2027-10-26 17:30",  # evening, BST (clocks go back on the 31st)
    "2027-11-30 12:30",  # daytime, GMT
    "2028-01-04 18:30",  # evening, moved from 28 December
    "2028-01-25 12:30",
    "2028-02-29 18:30",  # leap day
    "2028-03-28 11:30",  # daytime, BST from 26 March
    "2028-04-25 17:30",
]


@pytest.mark.parametrize("tzid", ["Europe/London", "Custom/Rules-Only"])
def test_every_meeting_reads_back_at_the_right_utc_times(tzid: str) -> None:
    # Renaming the zone makes the reader rely on our VTIMEZONE alone. (icalendar
    # caches zones by TZID, so each test uses its own made-up name.)
    meetings = plan(LAST_TUESDAY, date(2027, 9, 1), date(2028, 4, 30))
    ics = meetings_to_ics(meetings, calendar_name="PSPN", dtstamp=STAMP)
    events = read(ics.replace(b"Europe/London", tzid.encode()))
    expected = [datetime.fromisoformat(t).replace(tzinfo=UTC) for t in BY_HAND]
    assert utc_times(events) == [(t, t + timedelta(hours=1)) for t in expected]
    assert [str(e["UID"]) for e in events] == [m.uid for m in meetings]
    assert str(events[3]["UID"]) == "pspn-pspn-20271228@pspn"


@pytest.mark.parametrize(
    "zone",
    ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Europe/Dublin"],
)
def test_ten_years_in_several_zones_read_back_through_our_vtimezone(zone: str) -> None:
    weekly = {
        **LAST_TUESDAY,
        "frequency": "weekly",
        "week_of_month": None,
        "starts_on": "2026-01-01",
    }
    meetings = plan(weekly, date(2026, 1, 1), date(2035, 12, 31), zone)
    ics = meetings_to_ics(meetings, calendar_name="Drop-in", dtstamp=STAMP)
    assert b"RDATE" not in ics
    events = read(ics.replace(zone.encode(), f"Ours/{zone}".encode()))
    assert utc_times(events) == [(m.start.astimezone(UTC), m.end.astimezone(UTC)) for m in meetings]


def test_vevent_fields_and_cancellation() -> None:
    meetings = plan(LAST_TUESDAY, date(2027, 9, 1), date(2027, 11, 30))
    meetings[0] = meetings[0].model_copy(update={"agenda": ("Handovers, at night; and weekends",)})
    meetings[1] = meetings[1].model_copy(
        update={"status": MeetingStatus.CANCELLED, "sequence": 2, "cancel_reason": "Strike day"}
    )
    ics = meetings_to_ics(meetings, calendar_name="PSPN", dtstamp=STAMP, url=LAST_TUESDAY["url"])
    events = read(ics)
    assert [int(e["SEQUENCE"]) for e in events] == [0, 2, 0]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert all(e["DTSTAMP"].dt == STAMP for e in events)
    assert str(events[0]["SUMMARY"]) == "PSPN (daytime)"
    assert str(events[1]["SUMMARY"]) == "Cancelled: PSPN (evening)"
    assert str(events[0]["DESCRIPTION"]) == (
        "Chair: Alex Example\nAgenda:\n1. Handovers, at night; and weekends"
    )
    assert str(events[1]["DESCRIPTION"]).startswith("Cancelled: Strike day\n")
    assert str(events[0]["URL"]) == str(events[0]["LOCATION"]) == "https://meet.example.org/pspn"
    assert events[0]["DTSTART"].params["TZID"] == "Europe/London"


def test_file_is_folded_crlf_with_one_rule_based_zone_per_zone_used() -> None:
    london = plan(LAST_TUESDAY, date(2027, 9, 1), date(2028, 8, 31))
    new_york = plan(LAST_TUESDAY, date(2027, 9, 1), date(2027, 12, 31), "America/New_York")
    long_agenda = tuple(f"Topic {i}: " + "learning from incidents " * 3 for i in range(3))
    london[0] = london[0].model_copy(update={"agenda": long_agenda})
    ics = meetings_to_ics(
        [*london, *new_york], calendar_name="Hub", dtstamp=STAMP, location="Online"
    )
    lines = ics.split(b"\r\n")
    assert ics.endswith(b"\r\n")
    assert b"\n" not in ics.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    calendar = icalendar.Calendar.from_ical(ics)
    zones = calendar.walk("VTIMEZONE")
    assert sorted(str(z["TZID"]) for z in zones) == ["America/New_York", "Europe/London"]
    for zone in zones:
        parts = zone.walk("STANDARD") + zone.walk("DAYLIGHT")
        assert len(parts) == 2
        assert all("RRULE" in part and "RDATE" not in part for part in parts)
    assert len(calendar.walk("VEVENT")) == len(london) + len(new_york)
    assert str(calendar["X-WR-CALNAME"]) == "Hub"


def test_a_zone_whose_rule_does_not_fit_falls_back_to_listed_changes() -> None:
    # Morocco's tz rule is a fixed offset, but it changes clocks around Ramadan.
    meetings = plan(LAST_TUESDAY, date(2027, 9, 1), date(2029, 8, 31), "Africa/Casablanca")
    ics = meetings_to_ics(meetings, calendar_name="X", dtstamp=STAMP)
    events = read(ics.replace(b"Africa/Casablanca", b"Ours/Casablanca-listed"))
    assert utc_times(events) == [(m.start.astimezone(UTC), m.end.astimezone(UTC)) for m in meetings]


@pytest.mark.parametrize(
    "zone",
    [
        "Europe/London",
        "Europe/Dublin",
        "America/New_York",
        "Australia/Sydney",
        "Pacific/Chatham",
        "UTC",
    ],
)
def test_rule_timezone_agrees_with_zoneinfo_every_six_hours(zone: str) -> None:
    rule = posix_rule(zone)
    assert rule is not None
    ours = rule_timezone(zone, rule).to_tz(lookup_tzid=False)
    real = ZoneInfo(zone)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant.year < 2029:
        assert instant.astimezone(ours).utcoffset() == instant.astimezone(real).utcoffset(), instant
        assert rule.utcoffset(instant) == instant.astimezone(real).utcoffset(), instant
        instant += timedelta(hours=6)


def test_rules_that_cannot_be_written_as_rrules_are_not_guessed() -> None:
    assert posix_rule("America/Santiago") is None  # changes at "24:00"
    assert posix_rule("Not/AZone") is None


def test_times_must_be_in_a_named_zone() -> None:
    meeting = plan(LAST_TUESDAY, date(2027, 9, 1), date(2027, 9, 30))[0]
    fixed = meeting.model_copy(update={"start": meeting.start.astimezone(UTC)})
    with pytest.raises(InputError, match="named zone"):
        meetings_to_ics([fixed], calendar_name="X")
    stored = Meeting.model_validate_json(meeting.model_dump_json())
    assert stored.start.tzinfo != meeting.start.tzinfo
    restored = stored.in_zone("Europe/London")
    assert restored == meeting
    assert b"DTSTART;TZID=Europe/London:20270928T123000" in meetings_to_ics(
        [restored], calendar_name="X"
    )


def test_non_ascii_and_long_text_round_trip_through_escaping_and_folding() -> None:
    meeting = plan(LAST_TUESDAY, date(2027, 9, 1), date(2027, 9, 30))[0]
    agenda = ('Zoë\'s question: handovers, night shifts; \\ and "weekends"' * 3,)
    meeting = meeting.model_copy(update={"chair": "Zoë Example", "agenda": agenda})
    ics = meetings_to_ics([meeting], calendar_name="Réseau, PSPN", dtstamp=STAMP)
    assert max(len(line) for line in ics.split(b"\r\n")) <= 75
    [event] = read(ics)
    assert str(event["DESCRIPTION"]) == f"Chair: Zoë Example\nAgenda:\n1. {agenda[0]}"
    assert str(event["SUMMARY"]) == "Réseau, PSPN (daytime)"
