"""Faults on the wire: whatever happens, a rerun leaves exactly one topic and one event."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings, mapping
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.join_requests import JoinRequestInbox
from pspn_core.errors import ForumUnavailable
from pspn_core.ports import CalendarEvent, Post
from tests.adapters.invision.conftest import make_client

NOTE = Post("note-2030-03-north", "North network notes", "We agreed to pilot a checklist.")
START = datetime(2030, 3, 12, 12, 30, tzinfo=UTC)
MEETING = CalendarEvent("meeting-2030-03-12", "North meeting", START, START + timedelta(hours=1))
CREATES = ("POST /forums/topics", "POST /calendar/events")


def publish_both(forum: InvisionForum) -> tuple[str, str]:
    return forum.publish_post(NOTE), forum.publish_event(MEETING)


def assert_one_of_each(fake: FakeInvision) -> None:
    assert len(fake.topics_containing(mapping.marker("note", NOTE.key))) == 1
    assert len(fake.events_containing(mapping.marker("event", MEETING.key))) == 1


@pytest.mark.parametrize("match", CREATES)
def test_429_is_waited_out_as_told(
    fake: FakeInvision, forum: InvisionForum, sleeps: list[float], match: str
) -> None:
    fake.faults.fail(429, retry_after=7, match=match)
    publish_both(forum)
    assert sleeps == [7.0]
    assert_one_of_each(fake)


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_a_create_fails_the_run_and_a_rerun_publishes_once(
    fake: FakeInvision, forum: InvisionForum, status: int
) -> None:
    for match in CREATES:
        fake.faults.fail(status, match=match)
    with pytest.raises(ForumUnavailable) as caught:
        forum.publish_post(NOTE)
    assert caught.value.status == status
    with pytest.raises(ForumUnavailable):
        forum.publish_event(MEETING)
    assert fake.topics_containing(mapping.marker("note", NOTE.key)) == []
    first = publish_both(forum)
    assert publish_both(forum) == first
    assert_one_of_each(fake)


def test_5xx_on_reads_is_retried_with_backoff(
    fake: FakeInvision, forum: InvisionForum, sleeps: list[float]
) -> None:
    fake.faults.fail(503, times=2, match="GET /forums/topics")
    fake.faults.fail(502, match="GET /calendar/events")
    publish_both(forum)
    assert sleeps == [0.5, 1.0, 0.5]
    assert_one_of_each(fake)


def test_a_slow_answer_within_the_timeout_is_just_slow(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    fake.faults.slow(0.3, match="POST /forums/topics")
    publish_both(forum)
    assert_one_of_each(fake)


@pytest.fixture
def impatient(
    fake: FakeInvision, club_network: InvisionNetworkSettings, inbox: JoinRequestInbox
) -> Iterator[InvisionForum]:
    """A forum whose client waits only half a second for an answer."""
    client = make_client(fake.url, fake.api_key, [], timeout=(1.0, 0.5))
    yield InvisionForum(client, club_network, inbox)
    client.close()


def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the slow write never arrived"
        time.sleep(0.05)


def test_an_answer_slower_than_the_timeout_is_never_duplicated(
    fake: FakeInvision, impatient: InvisionForum
) -> None:
    """The server commits after we stopped waiting: we must not create a second copy."""
    for match in CREATES:
        fake.faults.slow(1.0, match=match)
    with pytest.raises(ForumUnavailable):
        impatient.publish_post(NOTE)
    with pytest.raises(ForumUnavailable):
        impatient.publish_event(MEETING)
    _wait_for(lambda: len(fake.state.topics) == 1 and len(fake.state.events) == 1)
    first = publish_both(impatient)
    assert publish_both(impatient) == first
    assert_one_of_each(fake)


def test_a_dropped_connection_after_commit_is_recovered(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    for match in CREATES:
        fake.faults.drop_after_commit(match=match)
    first = publish_both(forum)
    assert publish_both(forum) == first
    assert_one_of_each(fake)


def test_a_dropped_answer_to_an_edit_is_retried(fake: FakeInvision, forum: InvisionForum) -> None:
    event_id = forum.publish_event(MEETING)
    week = timedelta(days=7)
    moved = CalendarEvent(MEETING.key, MEETING.title, START + week, MEETING.end + week)
    fake.faults.drop_after_commit(match=f"POST /calendar/events/{event_id}")
    assert forum.publish_event(moved, known_id=event_id) == event_id
    (event,) = fake.events_containing(mapping.marker("event", MEETING.key))
    assert event.start == (START + week).replace(tzinfo=None)
