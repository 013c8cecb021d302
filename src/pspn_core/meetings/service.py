"""Planning, changing and publishing a network's meetings, and their agendas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from pspn_core.errors import InputError, OperationError
from pspn_core.meetings.agenda import select_agenda
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus, Topic
from pspn_core.meetings.rota import Volunteer
from pspn_core.meetings.scheduling import plan_meetings
from pspn_core.membership.model import Member
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import CalendarEvent, EventStatus, Forum

__all__ = [
    "MeetingStorage",
    "PlanResult",
    "calendar_event",
    "cancel_meeting",
    "local_datetime",
    "move_meeting",
    "plan",
    "publish_meetings",
    "rules_of",
    "set_next_agenda",
]


class MeetingStorage(Protocol):
    """The part of the store these use cases need (:class:`~pspn_core.store.SqliteStore`)."""

    def members(self, network: str) -> list[Member]: ...
    def meetings(self, network: str) -> list[Meeting]: ...
    def meeting(self, uid: str) -> Meeting: ...
    def add_meetings(self, meetings: Iterable[Meeting]) -> list[Meeting]: ...
    def update_meeting(self, meeting: Meeting) -> None: ...
    def volunteers(self, network: str) -> list[Volunteer]: ...
    def topics(self, network: str) -> list[Topic]: ...
    def use_topics(self, meeting: Meeting, topics: Sequence[Topic]) -> None: ...
    def unpublished_meetings(self, network: str) -> list[tuple[Meeting, str | None]]: ...
    def mark_meeting_published(self, uid: str, forum_id: str, sequence: int) -> None: ...


@dataclass(frozen=True)
class PlanResult:
    meetings: list[Meeting]
    """Every stored meeting in the window asked for."""
    added: list[Meeting]
    """The meetings this run planned."""


def rules_of(network: Network) -> MeetingRules:
    if network.meetings is None:
        raise OperationError(
            f"the network {network.slug!r} has no meeting rules; add a "
            f"[networks.{network.slug}.meetings] table to the config"
        )
    return network.meetings


#: The dates a plan may cover, and its longest span (as ``meetings plan --months``).
FIRST_PLANNABLE = date(1970, 1, 1)
LAST_PLANNABLE = date(2999, 12, 31)
MAX_PLAN_MONTHS = 240


def plan(
    network: Network, store: MeetingStorage, plugins: Plugins, start: date, end: date
) -> PlanResult:
    """Plan the network's meetings from ``start`` to ``end`` (inclusive) and store them.

    Idempotent: meetings already stored keep their UIDs, chairs and changes.
    """
    if end < start:
        raise InputError(f"the plan ends ({end}) before it starts ({start}); swap the dates")
    if not (start >= FIRST_PLANNABLE and end <= LAST_PLANNABLE):
        raise InputError(
            f"plan meetings between {FIRST_PLANNABLE} and {LAST_PLANNABLE}; "
            f"{start} to {end} is outside that"
        )
    if (end.year - start.year) * 12 + end.month - start.month > MAX_PLAN_MONTHS:
        raise InputError(
            f"plan at most {MAX_PLAN_MONTHS // 12} years at once; {start} to {end} is longer"
        )
    rules = rules_of(network)
    existing = store.meetings(network.slug)
    planned = plan_meetings(
        network.slug,
        rules,
        existing,
        start,
        end,
        volunteers=store.volunteers(network.slug),
        history=(),
        extra_exclusions=plugins.meeting_exclusions(network, start, end),
    )
    known = {meeting.uid for meeting in existing}
    added = store.add_meetings(m for m in planned if m.uid not in known)
    for meeting in added:
        plugins.meeting_scheduled(network, meeting)
    window = [m for m in planned if start <= m.start.date() <= end]
    return PlanResult(window, added)


def local_datetime(text: str, timezone: str) -> datetime:
    """Parse ``2027-03-16T18:30`` (or with a space) as a wall-clock time in ``timezone``.

    Refuses a time the clocks skip or repeat, and a time with its own offset that
    disagrees with the zone.
    """
    try:
        naive = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not a date and time; write it like 2027-03-16T18:30"
        ) from None
    zone = ZoneInfo(timezone)
    if naive.tzinfo is not None:
        return naive.astimezone(zone)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise InputError(
            f"{text} does not exist in {timezone} (the clocks go forward); pick another time"
        )
    if first.utcoffset() != second.utcoffset():
        raise InputError(f"{text} happens twice in {timezone} (the clocks go back); pick another")
    return first


def move_meeting(
    network: Network, store: MeetingStorage, plugins: Plugins, uid: str, to: datetime
) -> Meeting:
    """Move a meeting to ``to``; it keeps its UID, slot and chair, and SEQUENCE grows."""
    meeting = _own_meeting(network, store, uid)
    if meeting.status is MeetingStatus.CANCELLED:
        raise OperationError(f"meeting {uid} is cancelled; it cannot be moved")
    duration = meeting.end - meeting.start
    zone = meeting.start.tzinfo
    start = to.astimezone(zone)
    if start == meeting.start:
        raise OperationError(f"meeting {uid} already starts at {start:%Y-%m-%d %H:%M}")
    moved = meeting.model_copy(
        update={
            "start": start,
            "end": (start.astimezone(UTC) + duration).astimezone(zone),
            "status": MeetingStatus.MOVED,
            "sequence": meeting.sequence + 1,
        }
    )
    store.update_meeting(moved)
    plugins.meeting_changed(network, moved)
    return moved


def cancel_meeting(
    network: Network, store: MeetingStorage, plugins: Plugins, uid: str, reason: str = ""
) -> Meeting:
    """Cancel a meeting; it keeps its slot, so later meetings do not shift."""
    meeting = _own_meeting(network, store, uid)
    if meeting.status is MeetingStatus.CANCELLED:
        raise OperationError(f"meeting {uid} is already cancelled")
    cancelled = meeting.model_copy(
        update={
            "status": MeetingStatus.CANCELLED,
            "sequence": meeting.sequence + 1,
            "cancel_reason": reason,
        }
    )
    store.update_meeting(cancelled)
    plugins.meeting_changed(network, cancelled)
    return cancelled


def set_next_agenda(
    network: Network, store: MeetingStorage, now: datetime, uid: str | None = None
) -> tuple[Meeting, list[Topic]] | None:
    """Give the next meeting (or meeting ``uid``) the top topics; ``None`` if none is due.

    A meeting that already has its agenda keeps it.
    """
    if uid is not None:
        meeting = _own_meeting(network, store, uid)
        if meeting.status is MeetingStatus.CANCELLED:
            raise OperationError(f"meeting {uid} is cancelled; it needs no agenda")
    else:
        upcoming = [
            m
            for m in store.meetings(network.slug)
            if m.start >= now and m.status is not MeetingStatus.CANCELLED
        ]
        if not upcoming:
            return None
        meeting = upcoming[0]
    if meeting.agenda:
        return meeting, []
    topics = select_agenda(store.topics(network.slug), rules_of(network).agenda_size)
    if not topics:
        return meeting, []
    updated = meeting.model_copy(
        update={"agenda": tuple(t.title for t in topics), "sequence": meeting.sequence + 1}
    )
    store.use_topics(updated, topics)
    return updated, topics


def calendar_event(network: Network, meeting: Meeting, chair_name: str | None) -> CalendarEvent:
    """The forum calendar event for ``meeting``, keyed by its UID."""
    rules = rules_of(network)
    lines = [f"Chair: {chair_name or 'to be confirmed'}"]
    if meeting.agenda:
        lines += ["Agenda:", *(f"- {item}" for item in meeting.agenda)]
    if meeting.status is MeetingStatus.CANCELLED:
        lines.insert(0, f"Cancelled. {meeting.cancel_reason}".strip())
    if rules.url:
        lines.append(f"Join: {rules.url}")
    zone = meeting.start.tzinfo
    return CalendarEvent(
        key=meeting.uid,
        title=f"{network.name} ({meeting.slot})",
        start=meeting.start,
        end=meeting.end,
        description="\n".join(lines),
        status=EventStatus.CANCELLED
        if meeting.status is MeetingStatus.CANCELLED
        else EventStatus.CONFIRMED,
        timezone=getattr(zone, "key", rules.timezone),
        location=rules.location,
    )


def publish_meetings(
    network: Network, store: MeetingStorage, forum: Forum, *, only: Sequence[str] = ()
) -> list[Meeting]:
    """Send new and changed meetings to the forum calendar; returns what was sent.

    One event per meeting, keyed by its UID: a second run sends nothing, a move
    or a cancellation updates the same event. Each meeting is recorded as sent
    right after the forum accepts it, so an interrupted run is finished by
    running it again.
    """
    names = {m.username: m.display_name for m in store.members(network.slug)}
    sent = []
    for meeting, forum_id in store.unpublished_meetings(network.slug):
        if only and meeting.uid not in only:
            continue
        chair = names.get(meeting.chair, "a former member") if meeting.chair else None
        event = calendar_event(network, meeting, chair)
        new_id = forum.publish_event(event, known_id=forum_id)
        store.mark_meeting_published(meeting.uid, new_id, meeting.sequence)
        sent.append(meeting)
    return sent


def _own_meeting(network: Network, store: MeetingStorage, uid: str) -> Meeting:
    meeting = store.meeting(uid)
    if meeting.network != network.slug:
        raise OperationError(f"meeting {uid} belongs to {meeting.network!r}, not {network.slug!r}")
    return meeting
