"""Planning, changing and publishing a network's meetings, and their agendas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from pspn_core.errors import InputError, OperationError, PrivacyNotVerified, Remedy
from pspn_core.meetings.agenda import select_agenda
from pspn_core.meetings.model import Meeting, MeetingRules, MeetingStatus, Topic
from pspn_core.meetings.rota import ChairRecord, Volunteer, assign_chairs
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
    "change_chair",
    "local_datetime",
    "move_meeting",
    "plan",
    "public_calendar_event",
    "publish_meetings",
    "reassign_chairs",
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
    def join_urls(self, network: str) -> dict[str, str]: ...


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
        extra_exclusions=plugins.meeting_exclusions(network, min(rules.starts_on, start), end),
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


def change_chair(
    network: Network,
    store: MeetingStorage,
    plugins: Plugins,
    uid: str,
    to: str,
    *,
    now: datetime,
    force: bool = False,
) -> Meeting:
    """Hand a meeting that has not yet been held to member ``to``; SEQUENCE grows.

    :param force: even if ``to`` does not volunteer to chair the meeting's slot.
    """
    meeting = _future_meeting(network, store, uid, now)
    member = _member(network, store, to)
    if meeting.chair is not None and meeting.chair.casefold() == member.casefold():
        raise OperationError(f"{member} already chairs meeting {uid}")
    can = {v.name.casefold(): v.slots for v in store.volunteers(network.slug)}
    if not force and meeting.slot not in can.get(member.casefold(), frozenset()):
        raise OperationError(
            f"{member} does not volunteer to chair {meeting.slot} meetings",
            remedy=Remedy("volunteer-or-force", {"member": member, "slot": meeting.slot}),
        )
    return _rechair(network, store, plugins, meeting, member)


def reassign_chairs(
    network: Network, store: MeetingStorage, plugins: Plugins, *, now: datetime, member: str | None
) -> list[Meeting]:
    """Chairs from the rota again for meetings not yet held, from the first that needs one.

    A meeting needs a new chair when ``member`` chairs it (they are left out of the
    rota), or, without ``member``, when its chair no longer volunteers for its slot
    or it has none. The rota runs again from that meeting on, continuing from
    every meeting before it, so counts stay within one and nobody chairs twice in
    a row when someone else can. Only meetings whose chair changes are stored
    (SEQUENCE grows) and returned.
    """
    volunteers = store.volunteers(network.slug)
    if member is not None:
        member = _member(network, store, member)
        volunteers = [v for v in volunteers if v.name.casefold() != member.casefold()]
    meetings = [m for m in store.meetings(network.slug) if m.status is not MeetingStatus.CANCELLED]
    due = [
        i for i, m in enumerate(meetings) if m.start > now and _needs_chair(m, volunteers, member)
    ]
    if not due:
        return []
    before, after = meetings[: due[0]], meetings[due[0] :]
    history = [ChairRecord(m.chair, m.start.date()) for m in before if m.chair]
    chairs = assign_chairs([(m.start.date(), m.slot) for m in after], volunteers, history)
    return [
        _rechair(network, store, plugins, meeting, chair)
        for meeting, chair in zip(after, chairs, strict=True)
        if chair != meeting.chair
    ]


def _needs_chair(meeting: Meeting, volunteers: Sequence[Volunteer], member: str | None) -> bool:
    chair = (meeting.chair or "").casefold()
    if member is not None:
        return chair == member.casefold()
    return not any(v.name.casefold() == chair and meeting.slot in v.slots for v in volunteers)


def _rechair(
    network: Network, store: MeetingStorage, plugins: Plugins, meeting: Meeting, chair: str | None
) -> Meeting:
    changed = meeting.model_copy(update={"chair": chair, "sequence": meeting.sequence + 1})
    store.update_meeting(changed)
    plugins.meeting_changed(network, changed)
    return changed


def _member(network: Network, store: MeetingStorage, username: str) -> str:
    """The stored spelling of a member's username, or an error naming the network."""
    for member in store.members(network.slug):
        if member.username.casefold() == username.strip().casefold():
            return member.username
    raise InputError(
        f"{username!r} is not a member of {network.slug!r}",
        remedy=Remedy("list-members", {"network": network.slug}),
    )


