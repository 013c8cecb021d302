"""Issue 14 on Invision: each write checks the place it lands in; setup checks every id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.join_requests import JoinRequestInbox
from pspn_core.errors import PrivacyNotVerified
from pspn_core.ports import CalendarEvent, Post, Privacy

START = datetime(2030, 3, 12, 12, 30, tzinfo=UTC)
MEETING = CalendarEvent("meeting-1", "North meeting", START, START + timedelta(hours=1), "Agenda")
REPORT = Post("pspn-survey-s1", "Survey results", "Twelve responses so far.")


def test_a_topic_moved_to_a_public_forum_gets_no_new_version(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    topic = forum.publish_post(REPORT)
    fake.state.topics[int(topic)].forum = fake.add_forum("Everyone")
    changed = Post(REPORT.key, REPORT.title, "Twenty responses now.")
    with pytest.raises(PrivacyNotVerified, match=f"topic {topic} has been moved.*not changed"):
        forum.publish_post(changed, known_id=topic)
    assert len(fake.state.topics[int(topic)].posts) == 1  # no reply either
    assert fake.topics_containing("Twenty responses") == []


def test_a_meeting_is_refused_in_a_public_club_calendar(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    fake.set_calendar(forum.target.calendar_id, public=True)
    assert forum.check_calendar_privacy().privacy is Privacy.PUBLIC
    with pytest.raises(PrivacyNotVerified, match="Nothing was posted"):
        forum.publish_event(MEETING)
    assert fake.state.events == {}
    public = CalendarEvent(MEETING.key, MEETING.title, START, MEETING.end, public=True)
    assert forum.publish_event(public)


def test_a_meeting_is_refused_in_a_calendar_every_group_can_view(
    fake: FakeInvision, client: InvisionClient, bot: int, inbox: JoinRequestInbox
) -> None:
    group = fake.add_group("North network")
    network = InvisionNetworkSettings(
        group_id=group,
        notes_forum_id=fake.add_forum("North notes", view=f"{group}"),
        calendar_id=fake.add_calendar("Everyone's meetings"),
        acting_member_id=bot,
    )
    forum = InvisionForum(client, network, inbox)
    with pytest.raises(PrivacyNotVerified, match="every group may see calendar"):
        forum.publish_event(MEETING)
    fake.set_calendar(network.calendar_id, view=str(group))
    assert forum.publish_event(MEETING)


def test_an_event_moved_to_a_public_calendar_is_not_changed(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    event_id = forum.publish_event(MEETING)
    fake.state.events[int(event_id)].calendar = fake.add_calendar("Open calendar")
    moved = CalendarEvent(
        MEETING.key, MEETING.title, START + timedelta(days=7), MEETING.end + timedelta(days=7)
    )
    with pytest.raises(PrivacyNotVerified, match="not changed"):
        forum.publish_event(moved, known_id=event_id)
    assert fake.state.events[int(event_id)].start.day == 12


def test_club_notes_are_accepted_from_documented_permissions(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    """Item 8: club nodes without the undocumented ``public`` are read by ``perm_view``."""
    fake.state.documented_names = True
    assert forum.check_notes_privacy().privacy is Privacy.PRIVATE
    assert forum.publish_post(REPORT)
    fake.set_forum(forum.target.notes_forum_id, public=True)
    assert forum.check_notes_privacy().privacy is Privacy.PUBLIC


def test_setup_check_is_clean_for_a_good_club(forum: InvisionForum) -> None:
    check = forum.check_setup()
    assert check.problems == ()
    assert any("notes_forum_id" in note for note in check.notes)


def test_setup_check_reports_every_wrong_id_at_once(
    fake: FakeInvision, client: InvisionClient, bot: int, inbox: JoinRequestInbox
) -> None:
    club = fake.add_club("North network", owner=bot, type="open")
    elsewhere = fake.add_forum("Elsewhere")
    bad = InvisionNetworkSettings(
        club_id=club, notes_forum_id=elsewhere, calendar_id=999, acting_member_id=998
    )
    problems = InvisionForum(client, bad, inbox).check_setup().problems
    assert len(problems) == 4, problems
    assert problems[0] == "acting_member_id = 998: Invision has no member 998"
    assert "the club is open" in problems[1]
    assert problems[2] == f"notes_forum_id = {elsewhere}: not a forum of club {club}"
    assert problems[3] == f"calendar_id = 999: not a calendar of club {club}"


def test_setup_check_names_an_endpoint_the_key_lacks(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    fake.denied.add("core_clubs_GETitem_nodes")
    (problem,) = forum.check_setup().problems
    assert "GET /core/clubs/{id}/nodes" in problem
    assert "grant" in problem


def test_setup_check_of_a_group_network(
    fake: FakeInvision, client: InvisionClient, bot: int, inbox: JoinRequestInbox
) -> None:
    category = fake.add_forum("Networks", type="category")
    bad = InvisionNetworkSettings(
        group_id=77,
        notes_forum_id=category,
        calendar_id=fake.add_calendar("C"),
        acting_member_id=bot,
    )
    problems = InvisionForum(client, bad, inbox).check_setup().problems
    assert problems == (
        "group_id = 77: Invision has no member group 77",
        f"notes_forum_id = {category}: it is a category, which takes no topics",
    )
