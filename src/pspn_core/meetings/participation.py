"""What members do between meetings: raise topics, vote for them, volunteer to chair.

The CLI and the web app both call these, so each rule (a member of this
network, a topic of this network still open, one vote each, known slots) lives
here once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pspn_core.errors import InputError
from pspn_core.meetings.model import Topic
from pspn_core.meetings.rota import Volunteer
from pspn_core.membership.model import Member, has_control_characters
from pspn_core.networks.model import Network

__all__ = [
    "ParticipationStorage",
    "open_topics",
    "raise_topic",
    "slot_names",
    "volunteer",
    "vote",
    "withdraw_vote",
]

MAX_TITLE = 200


class ParticipationStorage(Protocol):
    """The part of the store these use cases need (:class:`~pspn_core.store.SqliteStore`)."""

    def member(self, network: str, username: str) -> Member: ...
    def add_topic(self, network: str, title: str, raised_by: str | None) -> Topic: ...
    def topic(self, topic_id: int) -> Topic: ...
    def topics(self, network: str) -> list[Topic]: ...
    def vote(self, topic_id: int, username: str) -> None: ...
    def withdraw_vote(self, topic_id: int, username: str) -> bool: ...
    def set_volunteer(self, network: str, username: str, slots: Sequence[str]) -> None: ...
    def volunteers(self, network: str) -> list[Volunteer]: ...


def raise_topic(
    network: Network, store: ParticipationStorage, title: str, *, by: str | None
) -> Topic:
    """Raise ``title`` for a coming meeting, as member ``by`` (``None``: raised by nobody
    recorded, as for topics from a forum or a meeting's chat)."""
    if has_control_characters(title):
        raise InputError("a topic's title must be one line, without control characters")
    title = " ".join(title.split())
    if not title:
        raise InputError("a topic needs a title")
    if len(title) > MAX_TITLE:
        raise InputError(f"a topic title has at most {MAX_TITLE} characters")
    raiser = None if by is None else store.member(network.slug, by).username
    return store.add_topic(network.slug, title, raiser)


def _open_topic(network: Network, store: ParticipationStorage, topic_id: int) -> Topic:
    topic = store.topic(topic_id)
    if topic.network != network.slug:
        raise InputError(f"topic {topic_id} belongs to {topic.network!r}, not {network.slug!r}")
    return topic


def vote(network: Network, store: ParticipationStorage, topic_id: int, *, by: str) -> Topic:
    """One vote from member ``by`` for an open topic of ``network``."""
    member = store.member(network.slug, by)
    _open_topic(network, store, topic_id)
    store.vote(topic_id, member.username)
    return store.topic(topic_id)


def withdraw_vote(network: Network, store: ParticipationStorage, topic_id: int, *, by: str) -> bool:
    """Take back ``by``'s vote; ``False`` if they had not voted."""
    member = store.member(network.slug, by)
    _open_topic(network, store, topic_id)
    return store.withdraw_vote(topic_id, member.username)


def open_topics(network: Network, store: ParticipationStorage) -> list[Topic]:
    """Topics not yet on an agenda: most votes first, then oldest."""
    return sorted(
        (t for t in store.topics(network.slug) if t.used_in is None),
        key=lambda t: (-t.votes, t.raised_at, t.id),
    )


def slot_names(network: Network) -> list[str]:
    """The network's meeting slots by name (none when it has no meeting rules)."""
    return [slot.name for slot in network.meetings.slots] if network.meetings else []


def volunteer(
    network: Network, store: ParticipationStorage, username: str, slots: Sequence[str]
) -> list[str]:
    """Record the slots ``username`` will chair; no slots means they stop. Returns them."""
    from pspn_core.meetings.service import rules_of

    member = store.member(network.slug, username)
    known = [slot.name for slot in rules_of(network).slots]
    unknown = sorted(set(slots) - set(known))
    if unknown:
        raise InputError(
            f"unknown slot(s) {', '.join(unknown)}; {network.slug}'s slots are "
            f"{', '.join(known) or 'not configured'}"
        )
    chosen = [slot for slot in known if slot in slots]
    store.set_volunteer(network.slug, member.username, chosen)
    return chosen
