"""The ICS output, read back with an independent reader (icalendar + recurring-ical-events)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from pspn_core.errors import InputError
from pspn_core.meetings import scheduling
from pspn_core.meetings.calendar import meetings_to_ics
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus
from pspn_core.meetings.rota import Volunteer
from pspn_core.meetings.scheduling import bank_holiday_exclusions
from pspn_core.meetings.tzchanges import clock_changes
from pspn_core.meetings.vtimezone import zone_timezone


def plan_meetings(
    slug: str, rules: MeetingRules, existing: Any, start: date, end: date, **options: Any
) -> list[Meeting]:
    """The planner with the bank holidays pspn's meetings plugin excludes, as planning does."""
    extra = set(options.pop("extra_exclusions", ()))
    extra |= bank_holiday_exclusions(rules, min(rules.starts_on, start), end)
    return scheduling.plan_meetings(
        slug, rules, existing, start, end, extra_exclusions=extra, **options
    )


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
        "Asia/Jerusalem",
        "America/Santiago",
        "Africa/Cairo",
        "America/Nuuk",
        "Africa/Casablanca",
        "UTC",
    ],
)
def test_zone_timezone_agrees_with_zoneinfo_every_six_hours(zone: str) -> None:
    real = ZoneInfo(zone)
    span = [datetime(2026, 1, 1, tzinfo=real), datetime(2028, 12, 31, tzinfo=real)]
    ours = zone_timezone(zone, span).to_tz(lookup_tzid=False)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant.year < 2029:
        assert instant.astimezone(ours).utcoffset() == instant.astimezone(real).utcoffset(), instant
        instant += timedelta(hours=6)


@pytest.mark.parametrize(
    "zone", ["Asia/Jerusalem", "America/Santiago", "Africa/Cairo", "America/Nuuk", "Asia/Gaza"]
)
def test_clock_changes_are_found_to_the_minute(zone: str) -> None:
    real, found = ZoneInfo(zone), set()
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant.year < 2029:  # a minute-by-minute scan near each hour where the offset moves
        following = instant + timedelta(hours=1)
        if instant.astimezone(real).utcoffset() != following.astimezone(real).utcoffset():
            minute = instant
            while minute.astimezone(real).utcoffset() == instant.astimezone(real).utcoffset():
                minute += timedelta(minutes=1)
            found.add(minute)
        instant = following
    changes = clock_changes(zone, 2026, 2028)
    assert {change.utc for change in changes if change.utc.year in (2026, 2027, 2028)} == found


RULE_FORM_ZONES = [
    "Asia/Jerusalem",
    "Asia/Tel_Aviv",
    "Israel",
    "America/Santiago",
    "Chile/Continental",
    "Africa/Cairo",
    "Egypt",
    "Asia/Gaza",
    "Asia/Hebron",
    "America/Nuuk",
    "America/Godthab",
    "America/Scoresbysund",
    "Europe/London",
]


@pytest.mark.parametrize("zone", RULE_FORM_ZONES)
def test_zones_with_yearly_rules_are_written_as_rrules(zone: str) -> None:
    real = ZoneInfo(zone)
    span = [datetime(2026, 1, 1, tzinfo=real), datetime(2035, 12, 31, tzinfo=real)]
    parts = zone_timezone(zone, span).walk("STANDARD") + zone_timezone(zone, span).walk("DAYLIGHT")
    assert not any("RDATE" in part for part in parts)
    # Both changes as yearly rules; Cairo's October rule needs a second run after 2030,
    # when its "Friday after the last Thursday" is 1 November.
    assert sum("RRULE" in part for part in parts) == (3 if zone in ("Africa/Cairo", "Egypt") else 2)


def test_israel_spring_change_is_the_friday_before_the_last_sunday() -> None:
    real = ZoneInfo("Asia/Jerusalem")
    span = [datetime(2026, 1, 1, tzinfo=real), datetime(2035, 12, 31, tzinfo=real)]
    [summer] = zone_timezone("Asia/Jerusalem", span).walk("DAYLIGHT")
    assert summer["RRULE"].to_ical() == (
        b"FREQ=YEARLY;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29;BYMONTH=3"
    )


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


YEARS = range(2026, 2036)


