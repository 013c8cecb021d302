"""The adapter contract suite: what any forum adapter must do to be called conformant.

An adapter author writes a *harness*, the :class:`~pspn_core.ports.Forum`
under test plus a back door into the forum behind it, and subclasses
:class:`ForumContract` in a test module::

    import pytest
    from pspn_core.testing import ForumContract

    class TestMyForumContract(ForumContract):
        @pytest.fixture
        def harness(self, tmp_path):
            with MyForumHarness(tmp_path) as harness:   # satisfies ForumHarness
                yield harness

pytest then runs every ``test_*`` below against that adapter: members and
join requests, privacy verification that fails closed, idempotent publishing
of notes and events (twice, and after a lost response: still one), moving and
cancelling events, private messages, and errors in the ``AdapterError``
family. The harness starts each test with an empty group, a private notes
area and an empty calendar. This module imports only ``pspn_core`` and pytest.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

import pytest

from pspn_core.config import example_config
from pspn_core.errors import AdapterError, PrivacyNotVerified
from pspn_core.ports import CalendarEvent, EventStatus, Forum, Post, Privacy

__all__ = ["EventSnapshot", "ForumContract", "ForumHarness", "write_hub_config"]

LONDON = ZoneInfo("Europe/London")

TomlValue = str | int | float | bool


def write_hub_config(
    folder: Path,
    *,
    forum: str,
    network_forum: Mapping[str, TomlValue],
    tables: Mapping[str, Mapping[str, TomlValue]] | None = None,
) -> Path:
    """Write the example ``pspn.toml`` into ``folder``, pointed at another forum.

    ``forum`` becomes ``hub.forum``; ``network_forum`` replaces the example
    network's ``[networks.pspn.forum]`` table; each of ``tables`` is appended
    under its dotted name (``{"adapters.myforum": {"base_url": ...}}``).
    Returns the file's path.
    """

    def table(name: str, values: Mapping[str, TomlValue]) -> str:
        lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in values.items())
        return f"[{name}]\n{lines}"

    text = example_config().replace('forum = "local"', f"forum = {json.dumps(forum)}", 1)
    text = re.sub(
        r"\[networks\.pspn\.forum\]\n(?:[^\[\n].*\n)+",
        lambda _: table("networks.pspn.forum", network_forum),
        text,
        count=1,
    )
    text += "".join(f"\n{table(name, values)}" for name, values in (tables or {}).items())
    path = folder / "pspn.toml"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class EventSnapshot:
    """One calendar event as the forum holds it, read through the back door."""

    title: str
    start: datetime
    end: datetime
    cancelled: bool


@runtime_checkable
class ForumHarness(Protocol):
    """The adapter under test and a back door into the forum it talks to."""

    @property
    def forum(self) -> Forum:
        """The adapter, configured for one network (its group, notes area, calendar)."""
        ...

    def add_user(self, username: str, display_name: str = "") -> None:
        """Create a forum user who is not in the network's group."""
        ...

    def add_to_group(self, username: str) -> None:
        """Put an existing user into the network's group, bypassing the adapter."""
        ...

    def group_members(self) -> set[str]:
        """Usernames in the network's group, as the forum holds them."""
        ...

    def request_join(self, username: str, message: str = "") -> None:
        """Make ``username`` ask to join the network's group."""
        ...

    def pending_requests(self) -> set[str]:
        """Usernames whose join request is still pending."""
        ...

    def set_notes_privacy(self, privacy: Privacy) -> None:
        """Make the notes area private to the group, public, or impossible to verify."""
        ...

    def posts(self, key: str) -> list[str]:
        """The bodies of every post published under ``key`` in the notes area."""
        ...

    def events(self, key: str) -> list[EventSnapshot]:
        """Every calendar event published under ``key``."""
        ...

    def messages(self, username: str) -> list[str]:
        """The bodies of the private messages ``username`` has received."""
        ...

    def lose_next_response(self) -> None:
        """Let the next create be committed on the forum but its answer be lost."""
        ...


def _note(key: str = "note-2025-10-north", body: str = "") -> Post:
    body = body or "The network discussed handover checklists and agreed to pilot one."
    return Post(key=key, title="North network meeting notes — 2030-03-12", body=body)


def _meeting(
    key: str = "meeting-2030-03-12-north",
    *,
    day: int = 12,
    hour: int = 12,
    status: EventStatus = EventStatus.CONFIRMED,
) -> CalendarEvent:
    start = datetime(2030, 3, day, hour, 30, tzinfo=LONDON)
    return CalendarEvent(
        key=key,
        title="North network meeting",
        start=start,
        end=start + timedelta(hours=1),
        description="Agenda: handover checklists.",
        status=status,
    )


