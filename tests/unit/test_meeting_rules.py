"""MeetingRules: what the ``[networks.<slug>.meetings]`` table accepts and refuses."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from pspn_core.meetings.model import Meeting, MeetingRules, Slot

PSPN: dict[str, Any] = {
    "frequency": "monthly",
    "week_of_month": 2,
    "weekday": "tuesday",
    "slots": [{"name": "daytime", "start": "12:30"}, {"name": "evening", "start": "18:30"}],
    "starts_on": "2026-01-01",
    "duration_minutes": 60,
    "exclude": {"bank_holidays": True, "months": ["august"]},
}


def rules(**changes: Any) -> MeetingRules:
    return MeetingRules.model_validate({**PSPN, **changes})


def refusal(**changes: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        rules(**changes)
    return str(caught.value)


def test_pspn_defaults_parse_from_toml_shaped_data() -> None:
    parsed = rules()
    assert parsed.slots == (
        Slot(name="daytime", start=time(12, 30)),
        Slot(name="evening", start=time(18, 30)),
    )
    assert parsed.exclude.months == (8,)
    assert parsed.timezone == "Europe/London"
    assert parsed.slot_order == "alternate"
    assert parsed.on_clash == "skip"
    assert parsed.agenda_size == 3
    assert parsed.weekday_number == 1


def test_weekday_and_month_names_are_case_insensitive_and_months_may_be_numbers() -> None:
    parsed = rules(weekday="  Tuesday", exclude={"months": ["August", 12]})
    assert parsed.weekday == "tuesday"
    assert parsed.exclude.months == (8, 12)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"week_of_month": 5}, "use 1 to 4, or -1"),
        ({"week_of_month": 0}, "use 1 to 4, or -1"),
        ({"weekday": "tuesdy"}, "not a day of the week"),
        ({"timezone": "Europe/Londn"}, "not a known IANA time zone"),
        ({"timezone": "../etc/passwd"}, "not a known IANA time zone"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 1441}, "duration_minutes"),
        ({"slots": []}, "slots"),
        ({"exclude": {"months": list(range(1, 13))}}, "no meeting can ever be held"),
        ({"exclude": {"months": ["augst"]}}, 'month names such as "august"'),
        ({"exclude": {"months": [13]}}, "numbers 1 to 12"),
        ({"week_of_month": None}, "monthly meetings need week_of_month"),
        ({"frequency": "weekly"}, "week_of_month is for monthly meetings"),
        ({"interval": 2}, "interval is for weekly meetings"),
        ({"slot_order": "fixed"}, "list one slot"),
        ({"frequency": "fortnightly"}, "frequency"),
        ({"slots": [{"name": "a", "start": "12:00"}, {"name": "a", "start": "13:00"}]}, "own name"),
        ({"slots": [{"name": "a", "start": "25:00"}]}, "slots"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_impossible_rules_are_refused_with_the_fix(changes: dict[str, Any], message: str) -> None:
    assert message in refusal(**changes)


def test_a_weekly_rule_needs_no_week_of_month() -> None:
    parsed = rules(frequency="weekly", week_of_month=None, interval=2, weekday="friday")
    assert (parsed.interval, parsed.weekday_number) == (2, 4)


def test_eleven_excluded_months_still_leave_one() -> None:
    assert rules(exclude={"months": list(range(1, 12))}).exclude.months == tuple(range(1, 12))


def test_a_meeting_must_be_aware_and_end_after_it_starts() -> None:
    london = ZoneInfo("Europe/London")
    base = {"uid": "u", "network": "pspn", "original_date": date(2026, 1, 13), "slot": "daytime"}
    with pytest.raises(ValidationError, match="time zone"):
        Meeting(**base, start=datetime(2026, 1, 13, 12), end=datetime(2026, 1, 13, 13))
    with pytest.raises(ValidationError, match="after its start"):
        Meeting(
            **base,
            start=datetime(2026, 1, 13, 12, tzinfo=london),
            end=datetime(2026, 1, 13, 12, tzinfo=london),
        )
