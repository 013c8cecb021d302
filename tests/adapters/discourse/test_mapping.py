"""Pure translation between Discourse JSON (payload files) and pspn's types."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters.discourse import mapping
from pspn_adapters.discourse.fake.state import EVENT_BLOCK, Site, parse_event
from pspn_core.ports import CalendarEvent, EventStatus, Privacy

PAYLOADS = Path(__file__).parent / "payloads"
LONDON = ZoneInfo("Europe/London")


def payload(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_members_are_read_leniently() -> None:
    users = [mapping.user_from_member(m) for m in payload("members_page.json")["members"]]
    assert [(u.username, u.display_name, u.forum_id) for u in users] == [
        ("alice.example", "Alice Example", "14"),
        ("bob.example", "", "15"),
    ]


def test_requesters_become_join_requests_keyed_on_the_user() -> None:
    found = [
        mapping.join_request_from_requester(m) for m in payload("requesters_page.json")["members"]
    ]
    assert [(r.request_id, r.user.username, r.message) for r in found] == [
        ("21", "carol.example", "I lead incident reviews at work."),
        ("22", "dan.example", ""),
    ]


@pytest.mark.parametrize(
    ("name", "privacy", "reason"),
    [
        ("category_private.json", Privacy.PRIVATE, "only by 'north-network'"),
        ("category_public.json", Privacy.PUBLIC, "everyone"),
        ("category_shared.json", Privacy.PUBLIC, "trust_level_1"),
        ("category_without_permissions.json", Privacy.UNKNOWN, "did not say"),
        ("category_staff_only.json", Privacy.UNKNOWN, "no access"),
    ],
)
def test_category_privacy(name: str, privacy: Privacy, reason: str) -> None:
    check = mapping.privacy_of_category(payload(name)["category"], "north-network")
    assert check.privacy is privacy
    assert reason in check.reason


def test_a_category_without_read_restricted_is_unknown() -> None:
    check = mapping.privacy_of_category({"id": 9, "group_permissions": []}, "north-network")
    assert check.privacy is Privacy.UNKNOWN


@pytest.mark.parametrize(
    ("location", "topic_id"),
    [
        ("https://forum.example.org/t/north-network-notes/123.json?page=", 123),
        ("/t/north-network-notes/123.json?page=", 123),
        ("/t/123.json", 123),
        ("/t/2025/77.json?page=", 77),
        ("/latest", None),
        ("", None),
    ],
)
def test_topic_id_from_the_redirect(location: str, topic_id: int | None) -> None:
    assert mapping.topic_id_from_location(location) == topic_id


def test_external_ids_fit_discourse_rules() -> None:
    assert mapping.external_id("note-2025-10-north") == "note-2025-10-north"
    for key in ("Note-Upper", "meeting/2025-10-02", "x" * 51, "note 1"):
        made = mapping.external_id(key)
        assert re.fullmatch(r"[a-z0-9_-]{1,50}", made), made
        assert made == mapping.external_id(key)
    assert mapping.external_id("Note-A") != mapping.external_id("note-b")


def _meeting(**changes: Any) -> CalendarEvent:
    start = datetime(2030, 7, 9, 18, 30, tzinfo=LONDON)  # BST: 17:30 UTC
    values: dict[str, Any] = {
        "key": "meeting-1",
        "title": 'North "network" meeting [July]',
        "start": start,
        "end": start + timedelta(hours=1),
        "description": "Agenda: handover checklists.",
        "location": "Online",
    }
    return CalendarEvent(**(values | changes))


def test_event_markup_is_private_to_the_group_in_london_time() -> None:
    raw = mapping.event_markup(_meeting(), "north-network")
    assert raw.startswith('[event start="2030-07-09 18:30" end="2030-07-09 19:30"')
    assert 'timezone="Europe/London" status="private" allowedGroups="north-network"' in raw
    assert "name=\"North 'network' meeting (July)\"" in raw
    assert "Agenda: handover checklists.\n[/event]" in raw


def test_event_markup_reads_back_as_the_same_times() -> None:
    forum = Site()
    forum.add_group("north-network")
    for start in (
        datetime(2030, 1, 8, 12, 30, tzinfo=LONDON),
        datetime(2030, 7, 9, 17, 30, tzinfo=UTC),
    ):
        event = _meeting(start=start, end=start + timedelta(minutes=90))
        block = EVENT_BLOCK.search(mapping.event_markup(event, "north-network"))
        assert block is not None
        parsed = parse_event(block, forum)
        assert (parsed["starts_at"], parsed["ends_at"]) == (event.start, event.end)
        assert parsed["raw_invitees"] == ["north-network"]


def test_a_cancelled_event_is_closed_and_says_so() -> None:
    raw = mapping.event_markup(_meeting(status=EventStatus.CANCELLED), "north-network")
    assert 'name="Cancelled: North' in raw
    assert 'closed="true"' in raw
    assert "cancelled" in raw.split("[/event]")[1]


def test_event_title_is_dated_in_the_events_zone() -> None:
    late = datetime(2030, 7, 9, 23, 30, tzinfo=UTC)  # already the 10th in London
    event = _meeting(start=late, end=late + timedelta(hours=1))
    assert mapping.event_title(event) == 'North "network" meeting [July] — 2030-07-10'
