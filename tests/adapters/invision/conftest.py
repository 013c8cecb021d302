"""Fixtures: the fake Invision (failing any test that breaks the contract) and a harness."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from pspn_adapters._http import RateLimiter, RetryPolicy
from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings, mapping
from pspn_adapters.invision.client import InvisionClient
from pspn_adapters.invision.fake import FakeInvision
from pspn_adapters.invision.fake.state import SHOWN
from pspn_adapters.invision.join_requests import JoinRequestInbox
from pspn_core.ports import Privacy
from pspn_core.testing import EventSnapshot

#: The custom profile field that holds people's full names on the fake site.
FULL_NAME_FIELD = 7


@pytest.fixture
def fake() -> Iterator[FakeInvision]:
    """A fresh fake community; any contract violation fails the test that caused it."""
    with FakeInvision() as server:
        yield server
    assert server.violations == [], "requests or answers broke the Invision contract"


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the retry policy asked for (nothing really sleeps)."""
    return []


def make_client(
    url: str, key: str, sleeps: list[float], *, timeout: tuple[float, float] = (2.0, 2.0)
) -> InvisionClient:
    """A client that never really sleeps (waits go to ``sleeps``) and is barely paced."""
    return InvisionClient(
        url,
        key,
        per_page=10,
        retry=RetryPolicy(sleep=sleeps.append),
        limiter=RateLimiter(60_000, burst=1_000),
        timeout=timeout,
    )


@pytest.fixture
def client(fake: FakeInvision, sleeps: list[float]) -> Iterator[InvisionClient]:
    made = make_client(fake.url, fake.api_key, sleeps)
    yield made
    made.close()


@pytest.fixture
def bot(fake: FakeInvision) -> int:
    """The member the API key acts as (an administrator)."""
    return fake.add_member("pspn-bot", group=4)


@pytest.fixture
def club_network(fake: FakeInvision, bot: int) -> InvisionNetworkSettings:
    club = fake.add_club("North network", owner=bot, type="private")
    return InvisionNetworkSettings(
        club_id=club,
        notes_forum_id=fake.add_forum("North network notes", club=club),
        calendar_id=fake.add_calendar("North network meetings", club=club),
        acting_member_id=bot,
    )


@pytest.fixture
def inbox(tmp_path: Path) -> JoinRequestInbox:
    return JoinRequestInbox(tmp_path / "invision" / "north-join-requests.sqlite3")


@pytest.fixture
def forum(
    client: InvisionClient, club_network: InvisionNetworkSettings, inbox: JoinRequestInbox
) -> InvisionForum:
    return InvisionForum(client, club_network, inbox, display_field=FULL_NAME_FIELD)


class InvisionHarness:
    """The contract suite's back door into the fake Invision (a club-based network)."""

    def __init__(self, fake: FakeInvision, forum: InvisionForum) -> None:
        self.fake = fake
        self._forum = forum
        assert forum.target.club_id is not None
        self.club = forum.target.club_id

    @property
    def forum(self) -> InvisionForum:
        return self._forum

    def _id(self, username: str) -> int:
        (ident,) = [m.id for m in self.fake.state.members.values() if m.name == username]
        return ident

    def _names(self, statuses: set[str]) -> set[str]:
        club = self.fake.state.clubs[self.club]
        return {self.fake.state.members[i].name for i, s in club.statuses.items() if s in statuses}

    def add_user(self, username: str, display_name: str = "") -> None:
        fields = {FULL_NAME_FIELD: display_name} if display_name else None
        self.fake.add_member(username, fields=fields)

    def add_to_group(self, username: str) -> None:
        self.fake.set_club_status(self.club, self._id(username), "member")

    def group_members(self) -> set[str]:
        return self._names(set(SHOWN))

    def request_join(self, username: str, message: str = "") -> None:
        """Invision takes no message with a request; the webhook is delivered at once."""
        self.fake.request_join(self.club, self._id(username))
        for event_key, payload in self.fake.take_webhooks():
            self._forum.receive_webhook(event_key, payload)

    def pending_requests(self) -> set[str]:
        return self._names({"requested"})

    def set_notes_privacy(self, privacy: Privacy) -> None:
        self.fake.denied.discard("core_clubs_GETitem_nodes")
        if privacy is Privacy.PRIVATE:
            self.fake.set_club_type(self.club, "private")
        elif privacy is Privacy.PUBLIC:
            self.fake.set_club_type(self.club, "open")
        else:  # the API key may not read the club's nodes: nothing can be verified
            self.fake.denied.add("core_clubs_GETitem_nodes")

    def posts(self, key: str) -> list[str]:
        """Per topic published under ``key``, everything a reader of the topic sees."""
        topics = self.fake.topics_containing(mapping.marker("note", key))
        return ["\n".join(p.content for p in topic.posts) for topic in topics]

    def events(self, key: str) -> list[EventSnapshot]:
        return [
            EventSnapshot(
                title=event.title,
                start=event.start.replace(tzinfo=UTC),
                end=event.end.replace(tzinfo=UTC) if event.end else event.start.replace(tzinfo=UTC),
                cancelled=mapping.event_is_cancelled({"description": event.description}),
            )
            for event in self.fake.events_containing(mapping.marker("event", key))
        ]

    def messages(self, username: str) -> list[str]:
        ident = self._id(username)
        return [c.body for c in self.fake.state.conversations.values() if ident in c.recipients]

    def lose_next_response(self) -> None:
        self.fake.faults.drop_after_commit(match="POST /forums/topics")
        self.fake.faults.drop_after_commit(match="POST /calendar/events")


@pytest.fixture
def harness(fake: FakeInvision, forum: InvisionForum) -> InvisionHarness:
    return InvisionHarness(fake, forum)
