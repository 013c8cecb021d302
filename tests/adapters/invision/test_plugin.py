"""The ``invision`` plugin: registration, settings, and the API key from the environment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from pydantic import ValidationError

import pspn_adapters.invision as plugin
from pspn_adapters.invision import InvisionForum, InvisionNetworkSettings, InvisionSettings
from pspn_adapters.invision.fake import FakeInvision, seed
from pspn_core.errors import ConfigError
from pspn_core.ports import CalendarEvent, Post
from pspn_core.registries import ForumContext, ForumRegistry

SETTINGS = InvisionSettings(base_url="https://community.example.org/api", api_key_env="NORTH_KEY")
NETWORK = InvisionNetworkSettings(club_id=5, notes_forum_id=31, calendar_id=3, acting_member_id=1)


def _context(
    environ: dict[str, str],
    settings: InvisionSettings = SETTINGS,
    network: InvisionNetworkSettings = NETWORK,
    data_dir: Path = Path("."),
) -> ForumContext:
    return ForumContext("north", settings, network, data_dir, environ)


def test_the_plugin_registers_the_invision_forum_type() -> None:
    registry = ForumRegistry()
    plugin.pspn_register_forums(registry)
    forum_type = registry.get("invision")
    assert forum_type.settings_model is InvisionSettings
    assert forum_type.network_model is InvisionNetworkSettings


def test_the_entry_point_names_the_plugin() -> None:
    (found,) = [e for e in entry_points(group="pspn") if e.name == "invision"]
    assert found.load() is plugin


def test_a_missing_key_variable_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="NORTH_KEY") as caught:
        plugin.create_forum(_context({}))
    assert "export NORTH_KEY" in str(caught.value)


def test_the_key_comes_from_the_named_variable_and_stays_hidden(tmp_path: Path) -> None:
    key = "c0ffee" * 6
    forum = plugin.create_forum(_context({"NORTH_KEY": key}, data_dir=tmp_path))
    assert isinstance(forum, InvisionForum)
    assert key not in repr(forum)
    assert forum.client.http.limiter is not None
    assert forum.client.http.limiter.per_minute == 60
    assert forum.client.http.timeout == (5.0, 30.0)
    assert forum.inbox.path == tmp_path / "invision" / "north-join-requests.sqlite3"


def test_settings_refuse_unknown_keys_a_key_in_the_file_and_bad_urls() -> None:
    with pytest.raises(ValidationError, match="api_key"):
        InvisionSettings.model_validate(
            {"base_url": "https://community.example.org/api", "api_key": "secret"}
        )
    with pytest.raises(ValidationError, match="base_url"):
        InvisionSettings.model_validate({"base_url": "community.example.org/api"})


@pytest.mark.parametrize("form", ["/api", "/api/index.php"])
def test_a_forum_built_from_config_publishes_to_the_fake(tmp_path: Path, form: str) -> None:
    with FakeInvision(api_key="north-key") as fake:
        ids = seed(fake)
        settings = InvisionSettings(
            base_url=fake.root + form, api_key_env="NORTH_KEY", requests_per_minute=6000
        )
        network = InvisionNetworkSettings.model_validate(
            {"club_id": ids["club_id"], "notes_forum_id": ids["notes_forum_id"],
             "calendar_id": ids["calendar_id"], "acting_member_id": ids["member_id"]}
        )  # fmt: skip
        forum = plugin.create_forum(
            _context({"NORTH_KEY": "north-key"}, settings, network, tmp_path)
        )
        assert forum.check_notes_privacy().is_private
        start = datetime(2030, 3, 12, 12, 30, tzinfo=UTC)
        forum.publish_event(CalendarEvent("m-1", "Meeting", start, start + timedelta(hours=1)))
        forum.publish_post(Post("n-1", "Notes", "Anonymised notes."))
        assert {u.username for u in forum.members()} == {"pspn-bot", "Alex Example", "Sam Sample"}
        assert len(fake.state.events) == len(fake.state.topics) == 1
    assert fake.violations == []
