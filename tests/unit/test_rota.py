"""The chair rota: fair, respects availability, avoids repeats, continues from history."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from pspn_core.meetings.rota import ChairRecord, Volunteer, assign_chairs

BOTH = frozenset({"daytime", "evening"})
ALTERNATING = [
    (date(2026, 1, 13) + timedelta(weeks=4 * i), ("daytime", "evening")[i % 2]) for i in range(12)
]


def test_everyone_takes_a_turn_in_name_order_first() -> None:
    people = [Volunteer("Bea", BOTH), Volunteer("Alex", BOTH), Volunteer("Cal", BOTH)]
    assert assign_chairs(ALTERNATING[:6], people, []) == ["Alex", "Bea", "Cal"] * 2


def test_availability_is_respected_and_a_missing_chair_is_none() -> None:
    people = [Volunteer("Alex", frozenset({"evening"})), Volunteer("Cal", frozenset({"daytime"}))]
    assert assign_chairs(ALTERNATING[:4], people, []) == ["Cal", "Alex", "Cal", "Alex"]
    assert assign_chairs(ALTERNATING[:2], [Volunteer("Cal", frozenset({"daytime"}))], []) == [
        "Cal",
        None,
    ]


def test_history_decides_who_goes_next() -> None:
    people = [Volunteer("Alex", BOTH), Volunteer("Bea", BOTH), Volunteer("Cal", BOTH)]
    history = [
        ChairRecord("Alex", date(2025, 10, 14)),
        ChairRecord("Cal", date(2025, 11, 11)),
        ChairRecord("Bea", date(2025, 12, 9)),
        ChairRecord("Cal", date(2024, 1, 1)),
        ChairRecord("Former Member", date(2025, 9, 9)),
    ]
    # Alex and Bea have one each; Alex waited longest; Cal, with two, goes last.
    assert assign_chairs(ALTERNATING[:3], people, history) == ["Alex", "Bea", "Cal"]


def test_nobody_chairs_twice_in_a_row_when_someone_else_can() -> None:
    people = [Volunteer("Alex", BOTH), Volunteer("Bea", BOTH)]
    history = [
        ChairRecord("Bea", date(2025, 1, 14)),
        ChairRecord("Bea", date(2025, 2, 11)),
        ChairRecord("Alex", date(2025, 12, 9)),
    ]
    # Alex has fewest turns but chaired last; then fewest; then he chaired last again.
    assert assign_chairs(ALTERNATING[:3], people, history) == ["Bea", "Alex", "Bea"]
    assert assign_chairs(ALTERNATING[:2], [Volunteer("Alex", BOTH)], []) == ["Alex", "Alex"]


# Property tests.

SLOTS = ["daytime", "evening", "weekend"]


@st.composite
def rota_case(draw: st.DrawFn) -> tuple[list[tuple[date, str]], list[Volunteer]]:
    used = draw(st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True))
    names = draw(st.lists(st.sampled_from("ABCDEFGH"), min_size=0, max_size=6, unique=True))
    volunteers = [
        Volunteer(name, frozenset(draw(st.sets(st.sampled_from(SLOTS), max_size=3))))
        for name in names
    ]
    count = draw(st.integers(0, 40))
    order = draw(st.sampled_from(["alternate", "random"]))
    slots = (
        [used[i % len(used)] for i in range(count)]
        if order == "alternate"
        else draw(st.lists(st.sampled_from(used), min_size=count, max_size=count))
    )
    start = date(2026, 1, 1)
    return [(start + timedelta(weeks=i), slot) for i, slot in enumerate(slots)], volunteers


@settings(max_examples=300, deadline=None)
@given(rota_case())
def test_rota_rules_hold(case: tuple[list[tuple[date, str]], list[Volunteer]]) -> None:
    meetings, volunteers = case
    chairs = assign_chairs(meetings, volunteers, [])
    assert len(chairs) == len(meetings)
    by_name = {v.name: v for v in volunteers}
    used = {slot for _, slot in meetings}
    everywhere = [v.name for v in volunteers if used <= v.slots]
    for index, ((_, slot), chair) in enumerate(zip(meetings, chairs, strict=True)):
        able = [v.name for v in volunteers if slot in v.slots]
        if chair is None:
            assert able == []
            continue
        assert slot in by_name[chair].slots
        if index and chairs[index - 1] == chair:
            assert able == [chair]
        # Fairness over every run so far among those who can do every slot.
        counts = Counter(c for c in chairs[: index + 1] if c in everywhere)
        tallies = [counts[name] for name in everywhere]
        if tallies:
            assert max(tallies) - min(tallies) <= 1
    assert assign_chairs(meetings, list(reversed(volunteers)), []) == chairs  # deterministic


@settings(max_examples=200, deadline=None)
@given(rota_case(), st.integers(0, 40))
def test_planning_in_two_runs_continues_the_same_rota(
    case: tuple[list[tuple[date, str]], list[Volunteer]], split: int
) -> None:
    meetings, volunteers = case
    whole = assign_chairs(meetings, volunteers, [])
    first = assign_chairs(meetings[:split], volunteers, [])
    history = [
        ChairRecord(chair, when)
        for (when, _), chair in zip(meetings[:split], first, strict=True)
        if chair is not None
    ]
    rest = assign_chairs(meetings[split:], volunteers, history)
    if not first or first[-1] is not None:
        assert first + rest == whole


@settings(max_examples=200, deadline=None)
@given(
    people=st.integers(3, 7),
    count=st.integers(1, 60),
    leaver=st.integers(0, 6),
    stops_at=st.integers(0, 60),
)
def test_running_the_rota_again_after_someone_stops_stays_fair(
    people: int, count: int, leaver: int, stops_at: int
) -> None:
    # What `pspn meetings reassign` does: keep the meetings before the first one the
    # leaver was to chair after stopping, and continue the rota from them without the leaver.
    everyone = [Volunteer(f"Volunteer {i}", BOTH) for i in range(people)]
    gone = everyone[leaver % people].name
    meetings = ALTERNATING_LONG[:count]
    planned = assign_chairs(meetings, everyone, [])
    due = [i for i, chair in enumerate(planned) if chair == gone and i >= stops_at]
    if not due:
        return
    kept = planned[: due[0]]
    history = [
        ChairRecord(str(chair), day) for chair, (day, _) in zip(kept, meetings, strict=False)
    ]
    staying = [volunteer for volunteer in everyone if volunteer.name != gone]
    chairs = kept + assign_chairs(meetings[due[0] :], staying, history)
    assert gone not in chairs[due[0] :]
    assert all(earlier != later for earlier, later in pairwise(chairs))
    counts = Counter(chair for chair in chairs if chair != gone)
    turns = [counts[volunteer.name] for volunteer in staying]
    assert max(turns) - min(turns) <= 1


ALTERNATING_LONG = [
    (date(2030, 1, 8) + timedelta(weeks=2 * i), ("daytime", "evening")[i % 2]) for i in range(60)
]
