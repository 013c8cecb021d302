"""The Invision adapter beyond the contract suite: group networks, webhooks, repairs."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings, mapping
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.join_requests import JoinRequestInbox
from pspn_core.errors import AdapterNotFound
from pspn_core.ports import CalendarEvent, Post, Privacy

START = datetime(2030, 3, 12, 12, 30, tzinfo=UTC)
MEETING = CalendarEvent("meeting-1", "North meeting", START, START + timedelta(hours=1), "Agenda")


@pytest.fixture
def group(fake: FakeInvision) -> int:
    return fake.add_group("North network")


@pytest.fixture
def group_forum(
    fake: FakeInvision, client: InvisionClient, bot: int, group: int, inbox: JoinRequestInbox
) -> InvisionForum:
    network = InvisionNetworkSettings(
        group_id=group,
        notes_forum_id=fake.add_forum("North notes", view=f"{group},4"),
        calendar_id=fake.add_calendar("Meetings", view=f"{group},4"),
        acting_member_id=bot,
        staff_group_ids=(4,),
    )
    return InvisionForum(client, network, inbox)


def test_settings_need_exactly_one_of_club_and_group() -> None:
    common = {"notes_forum_id": 1, "calendar_id": 2, "acting_member_id": 3}
    with pytest.raises(ValueError, match="exactly one"):
        InvisionNetworkSettings(**common)
    with pytest.raises(ValueError, match="exactly one"):
        InvisionNetworkSettings(club_id=1, group_id=2, **common)


def test_group_network_members_are_paged(
    fake: FakeInvision, group_forum: InvisionForum, group: int
) -> None:
    for number in range(25):
        ident = fake.add_member(f"member{number:02}.example")
        if number % 2 == 0:
            fake.state.members[ident].secondary_groups.add(group)
    seen: list[tuple[int, int | None]] = []
    group_forum.progress = lambda done, total: seen.append((done, total))
    assert len(list(group_forum.members())) == 13
    assert seen == [(10, 13), (13, 13)]


def test_group_network_add_and_remove(
    fake: FakeInvision, group_forum: InvisionForum, group: int
) -> None:
    ident = fake.add_member("alice.example")
    group_forum.add_member("alice.example")
    assert group in fake.state.members[ident].secondary_groups
    group_forum.remove_member("alice.example")
    assert group not in fake.state.members[ident].secondary_groups


def test_group_notes_forum_privacy(fake: FakeInvision, group_forum: InvisionForum) -> None:
    assert group_forum.check_notes_privacy().privacy is Privacy.PRIVATE
    fake.set_forum(group_forum.target.notes_forum_id, view="*")
    assert group_forum.check_notes_privacy().privacy is Privacy.PUBLIC
    fake.set_forum(group_forum.target.notes_forum_id, view="3,4")
    assert group_forum.check_notes_privacy().privacy is Privacy.PUBLIC


def test_group_notes_forum_missing_fails_closed(
    fake: FakeInvision, client: InvisionClient, bot: int, group: int, inbox: JoinRequestInbox
) -> None:
    for number in range(12):  # the forum list is paged: every page is read
        fake.add_forum(f"Forum {number}")
    network = InvisionNetworkSettings(
        group_id=group, notes_forum_id=99, calendar_id=1, acting_member_id=bot
    )
    check = InvisionForum(client, network, inbox).check_notes_privacy()
    assert check.privacy is Privacy.UNKNOWN
    assert "99" in check.reason


def test_public_club_area_is_not_private(fake: FakeInvision, forum: InvisionForum) -> None:
    fake.set_forum(forum.target.notes_forum_id, public=True)
    assert forum.check_notes_privacy().privacy is Privacy.PUBLIC


def dave_asks_to_join(fake: FakeInvision, forum: InvisionForum) -> tuple[int, int]:
    """Dave asks to join the network's club; the webhook reaches the adapter."""
    club = forum.target.club_id
    assert club is not None
    dave = fake.add_member("dave.example")
    fake.request_join(club, dave)
    for event_key, payload in fake.take_webhooks():
        assert forum.receive_webhook(event_key, payload)
    return club, dave


