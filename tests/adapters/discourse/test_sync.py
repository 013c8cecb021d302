"""Member sync of a large group: few requests, progress as it goes."""

from __future__ import annotations

import math

import pytest

from pspn_adapters.discourse.adapter import DiscourseForum, DiscourseNetworkSettings
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.fake import FakeDiscourse

MEMBERS = 10_000


@pytest.fixture
def big_group(fake: FakeDiscourse, network: DiscourseNetworkSettings) -> None:
    group = fake.site.groups[network.group]
    group.members.extend(fake.site.add_user(f"member{n:05d}.example").id for n in range(MEMBERS))


@pytest.mark.parametrize("page_size", [1000, 700])
@pytest.mark.usefixtures("big_group")
def test_a_10000_member_sync_stays_within_its_request_budget(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse, page_size: int
) -> None:
    progress: list[tuple[int, int | None]] = []
    forum = DiscourseForum(
        client, network, page_size=page_size, progress=lambda d, t: progress.append((d, t))
    )
    names = [user.username for user in forum.members()]
    assert len(set(names)) == MEMBERS
    listing = fake.count("GET", "/members.json")
    assert listing <= math.ceil(MEMBERS / page_size) + 5
    assert len(fake.requests) == listing  # nothing else was needed
    assert progress[-1] == (MEMBERS, MEMBERS)
    assert len(progress) == listing
