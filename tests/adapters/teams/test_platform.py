"""The Teams platform against the fake Graph: create once, update, cancel, bring back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from pspn_adapters.teams import mapping
from pspn_adapters.teams.adapter import TeamsPlatform
from pspn_adapters.teams.fake import FakeGraph
from pspn_core.errors import AuthenticationFailed, ForumUnavailable
from pspn_core.ports import MeetingPlatform, OnlineMeeting

UID = "pspn-north-20270112@pspn"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Lovelock>Welcome, everyone.</v>\n"

Make = Callable[..., OnlineMeeting]


def test_it_is_a_meeting_platform(platform: TeamsPlatform) -> None:
    assert isinstance(platform, MeetingPlatform)


def test_a_meeting_is_a_calendar_event_with_a_teams_meeting_keyed_by_our_uid(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    held = platform.publish_meeting(meeting())
    [event] = fake.tenant.events.values()
    assert event["isOnlineMeeting"] is True
    assert event["onlineMeetingProvider"] == "teamsForBusiness"
    assert event["transactionId"] == mapping.transaction_id(UID)
    assert event["start"] == {"dateTime": "2027-01-12T18:30:00", "timeZone": "UTC"}
    assert held.platform_id == event["id"]
    assert held.join_url == event["onlineMeeting"]["joinUrl"]
    online = fake.tenant.meeting_of(event)
    assert (held.meeting_id, held.chat_id) == (online.id, online.thread_id)
    assert platform.find_meeting(UID) == held
    assert platform.find_meeting("pspn-north-20270209@pspn") is None


def test_publishing_again_without_the_stored_ids_finds_the_event_and_creates_nothing(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    first = platform.publish_meeting(meeting())
    again = platform.publish_meeting(meeting())  # as if the store had lost the ids
    assert again == first
    assert len(fake.tenant.events) == 1
    assert fake.count("POST", "/events") == 1


def test_a_move_patches_the_event_and_moves_its_online_meeting(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    held = platform.publish_meeting(meeting())
    moved = platform.publish_meeting(meeting(day=13), known=held)
    assert moved == held
    assert fake.count("PATCH") == 1
    online = fake.tenant.meeting_of(fake.tenant.events[held.platform_id])
    assert online.start == "2027-01-13T18:30:00Z"


def test_a_cancellation_goes_through_graphs_cancel_and_can_be_repeated(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    held = platform.publish_meeting(meeting())
    platform.cancel_meeting(held, "strike day")
    platform.cancel_meeting(held, "strike day")
    assert fake.tenant.events[held.platform_id]["isCancelled"] is True
    del fake.tenant.events[held.platform_id]  # deleted in Outlook since
    platform.cancel_meeting(held)


def test_no_transcript_yet_is_none_then_the_vtt_comes_back(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    held = platform.publish_meeting(meeting())
    assert platform.transcript(held) is None
    assert platform.attendance(held) is None
    assert list(platform.chat(held)) == []
    fake.tenant.finish_meeting(UID, transcript=VTT, attendance=[3600, 1200, 90])
    assert platform.transcript(held) == VTT
    attendance = platform.attendance(held)
    assert attendance is not None
    assert attendance.durations == (
        timedelta(hours=1),
        timedelta(minutes=20),
        timedelta(seconds=90),
    )


def test_chat_is_read_page_by_page_oldest_first_without_system_events(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    held = platform.publish_meeting(meeting())
    ids = fake.tenant.finish_meeting(
        UID,
        chat=[
            ("Ada Lovelock", "<p>Topic: learning from deaths</p>"),
            ("Bram Stokeley", "Has anyone used the templates?"),
            ("Cleo Wainwright", "Is the leaflet ready?"),
            ("Dev Patelson", "Yes, next week.", ""),
            ("Edie Kowalczyk", "<p>It is.</p>", ""),
        ],
    )
    fake.tenant.chats[held.chat_id][-1]["attachments"] = [
        {"id": ids[2], "contentType": "messageReference", "content": "{}"}
    ]
    messages = list(platform.chat(held))
    assert [m.author for m in messages] == [
        "Ada Lovelock",
        "Bram Stokeley",
        "Cleo Wainwright",
        "Dev Patelson",
        "Edie Kowalczyk",
    ]
    assert messages[-1].reply_to == ids[2]
    assert fake.count("GET", "/messages") == 3  # six items (one a system event), two a page
    unknown = replace(held, meeting_id="", chat_id="")  # as if unreadable when published
    assert len(list(platform.chat(unknown))) == 5


def test_a_dropped_create_is_looked_up_before_it_is_tried_again(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    fake.drop_next(method="POST", path="/events")
    held = platform.publish_meeting(meeting())
    assert len(fake.tenant.events) == 1
    assert fake.count("POST", "/events") == 1  # found by the look-up: no second create
    assert held.platform_id in fake.tenant.events


def test_a_create_refused_with_503_is_looked_up_then_retried_once(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    fake.fail_next(503, method="POST", path="/events")
    platform.publish_meeting(meeting())
    assert len(fake.tenant.events) == 1
    assert fake.count("POST", "/events") == 2
    fake.fail_next(503, method="POST", path="/events", times=2)
    with pytest.raises(ForumUnavailable):
        platform.publish_meeting(meeting("pspn-north-20270209@pspn", day=14))
    assert len(fake.tenant.events) == 1


def test_throttling_waits_as_long_as_graph_says(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make, sleeps: list[float]
) -> None:
    fake.fail_next(429, retry_after=7, method="POST", path="/events")
    fake.fail_next(503, retry_after=3, method="GET", path="/onlineMeetings")
    platform.publish_meeting(meeting())
    assert sleeps == [7.0, 3.0]
    assert len(fake.tenant.events) == 1


def test_a_missing_permission_or_policy_is_named(
    fake: FakeGraph, platform: TeamsPlatform, meeting: Make
) -> None:
    fake.tenant.denied.add("Calendars.ReadWrite")
    with pytest.raises(AuthenticationFailed, match=r"application permission Calendars\.ReadWrite"):
        platform.publish_meeting(meeting())
    fake.tenant.denied.clear()
    held = platform.publish_meeting(meeting())
    fake.tenant.denied.add("OnlineMeetingTranscript.Read.All")
    with pytest.raises(AuthenticationFailed, match=r"OnlineMeetingTranscript\.Read\.All"):
        platform.transcript(held)
    fake.tenant.denied.clear()
    fake.tenant.application_access_policy = False
    with pytest.raises(AuthenticationFailed, match="Grant-CsApplicationAccessPolicy"):
        platform.attendance(held)
