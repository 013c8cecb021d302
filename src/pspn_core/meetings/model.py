"""Meeting rules, meetings and agenda topics: the values the scheduler works with.

:class:`MeetingRules` is the ``[networks.<slug>.meetings]`` table of ``pspn.toml``.
Its validators reject rules that cannot work (an unknown weekday or time zone, a
fifth week of the month, every month excluded) with a message that says what is
wrong and how to fix it, so the config loader can pass them on unchanged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "Collection",
    "Exclusions",
    "Meeting",
    "MeetingRules",
    "MeetingStatus",
    "OnlineConfig",
    "Slot",
    "Topic",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


class Slot(BaseModel):
    """A named local start time, e.g. ``{name = "daytime", start = "12:30"}``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    start: time

    @field_validator("start")
    @classmethod
    def _wall_clock(cls, value: time) -> time:
        if value.tzinfo is not None:
            raise ValueError(
                f"slot start {value.isoformat()} has a UTC offset: give the local time "
                'only, e.g. "12:30"; the zone comes from `timezone`'
            )
        return value


class Exclusions(BaseModel):
    """Dates on which no meeting is held: ``[networks.<slug>.meetings.exclude]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bank_holidays: bool = True
    """Skip bank holidays in England, as the official list names them: a bank holiday
    that falls at a weekend is the weekday substitute (Monday 27 December 2027)."""
    nominal_weekend_days: bool = False
    """Also skip the weekend day a bank holiday falls on (Saturday 25 December 2027)."""
    months: tuple[int, ...] = ()
    """Whole months, by name (``"august"``) or number (``8``)."""
    dates: tuple[date, ...] = ()

    @field_validator("months", mode="before")
    @classmethod
    def _month_numbers(cls, value: Any) -> Any:
        if not isinstance(value, list | tuple):
            return value
        return tuple(_month_number(item) for item in value)


def _month_number(item: Any) -> int:
    if isinstance(item, str) and item.strip().lower() in MONTHS:
        return MONTHS.index(item.strip().lower()) + 1
    if isinstance(item, int) and not isinstance(item, bool) and 1 <= item <= 12:
        return item
    raise ValueError(
        f'exclude.months has {item!r}: give month names such as "august" or numbers 1 to 12'
    )


class MeetingRules(BaseModel):
    """When a network meets: ``[networks.<slug>.meetings]`` in ``pspn.toml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    frequency: Literal["weekly", "monthly"]
    interval: int = Field(default=1, ge=1, le=52)
    """Weeks between meetings (weekly rules only)."""
    week_of_month: int | None = None
    """1 to 4, or -1 for the last such weekday of the month (monthly rules only)."""
    weekday: str
    slots: tuple[Slot, ...] = Field(min_length=1)
    slot_order: Literal["alternate", "fixed"] = "alternate"
    starts_on: date
    """The first date a meeting may fall on; ``alternate`` counts slots from here."""
    duration_minutes: int = Field(ge=1, le=1440)
    timezone: str = "Europe/London"
    exclude: Exclusions = Exclusions()
    on_clash: Literal["skip", "next_week"] = "skip"
    agenda_size: int = Field(default=3, ge=0, le=50)
    location: str = ""
    url: str = ""
    public_calendar: Literal["refuse", "date_and_slot"] = "refuse"
    """What to do when the forum calendar is not private to the network:
    ``refuse`` publishes nothing (the default); ``date_and_slot`` publishes
    each meeting's date, time and slot only: no chair, agenda, link or place."""

    @field_validator("weekday", mode="before")
    @classmethod
    def _known_weekday(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in WEEKDAYS:
            return value.strip().lower()
        raise ValueError(f'weekday {value!r} is not a day of the week: use e.g. "tuesday"')

    @field_validator("week_of_month")
    @classmethod
    def _week_in_range(cls, value: int | None) -> int | None:
        if value is not None and value not in (1, 2, 3, 4, -1):
            raise ValueError(
                f"week_of_month {value} is not allowed: use 1 to 4, or -1 for the last "
                "such weekday of the month (not every month has a fifth)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long
            raise ValueError(
                f'timezone {value!r} is not a known IANA time zone: use e.g. "Europe/London"'
            ) from None
        return value

    @field_validator("slots")
    @classmethod
    def _unique_slot_names(cls, value: tuple[Slot, ...]) -> tuple[Slot, ...]:
        names = [slot.name for slot in value]
        if len(set(names)) != len(names):
            raise ValueError(f"slots have repeated names {names}: give every slot its own name")
        return value

    @model_validator(mode="after")
    def _can_meet(self) -> MeetingRules:
        if self.frequency == "monthly" and self.week_of_month is None:
            raise ValueError("monthly meetings need week_of_month: 1 to 4, or -1 for the last")
        if self.frequency == "weekly" and self.week_of_month is not None:
            raise ValueError("week_of_month is for monthly meetings: remove it or use monthly")
        if self.frequency == "monthly" and self.interval != 1:
            raise ValueError("interval is for weekly meetings: remove it or use weekly")
        if self.slot_order == "fixed" and len(self.slots) > 1:
            raise ValueError(
                'slot_order "fixed" holds every meeting in one slot: list one slot, '
                'or use "alternate" to take the slots in turn'
            )
        if len(set(self.exclude.months)) == 12:
            raise ValueError(
                "exclude.months excludes all twelve months, so no meeting can ever be held: "
                "remove some months"
            )
        return self

    @property
    def weekday_number(self) -> int:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return WEEKDAYS.index(self.weekday)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class OnlineConfig(BaseModel):
    """``[networks.<slug>.online]``: where a network meets online, and what comes back."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    platform: str | None = None
    """The meeting platform (``local``, ``teams``); ``hub.platform`` when not given."""
    topic_prefix: str = Field(default="Topic:", min_length=1, max_length=40)
    """A chat message starting with this (any case) raises a topic for the next agenda."""
    small_numbers: int = Field(default=5, ge=0, le=50)
    """Attendance counts from 1 to this are shown as "fewer than"; 0 shows every count."""


class MeetingStatus(enum.StrEnum):
    PLANNED = "planned"
    MOVED = "moved"
    CANCELLED = "cancelled"


class Meeting(BaseModel):
    """One meeting of a network.

    ``uid`` comes from the network and ``original_date`` and never changes; a move or
    a cancellation keeps it and raises ``sequence`` by one. ``start`` and ``end`` are
    aware datetimes in the network's zone.
    """

    model_config = ConfigDict(frozen=True)

    uid: str
    network: str
    original_date: date
    start: datetime
    end: datetime
    slot: str
    chair: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    sequence: int = Field(default=0, ge=0)
    agenda: tuple[str, ...] = ()
    cancel_reason: str = ""

    @model_validator(mode="after")
    def _aware_and_ordered(self) -> Meeting:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("meeting start and end must carry a time zone")
        if self.end <= self.start:
            raise ValueError("meeting end must be after its start")
        return self

    def in_zone(self, timezone: str) -> Meeting:
        """The same meeting with its times in the named zone (e.g. after reading it back
        from JSON or SQLite, which keep only the UTC offset); calendars need the zone."""
        zone = ZoneInfo(timezone)
        return self.model_copy(
            update={"start": self.start.astimezone(zone), "end": self.end.astimezone(zone)}
        )


class Topic(BaseModel):
    """A topic raised for a network's meetings; ``used_in`` is the meeting uid once used."""

    model_config = ConfigDict(frozen=True)

    id: int
    network: str
    title: str = Field(min_length=1)
    raised_by: str | None = None
    raised_at: datetime
    votes: int = Field(default=0, ge=0)
    used_in: str | None = None


@dataclass(frozen=True)
class Collection:
    """What was brought back from one meeting's platform: never who said what.

    :param note_id: the draft note made of the transcript and chat.
    :param topics: how many topics the chat raised for the next agenda.
    :param candidates: anonymised questions left unanswered, offered in review.
    :param attendance: counts only (see :func:`pspn_core.meetings.collect.attendance_counts`).
    """

    uid: str
    note_id: int | None
    topics: int
    candidates: tuple[str, ...]
    attendance: dict[str, object] | None
    collected_at: datetime