def _future_meeting(network: Network, store: MeetingStorage, uid: str, now: datetime) -> Meeting:
    meeting = _own_meeting(network, store, uid)
    if meeting.status is MeetingStatus.CANCELLED:
        raise OperationError(f"meeting {uid} is cancelled; it needs no chair")
    if meeting.start <= now:
        raise OperationError(
            f"meeting {uid} began on {meeting.start:%Y-%m-%d %H:%M}; "
            "only meetings not yet held change chair"
        )
    return meeting


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


def calendar_event(
    network: Network, meeting: Meeting, chair_name: str | None, *, join_url: str = ""
) -> CalendarEvent:
    """The forum calendar event for ``meeting``, keyed by its UID.

    ``join_url`` is the meeting platform's joining link; without one, the rules' ``url``.
    """
    rules = rules_of(network)
    lines = [f"Chair: {chair_name or 'to be confirmed'}"]
    if meeting.agenda:
        lines += ["Agenda:", *(f"- {item}" for item in meeting.agenda)]
    if meeting.status is MeetingStatus.CANCELLED:
        lines.insert(0, f"Cancelled. {meeting.cancel_reason}".strip())
    link = join_url or rules.url
    if link:
        lines.append(f"Join: {link}")
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
        location=f"{rules.location} ({join_url})"
        if rules.location and join_url
        else rules.location or join_url,
    )


def public_calendar_event(network: Network, meeting: Meeting) -> CalendarEvent:
    """What a calendar everyone can read may show of ``meeting``: its date, time and slot.

    No chair, agenda, joining link or place: only what the network's meeting
    rules (``public_calendar = "date_and_slot"``) declare public.
    """
    full = calendar_event(network, meeting, None)
    cancelled = meeting.status is MeetingStatus.CANCELLED
    return CalendarEvent(
        key=full.key,
        title=full.title,
        start=full.start,
        end=full.end,
        description="Cancelled." if cancelled else "Details are shared with members only.",
        status=full.status,
        timezone=full.timezone,
        public=True,
    )


def publish_meetings(
    network: Network, store: MeetingStorage, forum: Forum, *, only: Sequence[str] = ()
) -> list[Meeting]:
    """Send new and changed meetings to the forum calendar; returns what was sent.

    One event per meeting, keyed by its UID: a second run sends nothing, a move
    or a cancellation updates the same event. Each meeting is recorded as sent
    right after the forum accepts it, so an interrupted run is finished by
    running it again. A meeting held on a platform carries its joining link
    (see :func:`pspn_core.meetings.online.sync_online_meetings`, run first).

    The calendar must be private to the network (checked now, fail closed),
    unless the network's meeting rules allow a public calendar to show the date
    and slot only; then that is all that is sent (never the joining link). The
    forum checks each write again where it lands.
    """
    rules = rules_of(network)
    pending = [
        (meeting, forum_id)
        for meeting, forum_id in store.unpublished_meetings(network.slug)
        if not only or meeting.uid in only
    ]
    if not pending:
        return []
    check = forum.check_calendar_privacy()
    public = not check.is_private
    if public and rules.public_calendar != "date_and_slot":
        raise PrivacyNotVerified(
            f"refusing to publish the meetings of {network.slug!r}: {check.reason}. Nothing "
            "was posted: a meeting shows its chair, agenda and joining link. Make the "
            "calendar private to the network's group, or let the network's meeting rules "
            'publish the date and slot only (public_calendar = "date_and_slot")'
        )
    names = {m.username: m.display_name for m in store.members(network.slug)}
    links = store.join_urls(network.slug)
    sent = []
    for meeting, forum_id in pending:
        chair = names.get(meeting.chair, "a former member") if meeting.chair else None
        event = (
            public_calendar_event(network, meeting)
            if public
            else calendar_event(network, meeting, chair, join_url=links.get(meeting.uid, ""))
        )
        new_id = forum.publish_event(event, known_id=forum_id)
        store.mark_meeting_published(meeting.uid, new_id, meeting.sequence)
        sent.append(meeting)
    return sent


def _own_meeting(network: Network, store: MeetingStorage, uid: str) -> Meeting:
    meeting = store.meeting(uid)
    if meeting.network != network.slug:
        raise OperationError(f"meeting {uid} belongs to {meeting.network!r}, not {network.slug!r}")
    return meeting
