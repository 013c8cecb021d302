"""Adapters report progress through the callback their context gives, and never draw it.

The command line draws the one bar (:mod:`pspn_core.cli.progress`); an adapter
writes nothing to standard error, even when it is a terminal.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import pspn_adapters.discourse
import pspn_adapters.invision
from pspn_adapters.discourse import DiscourseNetworkSettings, DiscourseSettings
from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_adapters.invision import InvisionNetworkSettings, InvisionSettings
from pspn_adapters.invision.fake import FakeInvision, seed
from pspn_core.cli.progress import ProgressBars, bar, terminal_bars
from pspn_core.registries import ForumContext, ProgressReport


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


Reports = list[tuple[str, int, int | None]]


@pytest.fixture
def screen(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """Standard error and output as a terminal, so anything drawn on them is kept."""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(sys, "stdout", terminal)
    return terminal


def test_discourse_reports_each_page_and_draws_nothing(screen: Terminal) -> None:
    reports: Reports = []
    with FakeDiscourse() as fake:
        group = fake.site.add_group("north-network")
        for number in range(5):
            group.members.append(fake.site.add_user(f"member_{number}").id)
        settings = DiscourseSettings(
            base_url=fake.url, api_username=fake.api_username, api_key_env="KEY", page_size=2
        )
        network = DiscourseNetworkSettings(
            group="north-network", notes_category_id=7, calendar_category_id=8
        )
        context = ForumContext(
            "north", settings, network, Path("."), {"KEY": fake.api_key}, progress=_keep(reports)
        )
        forum = pspn_adapters.discourse.create_forum(context)
        assert len(list(forum.members())) == 5
    assert screen.getvalue() == ""
    assert [done for _, done, _ in reports] == [2, 4, 5]
    assert {(task, total) for task, _, total in reports} == {("north: members", 5)}


def test_invision_reports_and_draws_nothing(screen: Terminal, tmp_path: Path) -> None:
    reports: Reports = []
    with FakeInvision(api_key="north-key") as fake:
        ids = seed(fake)
        settings = InvisionSettings(
            base_url=fake.root + "/api", api_key_env="KEY", requests_per_minute=6000
        )
        network = InvisionNetworkSettings(
            club_id=ids["club_id"],
            notes_forum_id=ids["notes_forum_id"],
            calendar_id=ids["calendar_id"],
            acting_member_id=ids["member_id"],
        )
        context = ForumContext(
            "north", settings, network, tmp_path, {"KEY": "north-key"}, progress=_keep(reports)
        )
        forum = pspn_adapters.invision.create_forum(context)
        people = list(forum.members())
    assert screen.getvalue() == ""
    assert reports and reports[-1] == ("north: members", len(people), len(people))


def test_without_a_callback_nothing_is_reported_or_drawn(screen: Terminal) -> None:
    with FakeDiscourse() as fake:
        fake.site.add_group("north-network").members.append(fake.site.add_user("kit_m").id)
        settings = DiscourseSettings(base_url=fake.url, api_username=fake.api_username)
        network = DiscourseNetworkSettings(
            group="north-network", notes_category_id=7, calendar_category_id=8
        )
        context = ForumContext(
            "north", settings, network, Path("."), {settings.api_key_env: fake.api_key}
        )
        assert [u.username for u in pspn_adapters.discourse.create_forum(context).members()] == [
            "kit_m"
        ]
    assert screen.getvalue() == ""


def _keep(reports: Reports) -> ProgressReport:
    def report(task: str, done: int, total: int | None) -> None:
        reports.append((task, done, total))

    return report


# -- the command line's bar ----------------------------------------------------------


def test_the_cli_draws_one_bar_per_task_on_a_terminal_only() -> None:
    assert terminal_bars(io.StringIO()) is None
    screen = Terminal()
    bars = terminal_bars(screen)
    assert isinstance(bars, ProgressBars)
    bars("north: members", 10, None)  # no total yet: nothing to draw
    assert screen.getvalue() == ""
    bars("north: members", 5000, 10000)
    assert "north: members" in screen.getvalue() and "50%" in screen.getvalue()
    bars("north: members", 10000, 10000)
    assert "100%" in screen.getvalue() and screen.getvalue().endswith("\n")


def test_a_use_case_bar_counts_steps_on_a_terminal_only() -> None:
    with bar(3, "Syncing", io.StringIO()) as step:
        assert step is None
    screen = Terminal()
    with bar(3, "Syncing", screen) as step:
        assert step is not None
        for _ in range(3):
            step(1)
    assert "Syncing" in screen.getvalue() and "100%" in screen.getvalue()
