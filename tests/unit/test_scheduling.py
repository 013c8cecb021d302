"""Scheduling: which dates and times the rules give, checked by hand and by property."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pspn_core.errors import ConfigError, InputError
from pspn_core.meetings import scheduling
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus
from pspn_core.meetings.rota import ChairRecord, Volunteer
from pspn_core.meetings.scheduling import (
    Occurrence,
    bank_holiday_exclusions,
    bank_holidays,
    meeting_uid,
)


def occurrences(rules: MeetingRules, start: date, end: date, **options: Any) -> list[Occurrence]:
    """The scheduler with the bank holidays pspn's meetings plugin excludes, as planning does."""
    extra = set(options.pop("extra_exclusions", ()))
    extra |= bank_holiday_exclusions(rules, min(rules.starts_on, start), end)
    return scheduling.occurrences(rules, start, end, extra_exclusions=extra, **options)


def plan_meetings(
    slug: str, rules: MeetingRules, existing: Any, start: date, end: date, **options: Any
) -> list[Meeting]:
    """The planner with the bank holidays pspn's meetings plugin excludes, as planning does."""
    extra = set(options.pop("extra_exclusions", ()))
    extra |= bank_holiday_exclusions(rules, min(rules.starts_on, start), end)
    return scheduling.plan_meetings(
        slug, rules, existing, start, end, extra_exclusions=extra, **options
    )


PSPN: dict[str, Any] = {
    "frequency": "monthly",
    "week_of_month": 2,
    "weekday": "tuesday",
    "slots": [{"name": "daytime", "start": "12:30"}, {"name": "evening", "start": "18:30"}],
    "starts_on": "2026-01-01",
    "duration_minutes": 60,
    "exclude": {"bank_holidays": True, "months": ["august"]},
}
DROP_IN: dict[str, Any] = {
    "frequency": "weekly",
    "weekday": "friday",
    "slots": [{"name": "lunchtime", "start": "13:00"}],
    "starts_on": "2026-01-01",
    "duration_minutes": 45,
    "exclude": {"bank_holidays": True},
}


def rules(base: dict[str, Any], **changes: Any) -> MeetingRules:
    return MeetingRules.model_validate({**base, **changes})


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_pspn_2026_by_hand() -> None:
    # Second Tuesdays; August is skipped (11 Aug); slots alternate from January;
    # London is on GMT until 29 March and from 25 October, BST in between.
    expected = [
        ("2026-01-13", "daytime", "2026-01-13 12:30"),
        ("2026-02-10", "evening", "2026-02-10 18:30"),
        ("2026-03-10", "daytime", "2026-03-10 12:30"),
        ("2026-04-14", "evening", "2026-04-14 17:30"),
        ("2026-05-12", "daytime", "2026-05-12 11:30"),
        ("2026-06-09", "evening", "2026-06-09 17:30"),
        ("2026-07-14", "daytime", "2026-07-14 11:30"),
        ("2026-09-08", "evening", "2026-09-08 17:30"),
        ("2026-10-13", "daytime", "2026-10-13 11:30"),
        ("2026-11-10", "evening", "2026-11-10 18:30"),
        ("2026-12-08", "daytime", "2026-12-08 12:30"),
    ]
    found = occurrences(rules(PSPN), date(2026, 1, 1), date(2026, 12, 31))
    assert [(o.date.isoformat(), o.slot.name, o.start.astimezone(UTC)) for o in found] == [
        (day, slot, utc(start)) for day, slot, start in expected
    ]
    assert all(o.end - o.start == timedelta(minutes=60) for o in found)
    assert all(o.start.tzinfo is not None and o.start.tzinfo.key == "Europe/London" for o in found)  # type: ignore[attr-defined]


