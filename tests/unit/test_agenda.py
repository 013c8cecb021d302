"""The agenda takes the most-voted unused topics, oldest first among equals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pspn_core.errors import InputError
from pspn_core.meetings.agenda import select_agenda
from pspn_core.meetings.model import Topic

RAISED = datetime(2026, 1, 5, 9, tzinfo=UTC)


def topic(id: int, votes: int, *, days_old: int = 0, used_in: str | None = None) -> Topic:
    return Topic(
        id=id,
        network="pspn",
        title=f"Topic {id}",
        raised_by="alex.example",
        raised_at=RAISED - timedelta(days=days_old),
        votes=votes,
        used_in=used_in,
    )


def test_votes_first_then_age() -> None:
    topics = [topic(1, 2), topic(2, 5), topic(3, 2, days_old=3), topic(4, 0, days_old=30)]
    assert [t.id for t in select_agenda(topics, 3)] == [2, 3, 1]


def test_used_topics_are_never_taken_again() -> None:
    topics = [topic(1, 9, used_in="pspn-pspn-20260113@pspn"), topic(2, 1), topic(3, 0)]
    assert [t.id for t in select_agenda(topics, 3)] == [2, 3]


def test_limit_is_respected() -> None:
    topics = [topic(i, i) for i in range(1, 6)]
    assert [t.id for t in select_agenda(topics, 2)] == [5, 4]
    assert select_agenda(topics, 0) == []
    with pytest.raises(InputError, match="0 or more"):
        select_agenda(topics, -1)


def test_equal_votes_and_age_fall_back_to_id() -> None:
    assert [t.id for t in select_agenda([topic(7, 1), topic(3, 1)], 2)] == [3, 7]
