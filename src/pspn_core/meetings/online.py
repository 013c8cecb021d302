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
from dataclasses import dataclass
from typing import Protocol

from pspn_core.errors import AdapterError
from pspn_core.meetings.model import Meeting, MeetingStatus
from pspn_core.networks.model import Network
from pspn_core.ports import MeetingPlatform, OnlineMeeting, PlatformMeeting

__all__ = ["OnlineStorage", "SyncReport", "online_meeting", "sync_online_meetings"]


class OnlineStorage(Protocol):
    """The part of the store syncing needs (:class:`~pspn_core.store.SqliteStore`)."""

    def online_meetings_to_sync(
        self, network: str, platform: str
    ) -> list[tuple[Meeting, PlatformMeeting | None]]: ...
    def record_online_meeting(
        self, uid: str, platform: str, held: PlatformMeeting, sequence: int
    ) -> None: ...


@dataclass
class SyncReport:
    """What syncing did, and the platform's error if it stopped early.

    The first platform error stops the run (a refused permission or a throttled
    tenant would refuse every meeting); what was done before it is recorded,
    and running again carries on from there.
    """

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    failed: AdapterError | None = None

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.cancelled


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
) -> SyncReport:
    """Create, update or cancel the platform's meetings, recording each as it is done."""
    report = SyncReport()
    for meeting, known in store.online_meetings_to_sync(network.slug, platform_name):
        if only and meeting.uid not in only:
            continue
        try:
            if meeting.status is MeetingStatus.CANCELLED:
                assert known is not None  # the store leaves out cancelled meetings never held
                platform.cancel_meeting(known, meeting.cancel_reason)
                held = known
            else:
                held = platform.publish_meeting(online_meeting(network, meeting), known=known)
        except AdapterError as error:
            report.failed = error
            return report
        store.record_online_meeting(meeting.uid, platform_name, held, meeting.sequence)
        if meeting.status is MeetingStatus.CANCELLED:
            report.cancelled += 1
        elif known is None:
            report.created += 1
        else:
            report.updated += 1
    return report
