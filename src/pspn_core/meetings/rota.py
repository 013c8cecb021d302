"""The chair rota: volunteers take turns to chair meetings.

Each meeting goes to the volunteer who can do its slot and has chaired fewest
meetings so far (history included), then the one who has waited longest since
they last chaired, then by name; whoever chaired the previous meeting is passed
over while anyone else can do it. Picking the least-used volunteer every time
keeps the counts of those who can do every slot within one of each other.
Pure and deterministic: the same history and volunteers give the same rota.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["ChairRecord", "Volunteer", "assign_chairs"]


@dataclass(frozen=True)
class Volunteer:
    """A member who will chair meetings in the named slots."""

    name: str
    slots: frozenset[str]


@dataclass(frozen=True, order=True)
class ChairRecord:
    """``name`` chaired the meeting on ``date``."""

    name: str
    date: date


@dataclass
class _Tally:
    count: int = 0
    last: date = date.min


def assign_chairs(
    meetings_to_fill: Sequence[tuple[date, str]],
    volunteers: Iterable[Volunteer],
    history: Iterable[ChairRecord],
) -> list[str | None]:
    """Choose a chair for each ``(date, slot)``, in the order given (oldest first).

    :param meetings_to_fill: the meetings that need a chair, in date order.
    :param volunteers: who can chair, and in which slots.
    :param history: who chaired before; records of people no longer volunteering are ignored.
    :returns: one name per meeting, or ``None`` where no volunteer can do the slot.
    """
    pool = sorted(set(volunteers), key=lambda volunteer: volunteer.name)
    tally = {volunteer.name: _Tally() for volunteer in pool}
    previous: str | None = None
    for record in sorted(history, key=lambda record: (record.date, record.name)):
        previous = record.name
        if record.name in tally:
            tally[record.name].count += 1
            tally[record.name].last = max(tally[record.name].last, record.date)

    chairs: list[str | None] = []
    for when, slot in meetings_to_fill:
        able = [volunteer.name for volunteer in pool if slot in volunteer.slots]
        if len(able) > 1 and previous in able:
            able.remove(previous)
        if not able:
            chairs.append(None)
            previous = None
            continue
        chosen = min(able, key=lambda name: (tally[name].count, tally[name].last, name))
        tally[chosen].count += 1
        tally[chosen].last = when
        chairs.append(chosen)
        previous = chosen
    return chairs