def test_drop_in_skips_good_friday_and_christmas_day() -> None:
    april = occurrences(rules(DROP_IN), date(2026, 4, 1), date(2026, 4, 30))
    assert [(o.date.day, o.start.astimezone(UTC).hour) for o in april] == [
        (10, 12),
        (17, 12),
        (24, 12),
    ]
    december = occurrences(rules(DROP_IN), date(2026, 12, 1), date(2026, 12, 31))
    assert [(o.date.day, o.start.astimezone(UTC).hour) for o in december] == [
        (4, 13),
        (11, 13),
        (18, 13),
    ]
    assert all(o.end - o.start == timedelta(minutes=45) for o in december)


def test_the_boxing_day_substitute_on_tuesday_28_december_2027() -> None:
    assert (
        "Boxing Day"
        in holidays.country_holidays("GB", subdiv="ENG", years=2027)[date(2027, 12, 28)]
    )
    fourth = rules(PSPN, week_of_month=4, starts_on="2027-11-01")
    skipped = occurrences(fourth, date(2027, 11, 1), date(2028, 1, 31))
    assert [o.date for o in skipped] == [date(2027, 11, 23), date(2028, 1, 25)]
    assert [o.slot.name for o in skipped] == ["daytime", "evening"]  # the skip took no slot
    moved = occurrences(
        rules(PSPN, week_of_month=-1, on_clash="next_week"), date(2027, 12, 1), date(2028, 1, 31)
    )
    assert [(o.original_date, o.date) for o in moved] == [
        (date(2027, 12, 28), date(2028, 1, 4)),
        (date(2028, 1, 25), date(2028, 1, 25)),
    ]


def test_a_move_onto_an_excluded_or_meeting_date_is_a_skip() -> None:
    # 2026-07-28 is the last Tuesday of July; a week later is in excluded August.
    july = rules(
        PSPN,
        week_of_month=-1,
        on_clash="next_week",
        exclude={"dates": ["2026-07-28"], "months": [8]},
    )
    assert occurrences(july, date(2026, 7, 1), date(2026, 8, 31)) == []
    weekly = rules(DROP_IN, on_clash="next_week")
    fridays = [o.date for o in occurrences(weekly, date(2026, 3, 27), date(2026, 4, 10))]
    assert fridays == [date(2026, 3, 27), date(2026, 4, 10)]  # 3 April is not doubled onto 10 April
    fortnightly = rules(DROP_IN, interval=2, on_clash="next_week", starts_on="2026-03-20")
    assert [
        (o.original_date, o.date)
        for o in occurrences(fortnightly, date(2026, 3, 1), date(2026, 4, 30))
    ] == [
        (date(2026, 3, 20), date(2026, 3, 20)),
        (date(2026, 4, 3), date(2026, 4, 10)),
        (date(2026, 4, 17), date(2026, 4, 17)),
    ]


def test_plugin_exclusions_skip_dates() -> None:
    found = occurrences(
        rules(PSPN), date(2026, 1, 1), date(2026, 3, 31), extra_exclusions={date(2026, 2, 10)}
    )
    assert [(o.date, o.slot.name) for o in found] == [
        (date(2026, 1, 13), "daytime"),
        (date(2026, 3, 10), "evening"),
    ]


# The official list for 2027 names Monday 27 and Tuesday 28 December, not the 25th or 26th.
OFFICIAL_DECEMBER_2027 = [date(2027, 12, 27), date(2027, 12, 28)]


def test_a_weekend_bank_holiday_is_its_official_substitute_only_by_default() -> None:
    december = sorted(d for d in bank_holidays(2027) if d.month == 12)
    assert december == OFFICIAL_DECEMBER_2027
    assert date(2022, 1, 3) in bank_holidays(2022)  # New Year's Day (Saturday) substitute
    assert date(2022, 1, 1) not in bank_holidays(2022)
    saturdays = rules(DROP_IN, weekday="saturday", starts_on="2027-12-01")
    held = occurrences(saturdays, date(2027, 12, 1), date(2027, 12, 31))
    assert date(2027, 12, 25) in [o.date for o in held]


