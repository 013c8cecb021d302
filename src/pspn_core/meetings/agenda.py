"""The agenda: which raised topics the next meeting takes up.

Members raise topics and vote for them; a meeting takes the most-voted topics
not yet used, the oldest first among equal votes, up to the network's
``agenda_size``. A topic is used once: recording ``used_in`` is the caller's job.
"""

from __future__ import annotations

from collections.abc import Sequence

from pspn_core.errors import InputError
from pspn_core.meetings.model import Topic

__all__ = ["select_agenda"]


def select_agenda(topics: Sequence[Topic], limit: int) -> list[Topic]:
    """The topics for the next meeting: unused, by votes (most first), then age, then id."""
    if limit < 0:
        raise InputError(f"an agenda cannot hold {limit} topics: use 0 or more")
    unused = [topic for topic in topics if topic.used_in is None]
    unused.sort(key=lambda topic: (-topic.votes, topic.raised_at, topic.id))
    return unused[:limit]
