"""Fixtures: the fake Microsoft Graph (failing any test that breaks its contract), the platform."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters._http import RetryPolicy
from pspn_adapters.teams.adapter import TeamsPlatform
from pspn_adapters.teams.client import GraphClient, MsalAuth, msal_token_source, new_session
from pspn_adapters.teams.fake import FakeGraph
from pspn_adapters.teams.settings import TeamsSettings
from pspn_core.ports import OnlineMeeting

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def fake() -> Iterator[FakeGraph]:
    """A fresh fake Graph; any contract violation fails the test that caused it."""
    with FakeGraph() as server:
        yield server
    assert server.violations == [], "requests or answers broke Microsoft Graph's CSDL"


@pytest.fixture
def settings(fake: FakeGraph) -> TeamsSettings:
    return TeamsSettings.model_validate({**fake.settings(), "timeout_seconds": 5})


@pytest.fixture
def sleeps() -> list[float]:
    """Every wait the retry policy asked for (nothing really sleeps)."""
    return []


def make_client(settings: TeamsSettings, secret: str, sleeps: list[float]) -> GraphClient:
    session = new_session(settings)
    auth = MsalAuth(msal_token_source(settings, secret, session), secrets=[secret])
    return GraphClient(settings, auth, session=session, retry=RetryPolicy(sleep=sleeps.append))


@pytest.fixture
def client(fake: FakeGraph, settings: TeamsSettings, sleeps: list[float]) -> Iterator[GraphClient]:
    with make_client(settings, fake.tenant.client_secret, sleeps) as made:
        yield made


@pytest.fixture
def platform(client: GraphClient) -> TeamsPlatform:
    return TeamsPlatform(client)


@pytest.fixture
def meeting() -> Callable[..., OnlineMeeting]:
    """``meeting(uid, day=12, hour=18)``: a meeting of January 2027, one hour long."""
    return make_meeting


def make_meeting(
    uid: str = "pspn-north-20270112@pspn", day: int = 12, hour: int = 18
) -> OnlineMeeting:
    start = datetime(2027, 1, day, hour, 30, tzinfo=LONDON)
    return OnlineMeeting(
        key=uid,
        title="North network (evening)",
        start=start,
        end=start.replace(hour=hour + 1),
        description=f"North network: evening meeting.\npspn meeting {uid}",
    )
