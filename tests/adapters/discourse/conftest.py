"""Fixtures: the fake Discourse (failing any test that breaks the contract) and a harness."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from pspn_adapters._http import RateLimiter, RetryPolicy
from pspn_adapters.discourse import mapping
from pspn_adapters.discourse.adapter import DiscourseForum, DiscourseNetworkSettings
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_core.ports import Privacy
from pspn_core.testing import EventSnapshot

GROUP = "north-network"


@pytest.fixture
def fake() -> Iterator[FakeDiscourse]:
    """A fresh fake forum; any contract violation fails the test that caused it."""
    with FakeDiscourse() as server:
        yield server
    assert server.violations == [], "requests or answers broke the Discourse contract"


@pytest.fixture
def network(fake: FakeDiscourse) -> DiscourseNetworkSettings:
    fake.site.add_group(GROUP)
    notes = fake.site.add_category("North network notes", groups={GROUP: 1, "staff": 1})
    calendar = fake.site.add_category("North network meetings", groups={GROUP: 1, "staff": 1})
    return DiscourseNetworkSettings(
        group=GROUP, notes_category_id=notes.id, calendar_category_id=calendar.id
    )


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the retry policy asked for (nothing really sleeps)."""
    return []


@pytest.fixture
def client(fake: FakeDiscourse, sleeps: list[float]) -> Iterator[DiscourseClient]:
    with DiscourseClient(
        fake.url,
        api_key=fake.api_key,
        api_username=fake.api_username,
        retry=RetryPolicy(sleep=sleeps.append),
        limiter=RateLimiter(60_000, burst=1_000),
        timeout=(2.0, 2.0),
    ) as made:
        yield made


@pytest.fixture
def forum(client: DiscourseClient, network: DiscourseNetworkSettings) -> DiscourseForum:
    return DiscourseForum(client, network, now=lambda: datetime(2026, 1, 1).astimezone())


class DiscourseHarness:
    """The contract suite's back door into the fake Discourse."""

    def __init__(self, fake: FakeDiscourse, forum: DiscourseForum) -> None:
        self.fake = fake
        self._forum = forum

    @property
    def forum(self) -> DiscourseForum:
        return self._forum

    def _user_id(self, username: str) -> int:
        user = self.fake.site.user(username)
        assert user is not None, username
        return user.id

    def add_user(self, username: str, display_name: str = "") -> None:
        self.fake.site.add_user(username, display_name)

    def add_to_group(self, username: str) -> None:
        self.fake.site.groups[GROUP.lower()].members.append(self._user_id(username))

    def group_members(self) -> set[str]:
        group = self.fake.site.groups[GROUP.lower()]
        return {self.fake.site.users[i].username for i in group.members}

    def request_join(self, username: str, message: str = "") -> None:
        self.fake.site.groups[GROUP.lower()].requests[self._user_id(username)] = message

    def pending_requests(self) -> set[str]:
        group = self.fake.site.groups[GROUP.lower()]
        return {self.fake.site.users[i].username for i in group.requests}

    def set_notes_privacy(self, privacy: Privacy) -> None:
        category = self.fake.site.categories[self._forum.settings.notes_category_id]
        category.hidden = privacy is Privacy.UNKNOWN
        if privacy is Privacy.PUBLIC:
            category.read_restricted, category.permissions = False, {"everyone": 1}
        else:
            category.read_restricted, category.permissions = True, {GROUP: 1, "staff": 1}

    def _first_posts(self, key: str) -> list[int]:
        topics = self.fake.site.topics_with_external_id(mapping.external_id(key))
        return [t.post_ids[0] for t in topics]

    def posts(self, key: str) -> list[str]:
        return [self.fake.site.posts[i].raw for i in self._first_posts(key)]

    def events(self, key: str) -> list[EventSnapshot]:
        found = [self.fake.site.events.get(i) for i in self._first_posts(key)]
        return [
            EventSnapshot(e["name"] or "", e["starts_at"], e["ends_at"], e["closed"])
            for e in found
            if e is not None
        ]

    def messages(self, username: str) -> list[str]:
        return [
            self.fake.site.posts[t.post_ids[0]].raw
            for t in self.fake.site.topics.values()
            if t.archetype == "private_message" and username in t.recipients
        ]

    def lose_next_response(self) -> None:
        self.fake.drop_next(method="POST", path="/posts.json")


@pytest.fixture
def harness(fake: FakeDiscourse, forum: DiscourseForum) -> DiscourseHarness:
    return DiscourseHarness(fake, forum)
