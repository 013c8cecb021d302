"""Reading Invision JSON (payloads/) and writing form fields: ``pspn_adapters.invision.mapping``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters.invision import mapping
from pspn_core.ports import CalendarEvent, EventStatus, Post, Privacy

PAYLOADS = Path(__file__).parent / "payloads"


def load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("value", "expected"), [(7, 7), ("7", 7), (" 12 ", 12), ("-1", -1)])
def test_integers_may_arrive_as_strings(value: object, expected: int) -> None:
    assert mapping.to_int(value) == expected


@pytest.mark.parametrize("value", ["seven", "7.5", None, True, ""])
def test_non_integers_are_refused(value: object) -> None:
    with pytest.raises(ValueError, match="integer"):
        mapping.to_int(value)


def test_member_as_4712_sends_it() -> None:
    member = load("member_4712.json")
    user = mapping.user(member)
    assert (user.username, user.display_name, user.forum_id) == ("alice.example",) * 2 + ("12",)
    assert mapping.member_time_zone(member) == "Europe/London"


def test_member_with_documented_names_and_string_ids() -> None:
    member = load("member_documented_string_ids.json")
    user = mapping.user(member, display_field=7)
    assert user.forum_id == "27"
    assert user.display_name == "bob.example"  # no custom fields (sent as an empty PHP array)
    assert mapping.member_time_zone(member) == "Europe/Dublin"


def test_display_name_comes_from_the_configured_profile_field() -> None:
    member = load("member_4712.json")
    assert mapping.user(member, display_field=7).display_name == "Alice Example"
    assert mapping.custom_field(member, 8) is None  # present but empty
    assert mapping.custom_field(member, 99) is None


@pytest.mark.parametrize("name", ["hello_4712.json", "hello_documented.json"])
def test_applications_under_either_name(name: str) -> None:
    assert mapping.applications(load(name))[:2] == ["core", "forums"]


def test_club_people_lists_everyone_once_with_string_ids() -> None:
    people = mapping.club_people(load("club_members.json"), display_field=7)
    assert [p.forum_id for p in people] == ["1", "14", "12", "27"]
    assert people[2].display_name == "Alice Example"


@pytest.mark.parametrize("kind", ["private", "closed"])
def test_forum_of_a_private_or_closed_club_is_private(kind: str) -> None:
    club = {**load("club_private.json"), "type": kind}
    check = mapping.club_privacy(club, load("club_nodes.json")["nodes"], 31)
    assert check.privacy is Privacy.PRIVATE
    assert kind in check.reason


@pytest.mark.parametrize("kind", ["public", "open", "readonly"])
def test_forum_of_a_club_anyone_can_read_is_public(kind: str) -> None:
    club = {**load("club_private.json"), "type": kind}
    assert (
        mapping.club_privacy(club, load("club_nodes.json")["nodes"], 31).privacy is Privacy.PUBLIC
    )


def test_public_area_of_a_private_club_is_public() -> None:
    check = mapping.club_privacy(load("club_private.json"), load("club_nodes.json")["nodes"], 32)
    assert check.privacy is Privacy.PUBLIC


def test_club_privacy_fails_closed() -> None:
    club, nodes = load("club_private.json"), load("club_nodes.json")["nodes"]
    assert mapping.club_privacy(club, nodes, 99).privacy is Privacy.UNKNOWN
    untyped = {k: v for k, v in club.items() if k != "type"}
    assert mapping.club_privacy(untyped, nodes, 31).privacy is Privacy.UNKNOWN
    silent = [
        {k: v for k, v in node.items() if k not in ("public", "permissions")} for node in nodes
    ]
    assert mapping.club_privacy(club, silent, 31).privacy is Privacy.UNKNOWN


def test_club_forum_permissions_are_read_as_documented() -> None:
    """Issue 14 item 8: a club node with ``perm_view`` and no ``public`` is judged by it."""
    club, nodes = load("club_private.json"), load("club_nodes.json")["nodes"]
    documented = [{k: v for k, v in node.items() if k != "public"} for node in nodes]
    check = mapping.club_privacy(club, documented, 31)
    assert check.privacy is Privacy.PRIVATE
    everyone = [{**node, "permissions": {"perm_view": "*", "perm_2": "*"}} for node in documented]
    assert mapping.club_privacy(club, everyone, 31).privacy is Privacy.PUBLIC
    staff = [{**node, "permissions": {"perm_view": "4", "perm_2": "4"}} for node in documented]
    assert mapping.club_privacy(club, staff, 31, staff_groups=[4]).privacy is Privacy.PRIVATE
    assert mapping.club_privacy(club, staff, 31).privacy is Privacy.PUBLIC
    contradicting = [{**node, "public": 1} for node in nodes]
    assert mapping.club_privacy(club, contradicting, 31).privacy is Privacy.PUBLIC


def test_club_calendar_privacy_reads_the_calendar_node() -> None:
    club, nodes = load("club_private.json"), load("club_nodes.json")["nodes"]
    check = mapping.club_privacy(club, nodes, 31, kind="calendar")
    assert check.privacy is Privacy.PUBLIC  # the payload's calendar node is public: 1
    assert "calendar 31" in check.reason


def test_forum_only_the_group_and_staff_can_see_is_private() -> None:
    forum = load("forum_group_only.json")
    assert mapping.forum_privacy(forum, 9, staff_groups=[4]).privacy is Privacy.PRIVATE
    assert mapping.forum_privacy(forum, 9).privacy is Privacy.PUBLIC  # group 4 is not ours


def test_forum_everyone_can_see_is_public() -> None:
    check = mapping.forum_privacy(load("forum_everyone.json"), 9)
    assert check.privacy is Privacy.PUBLIC
    assert "every group" in check.reason


def test_forum_privacy_fails_closed() -> None:
    assert mapping.forum_privacy(load("forum_no_permissions.json"), 9).privacy is Privacy.UNKNOWN
    nobody = {**load("forum_group_only.json"), "permissions": {"perm_view": "", "perm_2": ""}}
    assert mapping.forum_privacy(nobody, 9).privacy is Privacy.UNKNOWN
    garbled = {**load("forum_group_only.json"), "permissions": {"perm_view": "9,x"}}
    assert mapping.forum_privacy(garbled, 9).privacy is Privacy.UNKNOWN


def test_markers_do_not_match_a_longer_key_and_cannot_close_the_comment() -> None:
    assert not mapping.has_marker(
        mapping.marker("note", "note:42"), mapping.marker("note", "note:4")
    )
    tricky = mapping.marker("note", "a-->b <x>")
    assert tricky.count("-->") == 1
    assert tricky.endswith(" -->")


def test_topic_found_by_its_note_marker() -> None:
    topic = load("topic_with_marker.json")
    content = topic["firstPost"]["content"]
    assert mapping.has_marker(content, mapping.marker("note", "note-2025-10-north"))
    assert not mapping.has_marker(content, mapping.marker("note", "note-2025-11-north"))
    assert mapping.to_int(topic["id"]) == 301


def test_note_html_escapes_text_and_carries_the_marker() -> None:
    html = mapping.note_html(Post("k1", "Notes", "A <b> & B\nline two\n\nNext paragraph"))
    assert html == (
        mapping.marker("note", "k1") + "<p>A &lt;b&gt; &amp; B<br>line two</p><p>Next paragraph</p>"
    )


def test_event_fields_are_utc_and_always_carry_start_end_and_description() -> None:
    london = ZoneInfo("Europe/London")
    start = datetime(2030, 7, 9, 18, 30, tzinfo=london)  # British Summer Time
    event = CalendarEvent("m1", "Meeting", start, start + timedelta(hours=1), "Agenda")
    fields = mapping.event_fields(event, calendar_id=3, author_id=1)
    assert fields["start"] == "2030-07-09T17:30:00Z"
    assert fields["end"] == "2030-07-09T18:30:00Z"
    assert fields["description"].startswith(mapping.marker("event", "m1"))
    assert {"calendar", "author", "title"} <= set(fields)
    assert not mapping.event_is_cancelled(fields)


def test_cancelled_event_says_so_in_title_and_description() -> None:
    start = datetime(2030, 3, 12, 11, 30, tzinfo=UTC)
    event = CalendarEvent(
        "m1", "Meeting", start, start + timedelta(hours=1), status=EventStatus.CANCELLED
    )
    fields = mapping.event_fields(event, calendar_id=3, author_id=1)
    assert fields["title"] == "Cancelled: Meeting"
    assert mapping.event_is_cancelled(fields)


def test_cancelled_event_payload_is_read_back() -> None:
    event = load("event_cancelled.json")
    assert mapping.event_is_cancelled(event)
    assert mapping.has_marker(
        event["description"], mapping.marker("event", "meeting-2030-03-12-north")
    )
    assert mapping.parse_time(event["start"]) == datetime(2030, 3, 12, 11, 30, tzinfo=UTC)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        mapping.utc_text(datetime(2030, 1, 1, 12, 0))


def test_webhook_join_request_for_our_club() -> None:
    payload = load("webhook_club_member_added.json")
    change = mapping.join_request_change("club_member_added", payload, club_id=5)
    assert change is not None
    requested, user = change
    assert requested
    assert (user.username, user.forum_id) == ("dave.example", "41")


def test_webhook_settles_or_ignores() -> None:
    payload = load("webhook_club_member_added.json")
    assert mapping.join_request_change("club_member_added", payload, club_id=6) is None
    assert mapping.join_request_change("member_create", payload, club_id=5) is None
    accepted = {**payload, "status": "member"}
    assert mapping.join_request_change("club_member_added", accepted, club_id=5) == (
        False,
        mapping.user(payload["member"]),
    )
    removed = mapping.join_request_change("club_member_removed", payload, club_id=5)
    assert removed is not None
    assert removed[0] is False