def test_the_nominal_weekend_day_is_skipped_too_when_the_rules_say_so() -> None:
    assert date(2027, 12, 25) in bank_holidays(2027, nominal_weekend_days=True)
    saturdays = rules(
        DROP_IN,
        weekday="saturday",
        starts_on="2027-12-01",
        exclude={"bank_holidays": True, "nominal_weekend_days": True},
    )
    held = occurrences(saturdays, date(2027, 12, 1), date(2027, 12, 31))
    assert [o.date.day for o in held] == [4, 11, 18]


def test_slots_are_counted_from_starts_on_not_the_window() -> None:
    whole = occurrences(rules(PSPN), date(2026, 1, 1), date(2027, 12, 31))
    later = occurrences(rules(PSPN), date(2027, 3, 1), date(2027, 12, 31))
    assert later == [o for o in whole if o.date >= date(2027, 3, 1)]


def test_times_that_clocks_skip_or_repeat_are_refused() -> None:
    sunday_night = rules(
        DROP_IN, weekday="sunday", slots=[{"name": "late", "start": "01:30"}], exclude={}
    )
    with pytest.raises(
        ConfigError, match=r"in Europe/London .* 01:30 does not exist on 2026-03-29"
    ):
        occurrences(sunday_night, date(2026, 3, 1), date(2026, 4, 30))
    with pytest.raises(ConfigError, match=r"01:30 happens twice on 2026-10-25"):
        occurrences(sunday_night, date(2026, 10, 1), date(2026, 10, 31))
    assert len(occurrences(sunday_night, date(2026, 5, 1), date(2026, 5, 31))) == 5


def test_every_impossible_slot_time_in_the_window_is_named_in_one_error() -> None:
    sunday_night = rules(
        DROP_IN, weekday="sunday", slots=[{"name": "late", "start": "01:30"}], exclude={}
    )
    with pytest.raises(ConfigError) as raised:
        occurrences(sunday_night, date(2026, 1, 1), date(2027, 12, 31))
    message = str(raised.value)
    assert "\n" not in message
    named = [part.split(" on ")[1][:10] for part in message.split(": ", 2)[2].split("; ")]
    assert named == ["2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"]
    assert message.count("does not exist") == 2
    assert message.count("happens twice") == 2


def test_duration_is_elapsed_time_across_a_clock_change() -> None:
    night = rules(
        DROP_IN,
        weekday="sunday",
        slots=[{"name": "n", "start": "00:30"}],
        duration_minutes=120,
        exclude={},
    )
    [meeting] = occurrences(night, date(2026, 3, 29), date(2026, 3, 29))
    assert (meeting.end.hour, meeting.end.minute) == (3, 30)  # 00:30 GMT + 2 h = 03:30 BST
    assert meeting.end.astimezone(UTC) - meeting.start.astimezone(UTC) == timedelta(hours=2)


def test_an_inverted_window_is_an_input_error() -> None:
    with pytest.raises(InputError, match="ends"):
        occurrences(rules(PSPN), date(2026, 2, 1), date(2026, 1, 1))


def test_meeting_uid_is_stable_and_names_network_and_date() -> None:
    assert meeting_uid("pspn", date(2026, 1, 13)) == "pspn-pspn-20260113@pspn"
    assert meeting_uid("psmn", date(2026, 1, 13)) != meeting_uid("pspn", date(2026, 1, 13))


VOLUNTEERS = [
    Volunteer("Alex Example", frozenset({"daytime", "evening"})),
    Volunteer("Bea Example", frozenset({"daytime", "evening"})),
    Volunteer("Cal Example", frozenset({"daytime"})),
]