def test_join_request_accepted_on_the_forum_leaves_the_list(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    club, dave = dave_asks_to_join(fake, forum)
    assert [r.user.username for r in forum.join_requests()] == ["dave.example"]
    fake.set_club_status(club, dave, "member")  # a club leader accepted in the browser
    assert forum.join_requests() == []


def test_webhooks_settle_requests_and_ignore_other_clubs(
    fake: FakeInvision, forum: InvisionForum, bot: int
) -> None:
    club = forum.target.club_id
    assert club is not None
    other = fake.add_club("South network", owner=bot)
    dave, erin = fake.add_member("dave.example"), fake.add_member("erin.example")
    fake.request_join(club, dave)
    fake.request_join(other, erin)
    changed = [forum.receive_webhook(k, p) for k, p in fake.take_webhooks()]
    assert changed == [True, False]
    fake.set_club_status(club, dave, "declined")
    club_json = fake.state.render_club(fake.state.clubs[club], people=False)
    member_json = fake.state.render_member(fake.state.members[dave])
    forum.receive_webhook("club_member_removed", {"club": club_json, "member": member_json})
    assert forum.join_requests() == []


def test_declining_someone_who_left_the_site_is_fine(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    _, dave = dave_asks_to_join(fake, forum)
    (request,) = forum.join_requests()
    del fake.state.members[dave]
    forum.decline_request(request)
    assert forum.inbox.pending() == []


def test_an_event_turned_all_day_by_a_bad_edit_is_recreated(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    first = forum.publish_event(MEETING)
    fake.state.events[int(first)].end = None  # what an edit without "end" does
    second = forum.publish_event(MEETING, known_id=first)
    assert second != first
    (event,) = fake.events_containing(mapping.marker("event", MEETING.key))
    assert event.end == MEETING.end.replace(tzinfo=None)


def test_known_id_of_someone_elses_topic_is_not_trusted(
    fake: FakeInvision, forum: InvisionForum, client: InvisionClient, bot: int
) -> None:
    stranger = client.create_topic(forum.target.notes_forum_id, bot, "Other", "<p>other</p>")
    note = Post("note-1", "Notes", "Our note")
    published = forum.publish_post(note, known_id=str(stranger["id"]))
    assert published != str(stranger["id"])
    assert len(fake.topics_containing(mapping.marker("note", "note-1"))) == 1


def test_a_changed_note_becomes_a_new_topic_that_replaces_the_old(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    """Issue 14 item 9: Invision cannot edit posts, so a new version says what it replaces."""
    old = forum.publish_post(Post("note-1", "Notes", "First text"))
    new = forum.publish_post(Post("note-1", "Notes", "Second text"), known_id=old)
    assert new != old
    assert forum.find_post("note-1") == new
    first, second = (fake.state.topics[int(t)] for t in (old, new))
    assert "First text" in first.posts[0].content
    assert f"replaced by an updated version: topic {new}" in first.posts[1].content
    assert f"replaces the earlier version in topic {old}" in second.posts[0].content
    again = forum.publish_post(Post("note-1", "Notes", "Second text"), known_id=old)
    assert again == new
    assert len(fake.topics_containing(mapping.marker("note", "note-1"))) == 2


def test_a_note_tidied_by_the_site_still_counts_as_the_same(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    note = Post("note-1", "Notes", "First & only text")
    topic = forum.publish_post(note)
    stored = fake.state.topics[int(topic)].posts[0]
    stored.content = stored.content.replace("<p>", '<p class="ipsType">\n')
    assert forum.publish_post(note) == topic


def test_unknown_names_are_not_found(forum: InvisionForum, fake: FakeInvision) -> None:
    fake.add_member("alice.example.longer")
    with pytest.raises(AdapterNotFound, match=r"alice\.example"):
        forum.remove_member("alice.example")


def test_webhooks_are_recognised_by_the_registering_key(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    ours = "Basic " + base64.b64encode(f"{fake.api_key}:".encode()).decode()
    theirs = "Basic " + base64.b64encode(b"someone-else:").decode()
    assert forum.webhook_is_ours(ours)
    assert not forum.webhook_is_ours(theirs)
    assert not forum.webhook_is_ours(None)


def test_declining_someone_already_let_in_keeps_them(
    fake: FakeInvision, forum: InvisionForum
) -> None:
    club, dave = dave_asks_to_join(fake, forum)
    (request,) = forum.join_requests()
    fake.set_club_status(club, dave, "moderator")  # a leader let Dave in, webhook lost
    forum.decline_request(request)
    forum.accept_request(request)
    assert fake.club_status(club, dave) == "moderator"
