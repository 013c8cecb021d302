"""Bringing a meeting back from its platform: transcript and chat as one draft note,
topics raised in the chat, and attendance as counts.

The note is made exactly as ``pspn notes add`` makes one (raw text encrypted,
anonymised, a draft waiting for review): nothing is published here. Topics are
anonymised and stored with nobody as their author; questions left unanswered
are offered to the reviewer as candidates. Collecting a meeting twice adds
nothing: the store records each collection, and a run that stopped half-way
reuses the note it made.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from pspn_core.errors import OperationError, Remedy
from pspn_core.meetings.chat import (
    attendance_counts,
    chat_topics,
    note_text,
    unanswered_questions,
)
from pspn_core.meetings.model import Collection, Meeting, MeetingStatus
from pspn_core.networks.model import Network
from pspn_core.notes.keys import KeyRing
from pspn_core.notes.model import Note
from pspn_core.notes.service import NoteStorage, add_note, anonymise_for, hub_roster
from pspn_core.plugins import Plugins
from pspn_core.ports import MeetingPlatform, PlatformMeeting

__all__ = ["CollectOutcome", "CollectStatus", "CollectStorage", "collect_due", "collect_meeting"]


class CollectStorage(NoteStorage, Protocol):
    """The part of the store collecting needs (:class:`~pspn_core.store.SqliteStore`)."""

    def meetings(self, network: str) -> list[Meeting]: ...
    def notes(self, network: str | None = None) -> list[Note]: ...
    def online_meeting(self, uid: str, platform: str) -> PlatformMeeting | None: ...
    def collection(self, uid: str) -> Collection | None: ...
    def begin_collection(self, uid: str) -> datetime: ...
    def record_collection(
        self,
        meeting: Meeting,
        *,
        note_id: int,
        topics: Sequence[str],
        candidates: Sequence[str],
        attendance: Mapping[str, object] | None,
    ) -> Collection: ...


class CollectStatus(enum.StrEnum):
    COLLECTED = "collected"
    ALREADY = "already collected"
    NOT_READY = "not ready"


@dataclass(frozen=True)
class CollectOutcome:
    """What collecting one meeting did; ``reason`` says why when it did nothing."""

    uid: str
    status: CollectStatus
    reason: str = ""
    note_id: int | None = None
    topics: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    attendance: Mapping[str, object] | None = field(default=None)


def collect_meeting(
    network: Network,
    uid: str,
    *,
    store: CollectStorage,
    platform: MeetingPlatform,
    platform_name: str,
    keys: KeyRing,
    plugins: Plugins,
    now: datetime,
    without_transcript: bool = False,
) -> CollectOutcome:
    """Collect meeting ``uid``: one draft note, its topics and attendance, once.

    A meeting not over yet, or whose transcript the platform has not finished,
    is ``NOT_READY`` (try again later), not an error. ``without_transcript``
    collects the chat alone, for a meeting that was never transcribed.
    """
    meeting = store.meeting(uid)
    if meeting.network != network.slug:
        raise OperationError(f"meeting {uid} belongs to {meeting.network!r}, not {network.slug!r}")
    done = store.collection(uid)
    if done is not None:
        return CollectOutcome(uid, CollectStatus.ALREADY, note_id=done.note_id)
    if meeting.status is MeetingStatus.CANCELLED:
        raise OperationError(f"meeting {uid} was cancelled; there is nothing to collect")
    held = store.online_meeting(uid, platform_name)
    if held is None:
        raise OperationError(
            f"meeting {uid} has no online meeting on {platform_name!r}",
            remedy=Remedy("publish-meetings"),
        )
    if meeting.end > now:
        return CollectOutcome(uid, CollectStatus.NOT_READY, "the meeting has not ended yet")
    transcript = platform.transcript(held)
    if transcript is None and not without_transcript:
        return CollectOutcome(
            uid,
            CollectStatus.NOT_READY,
            f"the transcript is not ready on {platform_name} yet; try again later",
        )
    messages = list(platform.chat(held))
    attendance = platform.attendance(held)
    started = store.begin_collection(uid)
    note_id = _note_made_since(store, network.slug, uid, started)
    if note_id is None:
        note, _ = add_note(
            network,
            note_text(transcript, messages),
            store=store,
            keys=keys,
            plugins=plugins,
            by=f"collected from {platform_name}",
            meeting_uid=uid,
        )
        note_id = note.id
    roster = hub_roster(store)
    prefix = network.online.topic_prefix

    def anonymised(texts: Sequence[str]) -> list[str]:
        return [anonymise_for(network, t, plugins, roster, "text").text for t in texts]

    topics = anonymised(chat_topics(messages, prefix))
    candidates = anonymised(unanswered_questions(messages, prefix))
    counts = (
        None if attendance is None else attendance_counts(attendance, network.online.small_numbers)
    )
    store.record_collection(
        meeting, note_id=note_id, topics=topics, candidates=candidates, attendance=counts
    )
    return CollectOutcome(
        uid,
        CollectStatus.COLLECTED,
        note_id=note_id,
        topics=tuple(topics),
        candidates=tuple(candidates),
        attendance=counts,
    )


def _note_made_since(store: CollectStorage, network: str, uid: str, since: datetime) -> int | None:
    for note in store.notes(network):
        if note.meeting_uid == uid and note.created_at >= since:
            return note.id
    return None


def collect_due(
    network: Network,
    *,
    store: CollectStorage,
    platform: MeetingPlatform,
    platform_name: str,
    keys: KeyRing,
    plugins: Plugins,
    now: datetime,
) -> list[CollectOutcome]:
    """Collect every meeting that has ended, is held on the platform and is not collected."""
    outcomes = []
    for meeting in store.meetings(network.slug):
        if (
            meeting.end > now
            or meeting.status is MeetingStatus.CANCELLED
            or store.online_meeting(meeting.uid, platform_name) is None
            or store.collection(meeting.uid) is not None
        ):
            continue
        outcomes.append(
            collect_meeting(
                network,
                meeting.uid,
                store=store,
                platform=platform,
                platform_name=platform_name,
                keys=keys,
                plugins=plugins,
                now=now,
            )
        )
    return outcomes