class ForumContract:
    """Subclass this in a test module and provide a ``harness`` fixture.

    Two limits of some forums' APIs can be declared, and are then tested as
    declared rather than skipped: set ``join_request_messages = False`` when
    join requests arrive without the applicant's message, and
    ``posts_are_editable = False`` when a published post cannot be edited (the
    adapter must then publish the changed note as a new post that says it
    replaces the old one, leave the old post's text as it was, and make
    :meth:`~pspn_core.ports.Forum.find_post` give the new one).
    """

    join_request_messages: bool = True
    posts_are_editable: bool = True

    # -- members ------------------------------------------------------------
    def test_members_lists_everyone_in_the_group(self, harness: ForumHarness) -> None:
        for username in ("alice.example", "bob.example", "outsider.example"):
            harness.add_user(username, username.split(".")[0].title())
        harness.add_to_group("alice.example")
        harness.add_to_group("bob.example")
        listed = {user.username: user for user in harness.forum.members()}
        assert set(listed) == harness.group_members()
        assert {"alice.example", "bob.example"} <= set(listed)
        assert "outsider.example" not in listed
        assert listed["alice.example"].display_name == "Alice"

    def test_add_and_remove_member_are_idempotent(self, harness: ForumHarness) -> None:
        harness.add_user("carol.example")
        harness.forum.add_member("carol.example")
        harness.forum.add_member("carol.example")
        assert "carol.example" in harness.group_members()
        harness.forum.remove_member("carol.example")
        harness.forum.remove_member("carol.example")
        assert "carol.example" not in harness.group_members()

    def test_join_requests_are_listed(self, harness: ForumHarness) -> None:
        harness.add_user("dave.example", "Dave")
        harness.request_join("dave.example", "I lead incident reviews.")
        requests = list(harness.forum.join_requests())
        assert [r.user.username for r in requests] == ["dave.example"]
        expected = "I lead incident reviews." if self.join_request_messages else ""
        assert requests[0].message == expected

    def test_accepting_admits_and_can_be_repeated(self, harness: ForumHarness) -> None:
        harness.add_user("erin.example")
        harness.request_join("erin.example", "Please let me in.")
        (request,) = harness.forum.join_requests()
        harness.forum.accept_request(request)
        harness.forum.accept_request(request)
        assert "erin.example" in harness.group_members()
        assert "erin.example" not in harness.pending_requests()

    def test_declining_leaves_out_and_can_be_repeated(self, harness: ForumHarness) -> None:
        harness.add_user("frank.example")
        harness.request_join("frank.example", "Please let me in.")
        (request,) = harness.forum.join_requests()
        harness.forum.decline_request(request)
        harness.forum.decline_request(request)
        assert "frank.example" not in harness.group_members()
        assert "frank.example" not in harness.pending_requests()
        assert list(harness.forum.join_requests()) == []

    # -- privacy ------------------------------------------------------------
    def test_private_notes_area_is_private(self, harness: ForumHarness) -> None:
        harness.set_notes_privacy(Privacy.PRIVATE)
        check = harness.forum.check_notes_privacy()
        assert check.privacy is Privacy.PRIVATE
        assert check.reason

    def test_public_notes_area_is_public(self, harness: ForumHarness) -> None:
        harness.set_notes_privacy(Privacy.PUBLIC)
        check = harness.forum.check_notes_privacy()
        assert check.privacy is Privacy.PUBLIC
        assert not check.is_private
        assert check.reason

    def test_unverifiable_notes_area_fails_closed(self, harness: ForumHarness) -> None:
        harness.set_notes_privacy(Privacy.UNKNOWN)
        check = harness.forum.check_notes_privacy()
        assert check.privacy is Privacy.UNKNOWN
        assert not check.is_private

    def test_a_note_is_not_written_into_an_area_that_is_not_private(
        self, harness: ForumHarness
    ) -> None:
        """Every write checks the place it lands in, at that moment (callers check too)."""
        for privacy in (Privacy.PUBLIC, Privacy.UNKNOWN):
            harness.set_notes_privacy(privacy)
            with pytest.raises(PrivacyNotVerified):
                harness.forum.publish_post(_note())
        assert harness.posts(_note().key) == []

    def test_a_private_calendar_is_private(self, harness: ForumHarness) -> None:
        check = harness.forum.check_calendar_privacy()
        assert check.privacy is Privacy.PRIVATE
        assert check.reason

    # -- notes --------------------------------------------------------------
    def test_find_post_of_unknown_key_is_none(self, harness: ForumHarness) -> None:
        assert harness.forum.find_post("note-never-published") is None

    def test_publishing_a_note_twice_leaves_one_post(self, harness: ForumHarness) -> None:
        note = _note()
        first = harness.forum.publish_post(note)
        second = harness.forum.publish_post(note, known_id=first)
        assert first == second == harness.forum.find_post(note.key)
        (body,) = harness.posts(note.key)
        assert note.body in body

    def test_republishing_a_changed_note_updates_it(self, harness: ForumHarness) -> None:
        first = harness.forum.publish_post(_note())
        changed = _note(body="Corrected: the network agreed to pilot two checklists.")
        if not self.posts_are_editable:
            second = harness.forum.publish_post(changed, known_id=first)
            assert second != first
            assert harness.forum.find_post(changed.key) == second
            old, new = harness.posts(changed.key)
            assert "pilot one" in old
            assert changed.body in new
            assert "pilot one" not in new
            assert harness.forum.publish_post(changed, known_id=second) == second
            return
        assert harness.forum.publish_post(changed) == first
        (body,) = harness.posts(changed.key)
        assert changed.body in body
        assert "pilot one" not in body

    def test_note_after_a_lost_response_is_published_once(self, harness: ForumHarness) -> None:
        note = _note()
        harness.lose_next_response()
        with contextlib.suppress(AdapterError):  # the answer was lost: run again
            harness.forum.publish_post(note)
        post_id = harness.forum.publish_post(note)
        assert harness.forum.find_post(note.key) == post_id
        assert len(harness.posts(note.key)) == 1

    # -- events -------------------------------------------------------------
    def test_publishing_an_event_twice_leaves_one_event(self, harness: ForumHarness) -> None:
        meeting = _meeting()
        first = harness.forum.publish_event(meeting)
        assert harness.forum.publish_event(meeting, known_id=first) == first
        assert harness.forum.find_event(meeting.key) == first
        (event,) = harness.events(meeting.key)
        assert (event.start, event.end) == (meeting.start, meeting.end)
        assert meeting.title in event.title
        assert not event.cancelled

    def test_find_event_of_unknown_key_is_none(self, harness: ForumHarness) -> None:
        assert harness.forum.find_event("meeting-never-published") is None

    def test_moving_an_event_updates_it(self, harness: ForumHarness) -> None:
        first = harness.forum.publish_event(_meeting())
        moved = _meeting(day=19, hour=18)
        assert harness.forum.publish_event(moved, known_id=first) == first
        (event,) = harness.events(moved.key)
        assert (event.start, event.end) == (moved.start, moved.end)

    def test_cancelling_an_event_keeps_one_cancelled_event(self, harness: ForumHarness) -> None:
        first = harness.forum.publish_event(_meeting())
        cancelled = _meeting(status=EventStatus.CANCELLED)
        assert harness.forum.publish_event(cancelled, known_id=first) == first
        (event,) = harness.events(cancelled.key)
        assert event.cancelled
        assert harness.forum.find_event(cancelled.key) == first

    def test_event_after_a_lost_response_is_published_once(self, harness: ForumHarness) -> None:
        meeting = _meeting()
        harness.lose_next_response()
        with contextlib.suppress(AdapterError):
            harness.forum.publish_event(meeting)
        event_id = harness.forum.publish_event(meeting)
        assert harness.forum.find_event(meeting.key) == event_id
        assert len(harness.events(meeting.key)) == 1

    def test_events_keep_their_own_keys(self, harness: ForumHarness) -> None:
        one = harness.forum.publish_event(_meeting("meeting-a"))
        two = harness.forum.publish_event(_meeting("meeting-b", day=19))
        assert one != two
        assert len(harness.events("meeting-a")) == len(harness.events("meeting-b")) == 1

    # -- messages -----------------------------------------------------------
    def test_send_message_reaches_the_user(self, harness: ForumHarness) -> None:
        harness.add_user("grace.example", "Grace")
        body = "Welcome to the north network. Your first meeting is on 12 March."
        assert harness.forum.send_message("grace.example", "Welcome to the network", body)
        assert any(body in message for message in harness.messages("grace.example"))

    # -- errors -------------------------------------------------------------
    def test_adding_an_unknown_user_is_an_adapter_error(self, harness: ForumHarness) -> None:
        with pytest.raises(AdapterError):
            harness.forum.add_member("nobody-by-this-name")

    def test_messaging_an_unknown_user_is_an_adapter_error(self, harness: ForumHarness) -> None:
        with pytest.raises(AdapterError):
            harness.forum.send_message("nobody-by-this-name", "Welcome to the network", "Hello!")
