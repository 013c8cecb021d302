"""The periodic collection in ``pspn serve``: ended meetings become draft notes on their own."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pspn_adapters.server.collector import Collector, collect_once
from pspn_adapters.server.settings import server_settings
from pspn_core.cli import App
from pspn_core.errors import ConfigError
from pspn_core.plugins import Plugins
from tests.conftest import Cli

JAN = "pspn-pspn-20260113@pspn"
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ada Lovelock>Welcome.</v>\n"


@pytest.fixture
def published(run: Cli, hub_dir: Path) -> Path:
    for args in (
        ("networks", "setup"),
        ("keys", "init"),
        ("meetings", "plan", "--from", "2026-01-01", "--to", "2026-03-31"),
        ("meetings", "publish"),
    ):
        assert run(*args).exit_code == 0
    (hub_dir / "pspn-data" / "meetings" / JAN / "transcript.vtt").write_text(VTT)
    return hub_dir / "pspn.toml"


def test_one_round_collects_what_is_ready_once(published: Path, plugins: Plugins) -> None:
    app = App(published, plugins=plugins, environ={})
    try:
        now = datetime(2026, 6, 1, tzinfo=UTC)
        assert collect_once(app, now) == {"collected": 1, "not ready": 2}
        assert collect_once(app, now) == {"not ready": 2}
        [note] = app.store.notes("pspn")
        assert (note.meeting_uid, note.status.value) == (JAN, "draft")
    finally:
        app.store.close()


def test_the_collector_runs_at_start_then_stops_and_logs_counts_only(
    published: Path, plugins: Plugins, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pspn.server.collector")
    collector = Collector(lambda: App(published, plugins=plugins, environ={}), minutes=60)
    collector.start()
    deadline = time.monotonic() + 20
    while collector.runs == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    collector.stop()
    assert collector.runs == 1
    assert caplog.messages == ["meetings collected: {'collected': 1, 'not ready': 2}"]
    app = App(published, plugins=plugins, environ={})
    try:
        assert len(app.store.notes("pspn")) == 1
    finally:
        app.store.close()


def test_the_interval_is_checked(published: Path, plugins: Plugins) -> None:
    config = published.read_text() + "\n[adapters.server]\ncollect_every_minutes = 1\n"
    published.write_text(config)
    app = App(published, plugins=plugins, environ={})
    with pytest.raises(ConfigError, match=r"adapters\.server\.collect_every_minutes"):
        server_settings(app.config)
