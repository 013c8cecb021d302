"""The ``discourse`` plugin: registration, settings and the API key from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import pspn_adapters.discourse as plugin
from pspn_adapters.discourse import DiscourseForum, DiscourseNetworkSettings, DiscourseSettings
from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_core.errors import ConfigError
from pspn_core.registries import ForumContext, ForumRegistry

SETTINGS = DiscourseSettings(
    base_url="https://forum.example.org", api_username="pspn-bot", api_key_env="NORTH_KEY"
)
NETWORK = DiscourseNetworkSettings(
    group="north-network", notes_category_id=7, calendar_category_id=8
)


def _context(environ: dict[str, str], settings: DiscourseSettings = SETTINGS) -> ForumContext:
    return ForumContext("north", settings, NETWORK, Path("."), environ)


def test_the_plugin_registers_the_discourse_forum_type() -> None:
    registry = ForumRegistry()
    plugin.pspn_register_forums(registry)
    forum_type = registry.get("discourse")
    assert forum_type.settings_model is DiscourseSettings
    assert forum_type.network_model is DiscourseNetworkSettings


def test_a_missing_key_variable_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="NORTH_KEY") as caught:
        plugin.create_forum(_context({}))
    assert "export NORTH_KEY" in str(caught.value)


def test_the_key_comes_from_the_named_variable_and_stays_hidden() -> None:
    key = "9" * 64
    forum = plugin.create_forum(_context({"NORTH_KEY": key}))
    assert isinstance(forum, DiscourseForum)
    assert key not in repr(forum) and key not in repr(forum.client)
    assert forum.client.limiter is not None and forum.client.limiter.per_minute == 60
    assert forum.client.timeout == (5.0, 30.0)


def test_networks_on_one_forum_share_one_rate_limiter() -> None:
    key = {"NORTH_KEY": "9" * 64}
    north = plugin.create_forum(_context(key))
    south = plugin.create_forum(ForumContext("south", SETTINGS, NETWORK, Path("."), key))
    other = SETTINGS.model_copy(update={"base_url": "https://other.example.org"})
    elsewhere = plugin.create_forum(_context(key, other))
    assert isinstance(north, DiscourseForum) and isinstance(south, DiscourseForum)
    assert isinstance(elsewhere, DiscourseForum)
    assert north.client.limiter is south.client.limiter
    assert elsewhere.client.limiter is not north.client.limiter


def test_settings_refuse_unknown_keys_and_a_key_in_the_file() -> None:
    with pytest.raises(ValidationError, match="api_key"):
        DiscourseSettings.model_validate(
            {"base_url": "https://forum.example.org", "api_username": "x", "api_key": "secret"}
        )
    with pytest.raises(ValidationError, match="base_url"):
        DiscourseSettings.model_validate({"base_url": "forum.example.org", "api_username": "x"})


def test_a_forum_built_from_config_works_against_the_fake() -> None:
    with FakeDiscourse() as fake:
        fake.site.add_group("north-network")
        settings = SETTINGS.model_copy(update={"base_url": fake.url})
        forum = plugin.create_forum(_context({"NORTH_KEY": fake.api_key}, settings))
        assert list(forum.members()) == []
        assert fake.violations == []
