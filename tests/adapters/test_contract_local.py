"""The adapter contract suite, run against the embedded local forum through ``LocalHub``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from pspn_adapters.local import LocalForum, LocalHub, LocalNetworkSettings
from pspn_core.errors import ForumUnavailable
from pspn_core.ports import (
    CalendarEvent,
    EventStatus,
    ForumUser,
    JoinRequest,
    Post,
    Privacy,
    PrivacyCheck,
)
from pspn_core.testing import EventSnapshot, ForumContract, ForumHarness

SETTINGS = LocalNetworkSettings(
    group="north-network", notes_area="north-notes", calendar="north-meetings"
)


class LossyForum:
    """The local forum, but the answer to one armed create is lost after it is committed."""

    def __init__(self, inner: LocalForum) -> None:
        self.inner = inner
        self.armed = False

    def _lose(self) -> None:
        if self.armed:
            self.armed = False
            raise ForumUnavailable("the answer was lost after the write was committed")

    def members(self) -> Iterable[ForumUser]:
        return self.inner.members()

    def join_requests(self) -> Iterable[JoinRequest]:
        return self.inner.join_requests()

    def accept_request(self, request: JoinRequest) -> None:
        self.inner.accept_request(request)

    def decline_request(self, request: JoinRequest) -> None:
        self.inner.decline_request(request)

    def add_member(self, username: str) -> None:
        self.inner.add_member(username)

    def remove_member(self, username: str) -> None:
        self.inner.remove_member(username)

    def check_notes_privacy(self) -> PrivacyCheck:
        return self.inner.check_notes_privacy()

    def check_calendar_privacy(self) -> PrivacyCheck:
        return self.inner.check_calendar_privacy()

    def find_post(self, key: str) -> str | None:
        return self.inner.find_post(key)

    def publish_post(self, post: Post, *, known_id: str | None = None) -> str:
        found = self.inner.publish_post(post, known_id=known_id)
        self._lose()
        return found

    def find_event(self, key: str) -> str | None:
        return self.inner.find_event(key)

    def publish_event(self, event: CalendarEvent, *, known_id: str | None = None) -> str:
        found = self.inner.publish_event(event, known_id=known_id)
        self._lose()
        return found

    def send_message(self, username: str, subject: str, body: str) -> str:
        return self.inner.send_message(username, subject, body)


class LocalHarness:
    """The contract suite's back door into the local forum."""

    def __init__(self, db_path: Path) -> None:
        self.hub = LocalHub(db_path)
        self.hub.create_group(SETTINGS.group)
        self.hub.create_area(SETTINGS.notes_area, visibility="private", group=SETTINGS.group)
        self.hub.create_calendar(SETTINGS.calendar)
        self._forum = LossyForum(LocalForum(self.hub, SETTINGS))

    @property
    def forum(self) -> LossyForum:
        return self._forum

    def add_user(self, username: str, display_name: str = "") -> None:
        self.hub.create_user(username, display_name)

    def add_to_group(self, username: str) -> None:
        self.hub.execute(
            "INSERT INTO lf_group_members (group_id, user_id) VALUES (?, ?)",
            (self.hub.group_id(SETTINGS.group), self.hub.user_id(username)),
        )
        self.hub.conn.commit()

    def group_members(self) -> set[str]:
        return set(self.hub.group_members(SETTINGS.group))

    def request_join(self, username: str, message: str = "") -> None:
        self.hub.request_join(SETTINGS.group, username, message)

    def pending_requests(self) -> set[str]:
        rows = self.hub.execute(
            "SELECT u.username FROM lf_join_requests r JOIN lf_users u ON u.id = r.user_id"
            " WHERE r.status = 'pending'"
        ).fetchall()
        return {str(row["username"]) for row in rows}

    def set_notes_privacy(self, privacy: Privacy) -> None:
        visibility = {Privacy.PRIVATE: "private", Privacy.PUBLIC: "public"}.get(privacy, "unknown")
        group = SETTINGS.group if privacy is Privacy.PRIVATE else None
        self.hub.create_area(SETTINGS.notes_area, visibility=visibility, group=group)  # type: ignore[arg-type]

    def posts(self, key: str) -> list[str]:
        return [p.body for p in self.hub.posts(SETTINGS.notes_area) if p.key == key]

    def events(self, key: str) -> list[EventSnapshot]:
        return [
            EventSnapshot(
                e.title,
                datetime.fromisoformat(e.start_utc),
                datetime.fromisoformat(e.end_utc),
                e.status == EventStatus.CANCELLED.value,
            )
            for e in self.hub.events(SETTINGS.calendar)
            if e.key == key
        ]

    def messages(self, username: str) -> list[str]:
        return [m.body for m in self.hub.messages(username)]

    def lose_next_response(self) -> None:
        self._forum.armed = True


class TestLocalContract(ForumContract):
    @pytest.fixture
    def harness(self, tmp_path: Path) -> Iterator[LocalHarness]:
        made = LocalHarness(tmp_path / "hub.sqlite3")
        yield made
        made.hub.close()


def test_the_harness_satisfies_the_protocol(tmp_path: Path) -> None:
    assert isinstance(LocalHarness(tmp_path / "hub.sqlite3"), ForumHarness)
