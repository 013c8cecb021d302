"""The example networks in examples/ plan the calendars worked out by hand here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from pspn_core.config import load_config
from pspn_core.meetings import scheduling
from pspn_core.meetings.model import MeetingRules
from pspn_core.meetings.scheduling import Occurrence, bank_holiday_exclusions


def occurrences(rules: MeetingRules, start: date, end: date, **options: Any) -> list[Occurrence]:
    """The scheduler with the bank holidays pspn's meetings plugin excludes, as planning does."""
    extra = set(options.pop("extra_exclusions", ()))
    extra |= bank_holiday_exclusions(rules, min(rules.starts_on, start), end)
    return scheduling.occurrences(rules, start, end, extra_exclusions=extra, **options)


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_pspn_2027_second_tuesdays_alternating_no_august() -> None:
    rules = load_config(EXAMPLES / "pspn.toml").network("pspn").meetings
    assert rules is not None
    held = occurrences(rules, date(2027, 1, 1), date(2027, 12, 31))
    # Second Tuesdays of 2027, without August; none falls on a bank holiday.
    days = [
        (1, 12),
        (2, 9),
        (3, 9),
        (4, 13),
        (5, 11),
        (6, 8),
        (7, 13),
        (9, 14),
        (10, 12),
        (11, 9),
        (12, 14),
    ]
    assert [(o.date.month, o.date.day) for o in held] == days
    # The slots alternate from starts_on (1 January 2026): 2026 held 11 meetings (no
    # August), so 2027 opens with the evening slot.
    assert [o.slot.name for o in held] == ["evening", "daytime"] * 5 + ["evening"]
    # 12:30 and 18:30 London time: GMT in winter, BST (UTC+1) from 28 March to 31 October.
    expected_utc = []
    for (month, day), slot in zip(days, ["18:30", "12:30"] * 6, strict=False):
        hour, minute = map(int, slot.split(":"))
        summer = date(2027, 3, 28) <= date(2027, month, day) < date(2027, 10, 31)
        expected_utc.append(datetime(2027, month, day, hour - summer, minute, tzinfo=UTC))
    assert [o.start.astimezone(UTC) for o in held] == expected_utc
    assert all(o.end - o.start == timedelta(minutes=60) for o in held)


def test_psmn_weekly_fridays_skip_bank_holidays() -> None:
    rules = load_config(EXAMPLES / "psmn-dropin.toml").network("psmn").meetings
    assert rules is not None
    held = occurrences(rules, date(2027, 1, 1), date(2027, 12, 31))
    fridays = [date(2027, 1, 1) + timedelta(weeks=n) for n in range(53)]
    # New Year's Day and Good Friday 2027 fall on Fridays; no other bank holiday does.
    expected = [d for d in fridays if d not in (date(2027, 1, 1), date(2027, 3, 26))]
    assert [o.date for o in held] == expected
    assert {o.start.strftime("%H:%M") for o in held} == {"13:00"}
    assert held[0].start.astimezone(UTC).hour == 13  # January: GMT
    july = next(o for o in held if o.date.month == 7)
    assert july.start.astimezone(UTC).hour == 12  # July: BST
    assert {o.slot.name for o in held} == {"lunchtime"}
