"""Holding a network's meetings on its meeting platform (Teams, or the embedded local one).

One online meeting per planned meeting, keyed by the meeting's UID: the store
records where the platform holds it and at which SEQUENCE, so a second run sends
nothing, a move updates the same meeting and a cancellation cancels it. Each
meeting is recorded right after the platform accepts it; a run interrupted
between the two is finished by running it again, and the platform's own look-up
by UID keeps that retry from creating a second meeting.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pspn_core.meetings.model import Meeting, MeetingStatus
from pspn_core.networks.model import Network
from pspn_core.ports import MeetingPlatform, OnlineMeeting, PlatformMeeting

__all__ = ["OnlineStorage", "online_meeting", "sync_online_meetings"]


class OnlineStorage(Protocol):
    """The part of the store syncing needs (:class:`~pspn_core.store.SqliteStore`)."""

    def online_meetings_to_sync(
        self, network: str, platform: str
    ) -> list[tuple[Meeting, PlatformMeeting | None]]: ...
    def record_online_meeting(
        self, uid: str, platform: str, held: PlatformMeeting, sequence: int
    ) -> None: ...


def online_meeting(network: Network, meeting: Meeting) -> OnlineMeeting:
    """What the platform is asked to hold for ``meeting``: no names, only the agenda."""
    lines = [f"{network.name}: {meeting.slot} meeting."]
    if meeting.agenda:
        lines += ["Agenda:", *(f"- {item}" for item in meeting.agenda)]
    lines.append(f"pspn meeting {meeting.uid}")
    zone = getattr(meeting.start.tzinfo, "key", "Europe/London")
    return OnlineMeeting(
        key=meeting.uid,
        title=f"{network.name} ({meeting.slot})",
        start=meeting.start,
        end=meeting.end,
        description="\n".join(lines),
        timezone=str(zone),
    )


def sync_online_meetings(
    network: Network,
    store: OnlineStorage,
    platform: MeetingPlatform,
    platform_name: str,
    *,
    only: Sequence[str] = (),
) -> dict[str, int]:
    """Create, update or cancel the platform's meetings; returns counts by what was done."""
    done = {"created": 0, "updated": 0, "cancelled": 0}
    for meeting, known in store.online_meetings_to_sync(network.slug, platform_name):
        if only and meeting.uid not in only:
            continue
        if meeting.status is MeetingStatus.CANCELLED:
            assert known is not None  # the store leaves out cancelled meetings never held
            platform.cancel_meeting(known, meeting.cancel_reason)
            held = known
            done["cancelled"] += 1
        else:
            held = platform.publish_meeting(online_meeting(network, meeting), known=known)
            done["updated" if known is not None else "created"] += 1
        store.record_online_meeting(meeting.uid, platform_name, held, meeting.sequence)
    return done
