"""Every meeting platform keeps the ``MeetingPlatform`` contract: the embedded one and Teams."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters._http import RetryPolicy
from pspn_adapters.localmeet import LocalPlatform
from pspn_adapters.teams.adapter import TeamsPlatform
from pspn_adapters.teams.client import GraphClient, MsalAuth, msal_token_source, new_session
from pspn_adapters.teams.fake import FakeGraph
from pspn_adapters.teams.settings import TeamsSettings
from pspn_core.ports import MeetingPlatform, OnlineMeeting

VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ada Lovelock>Hello.</v>\n"


@dataclass
class Harness:
    """A platform, and a way to give one of its meetings a transcript, chat and attendance."""

    platform: MeetingPlatform
    finish: Callable[[str], None]


def _local(tmp_path: Path) -> Iterator[Harness]:
    platform = LocalPlatform(tmp_path / "meetings", "https://meet.invalid/pspn/")

    def finish(uid: str) -> None:
        folder = tmp_path / "meetings" / uid
        (folder / "transcript.vtt").write_text(VTT)
        (folder / "chat.txt").write_text("[18:31] Ada Lovelock\nTopic: posters\n")
        (folder / "attendance.txt").write_text("60\n")

    yield Harness(platform, finish)


def _teams(tmp_path: Path) -> Iterator[Harness]:
    with FakeGraph() as fake:
        settings = TeamsSettings.model_validate(fake.settings())
        session = new_session(settings)
        secret = fake.tenant.client_secret
        auth = MsalAuth(msal_token_source(settings, secret, session), secrets=[secret])
        client = GraphClient(
            settings, auth, session=session, retry=RetryPolicy(sleep=lambda s: None)
        )

        def finish(uid: str) -> None:
            fake.tenant.finish_meeting(
                uid, transcript=VTT, chat=[("Ada Lovelock", "Topic: posters")], attendance=[3600]
            )

        yield Harness(TeamsPlatform(client), finish)
    assert fake.violations == []


@pytest.fixture(params=["local", "teams"])
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    yield from {"local": _local, "teams": _teams}[request.param](tmp_path)


def planned(uid: str, day: int = 12) -> OnlineMeeting:
    start = datetime(2027, 1, day, 18, 30, tzinfo=ZoneInfo("Europe/London"))
    return OnlineMeeting(uid, "North network (evening)", start, start + timedelta(hours=1))


def test_a_meeting_is_created_once_and_found_by_its_uid(harness: Harness) -> None:
    platform = harness.platform
    assert isinstance(platform, MeetingPlatform)
    assert platform.find_meeting("north-20270112@pspn") is None
    held = platform.publish_meeting(planned("north-20270112@pspn"))
    assert held.join_url.startswith("https://")
    assert platform.find_meeting("north-20270112@pspn") == held
    assert platform.publish_meeting(planned("north-20270112@pspn")) == held
    other = platform.publish_meeting(planned("north-20270209@pspn", day=14))
    assert other.join_url != held.join_url


def test_a_move_keeps_the_meeting_and_a_cancel_can_be_repeated(harness: Harness) -> None:
    platform = harness.platform
    held = platform.publish_meeting(planned("north-20270112@pspn"))
    moved = platform.publish_meeting(planned("north-20270112@pspn", day=13), known=held)
    assert (moved.platform_id, moved.join_url) == (held.platform_id, held.join_url)
    platform.cancel_meeting(moved, "strike day")
    platform.cancel_meeting(moved, "strike day")


def test_nothing_comes_back_before_the_meeting_and_everything_after(harness: Harness) -> None:
    platform = harness.platform
    held = platform.publish_meeting(planned("north-20270112@pspn"))
    assert platform.transcript(held) is None
    assert list(platform.chat(held)) == []
    assert platform.attendance(held) is None
    harness.finish("north-20270112@pspn")
    assert platform.transcript(held) == VTT
    [message] = list(platform.chat(held))
    assert (message.author, message.text) == ("Ada Lovelock", "Topic: posters")
    attendance = platform.attendance(held)
    assert attendance is not None
    assert attendance.durations == (timedelta(hours=1),)