def test_planning_again_changes_nothing_and_keeps_changes() -> None:
    first = plan_meetings(
        "pspn",
        rules(PSPN),
        [],
        date(2026, 1, 1),
        date(2026, 6, 30),
        volunteers=VOLUNTEERS,
        history=[],
    )
    assert [m.chair for m in first] == [
        "Alex Example", "Bea Example", "Cal Example", "Alex Example", "Bea Example", "Alex Example",
    ]  # fmt: skip
    assert (
        plan_meetings(
            "pspn",
            rules(PSPN),
            first,
            date(2026, 1, 1),
            date(2026, 6, 30),
            volunteers=VOLUNTEERS,
            history=[],
        )
        == first
    )
    cancelled = first[1].model_copy(update={"status": MeetingStatus.CANCELLED, "sequence": 1})
    edited = [first[0], cancelled, *first[2:]]
    again = plan_meetings(
        "pspn",
        rules(PSPN),
        edited,
        date(2026, 1, 1),
        date(2026, 12, 31),
        volunteers=VOLUNTEERS,
        history=[],
    )
    assert again[:6] == edited
    assert [m.slot for m in again[6:]] == ["daytime", "evening", "daytime", "evening", "daytime"]
    assert len({m.uid for m in again}) == len(again) == 11


def test_plan_continues_the_rota_from_history_without_counting_twice() -> None:
    history = [
        ChairRecord("Alex Example", date(2025, 11, 11)),
        ChairRecord("Bea Example", date(2025, 12, 9)),
    ]
    planned = plan_meetings(
        "pspn",
        rules(PSPN),
        [],
        date(2026, 1, 1),
        date(2026, 2, 28),
        volunteers=VOLUNTEERS,
        history=history,
    )
    assert [m.chair for m in planned] == ["Cal Example", "Alex Example"]
    records = history + [ChairRecord(m.chair or "", m.original_date) for m in planned]
    more = plan_meetings(
        "pspn",
        rules(PSPN),
        planned,
        date(2026, 1, 1),
        date(2026, 4, 30),
        volunteers=VOLUNTEERS,
        history=records,
    )
    assert [m.chair for m in more[2:]] == ["Bea Example", "Alex Example"]


def test_no_volunteer_leaves_the_meeting_without_a_chair() -> None:
    planned = plan_meetings(
        "pspn", rules(PSPN), [], date(2026, 1, 1), date(2026, 2, 28),
        volunteers=[Volunteer("Cal Example", frozenset({"daytime"}))], history=[],
    )  # fmt: skip
    assert [(m.slot, m.chair) for m in planned] == [("daytime", "Cal Example"), ("evening", None)]
    assert all(
        isinstance(m, Meeting) and m.status is MeetingStatus.PLANNED and m.sequence == 0
        for m in planned
    )


# Property tests over random valid rules and windows.

ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@st.composite
def random_rules(draw: st.DrawFn) -> MeetingRules:
    weekly = draw(st.booleans())
    count = draw(st.integers(1, 3))
    times = draw(
        st.lists(
            st.times().map(lambda t: t.replace(second=0, microsecond=0)),
            min_size=count,
            max_size=count,
        )
    )
    return MeetingRules.model_validate(
        {
            "frequency": "weekly" if weekly else "monthly",
            "interval": draw(st.integers(1, 4)) if weekly else 1,
            "week_of_month": None if weekly else draw(st.sampled_from([1, 2, 3, 4, -1])),
            "weekday": draw(st.sampled_from(WEEKDAYS)),
            # Local times from 04:00 never fall in these zones' clock changes.
            "slots": [
                {"name": f"s{i}", "start": t.replace(hour=4 + t.hour % 20)}
                for i, t in enumerate(times)
            ],
            "starts_on": draw(st.dates(date(2020, 1, 1), date(2030, 12, 31))),
            "duration_minutes": draw(st.integers(1, 1440)),
            "timezone": draw(st.sampled_from(ZONES)),
            "exclude": {
                "bank_holidays": draw(st.booleans()),
                "nominal_weekend_days": draw(st.booleans()),
                "months": draw(st.sets(st.integers(1, 12), max_size=11)),
                "dates": draw(
                    st.lists(st.dates(date(2020, 1, 1), date(2034, 12, 31)), max_size=20)
                ),
            },
            "on_clash": draw(st.sampled_from(["skip", "next_week"])),
        }
    )


def is_excluded(rules: MeetingRules, day: date, extra: set[date]) -> bool:
    listed = holidays.country_holidays("GB", subdiv="ENG", years=day.year)
    weekday = day.weekday() < 5 or rules.exclude.nominal_weekend_days
    bank = rules.exclude.bank_holidays and day in listed and weekday
    return bank or day.month in rules.exclude.months or day in rules.exclude.dates or day in extra