def _meetings_near_changes(zone: str) -> list[Meeting]:
    """Ten years of meetings: one each July, and three at every clock change.

    At a change at ``c``: one from two hours before to two hours after it, one
    that ends a minute before it, and one that starts a minute after it (or, when
    the clocks go back, a minute after the local times they repeat).
    """
    real = ZoneInfo(zone)
    spans = [(datetime(year, 7, 1, 12, tzinfo=UTC), timedelta(hours=1)) for year in YEARS]
    hour, minute = timedelta(hours=1), timedelta(minutes=1)
    for change in clock_changes(zone, YEARS[0], YEARS[-1]):
        repeated = max(change.before - change.after, timedelta(0))
        spans += [
            (change.utc - 2 * hour, 4 * hour),
            (change.utc - hour - minute, hour),
            (change.utc + repeated + minute, hour),
        ]
    return [
        Meeting.model_construct(
            uid=f"{number}@example.org",
            network="zones",
            original_date=start.date(),
            start=start.astimezone(real),
            end=(start + length).astimezone(real),
            slot="any",
            chair=None,
            status=MeetingStatus.PLANNED,
            sequence=0,
            agenda=(),
            cancel_reason="",
        )
        for number, (start, length) in enumerate(sorted(spans))
    ]


@pytest.mark.parametrize("zone", sorted(zoneinfo.available_timezones()))
def test_every_tzdata_zone_reads_back_at_zoneinfo_instants(zone: str) -> None:
    meetings = _meetings_near_changes(zone)
    ics = meetings_to_ics(meetings, calendar_name="Zones", dtstamp=STAMP)
    # A made-up TZID makes both readers use our VTIMEZONE rather than their own zoneinfo.
    ics = ics.replace(f"TZID={zone}:".encode(), f"TZID=Ours/{zone}:".encode())
    ics = ics.replace(f"TZID:{zone}\r\n".encode(), f"TZID:Ours/{zone}\r\n".encode())
    expected = {m.uid: (m.start.astimezone(UTC), m.end.astimezone(UTC)) for m in meetings}
    calendar = icalendar.Calendar.from_ical(ics)
    parsed = calendar.walk("VEVENT")
    assert _utc_by_uid(parsed) == expected
    occurrences = recurring_ical_events.of(calendar).between(date(2025, 1, 1), date(2037, 1, 1))
    assert _utc_by_uid(occurrences) == expected
    assert (b"RDATE" in ics) == (zone in LISTED_ZONES)


def _utc_by_uid(events: list[Any]) -> dict[str, tuple[datetime, datetime]]:
    # In UTC: Python never calls a time in a repeated hour equal to one in another zone.
    return {str(e["UID"]): tuple(utc_times([e])[0]) for e in events}


LISTED_ZONES = {"Africa/Casablanca", "Africa/El_Aaiun"}  # clock changes around Ramadan


@pytest.mark.parametrize(
    ("minutes", "ends_utc"),
    [
        (180, datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
        (100, datetime(2027, 10, 31, 0, 10, tzinfo=UTC)),
    ],
)
def test_an_end_in_the_repeated_hour_is_written_in_utc_with_its_start(
    minutes: int, ends_utc: datetime
) -> None:
    # 23:30 BST on Saturday 30 October 2027; the clocks go back at 02:00 BST, so the
    # end is the second 01:30 (GMT) or the first 01:10 (BST), which only UTC can say.
    late = {
        **LAST_TUESDAY,
        "frequency": "weekly",
        "week_of_month": None,
        "weekday": "saturday",
        "slots": [{"name": "late", "start": "23:30"}],
        "starts_on": "2027-10-30",
        "duration_minutes": minutes,
    }
    [meeting] = plan(late, date(2027, 10, 30), date(2027, 10, 30))
    ics = meetings_to_ics([meeting], calendar_name="Late", dtstamp=STAMP)
    assert f"DTEND:{ends_utc:%Y%m%dT%H%M%SZ}\r\n".encode() in ics
    assert b"DTSTART:20271030T223000Z\r\n" in ics  # both in UTC, so readers agree
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert event["DTEND"].dt == ends_utc == meeting.end.astimezone(UTC)
    assert utc_times(read(ics)) == [(datetime(2027, 10, 30, 22, 30, tzinfo=UTC), ends_utc)]


def test_components_that_would_give_a_wrong_offset_are_never_written() -> None:
    # Times that are not London's: our rules cannot fit them, so icalendar's own
    # date list (for the zone named) is written instead of a wrong rule.
    new_york = ZoneInfo("America/New_York")
    instants = [datetime(2027, month, 1, 12, tzinfo=new_york) for month in (1, 7)]
    zone = zone_timezone("Europe/London", instants)
    assert "only works from 2027-01-01" in str(zone["COMMENT"])
    london = [instant.astimezone(ZoneInfo("Europe/London")) for instant in instants]
    assert "COMMENT" not in zone_timezone("Europe/London", london)