@settings(max_examples=150, deadline=None)
@given(
    random_rules(),
    st.dates(date(2019, 1, 1), date(2032, 12, 31)),
    st.integers(0, 3 * 366),
    st.sets(st.dates(date(2019, 1, 1), date(2034, 12, 31)), max_size=10),
)
def test_every_occurrence_follows_the_rules(
    rules: MeetingRules, start: date, days: int, extra: set[date]
) -> None:
    end = start + timedelta(days=days)
    found = occurrences(rules, start, end, extra_exclusions=extra)
    everything = occurrences(rules, min(start, rules.starts_on), end, extra_exclusions=extra)
    for index, o in enumerate(everything):
        assert o.slot == rules.slots[index % len(rules.slots)]  # held meetings alternate
    assert found == [o for o in everything if o.date >= start]
    for o in found:
        assert start <= o.date <= end
        assert o.date >= rules.starts_on
        assert o.date.weekday() == rules.weekday_number
        assert not is_excluded(rules, o.date, extra)
        assert o.start.tzinfo == rules.zone
        assert o.start.date() == o.date
        assert o.start.time() == o.slot.start
        assert o.end.astimezone(UTC) - o.start.astimezone(UTC) == timedelta(
            minutes=rules.duration_minutes
        )
        if o.date != o.original_date:
            assert rules.on_clash == "next_week"
            assert o.date - o.original_date == timedelta(weeks=1)
            assert is_excluded(rules, o.original_date, extra)
        if rules.frequency == "weekly":
            first = rules.starts_on + timedelta(
                days=(rules.weekday_number - rules.starts_on.weekday()) % 7
            )
            assert (o.original_date - first).days % (7 * rules.interval) == 0
        elif rules.week_of_month == -1:
            assert (o.original_date + timedelta(weeks=1)).month != o.original_date.month
        else:
            assert (o.original_date.day - 1) // 7 + 1 == rules.week_of_month
    assert len({o.date for o in found}) == len(found)


@settings(max_examples=60, deadline=None)
@given(
    random_rules(),
    st.lists(
        st.tuples(st.sampled_from("ABCDEF"), st.sets(st.sampled_from(["s0", "s1", "s2"]))),
        max_size=5,
        unique_by=lambda pair: pair[0],
    ),
)
def test_planned_chairs_are_able_and_fair(
    rules: MeetingRules, people: list[tuple[str, set[str]]]
) -> None:
    volunteers = [Volunteer(name, frozenset(slots)) for name, slots in people]
    planned = plan_meetings(
        "net", rules, [], rules.starts_on, rules.starts_on + timedelta(days=730),
        volunteers=volunteers, history=[],
    )  # fmt: skip
    able = {v.name: v.slots for v in volunteers}
    for meeting in planned:
        if meeting.chair is None:
            assert not any(meeting.slot in slots for slots in able.values())
        else:
            assert meeting.slot in able[meeting.chair]
    used = {meeting.slot for meeting in planned}
    everywhere = [name for name, slots in able.items() if used <= slots]
    counts = [sum(m.chair == name for m in planned) for name in everywhere]
    if counts:
        assert max(counts) - min(counts) <= 1
    assert plan_meetings(
        "net", rules, planned, rules.starts_on, rules.starts_on + timedelta(days=730),
        volunteers=volunteers, history=[],
    ) == planned  # fmt: skip
    # Planning the first year, then both, gives what planning both at once gave.
    first_year = plan_meetings(
        "net", rules, [], rules.starts_on, rules.starts_on + timedelta(days=365),
        volunteers=volunteers, history=[],
    )  # fmt: skip
    if not first_year or first_year[-1].chair is not None:
        assert plan_meetings(
            "net", rules, first_year, rules.starts_on, rules.starts_on + timedelta(days=730),
            volunteers=volunteers, history=[],
        ) == planned  # fmt: skip
