"""``[platforms.teams]``: mistakes are caught with the key and the fix named."""

from __future__ import annotations

from pathlib import Path

import pytest

from pspn_adapters.teams import TeamsSettings, create_platform
from pspn_core.errors import ConfigError
from pspn_core.registries import PlatformContext, validate_settings

BASE = {
    "tenant_id": "00000000-0000-4000-8000-000000000000",
    "client_id": "11111111-2222-4333-8444-555555555555",
    "organiser": "psp-meetings@example.nhs.uk",
}


def check(table: dict[str, object]) -> str:
    with pytest.raises(ConfigError) as caught:
        validate_settings(TeamsSettings, table, "pspn.toml: platforms.teams")
    return str(caught.value)


def test_exactly_one_credential_is_named() -> None:
    assert "give exactly one of client_secret_env" in check(BASE)
    both = {**BASE, "client_secret_env": "A", "certificate_env": "B"}
    assert "give exactly one of client_secret_env" in check(both)
    assert "needs certificate_thumbprint" in check({**BASE, "certificate_env": "PSPN_TEAMS_KEY"})


def test_a_secret_written_where_its_variable_name_belongs_is_refused() -> None:
    message = check({**BASE, "client_secret_env": "abc~def.ghi"})
    assert "client_secret_env is not an environment variable name" in message
    assert "give the NAME of the variable" in message
    assert "abc~def.ghi" not in message  # it may be the secret itself: never echoed


def test_graph_and_tokens_only_over_https() -> None:
    message = check({**BASE, "client_secret_env": "S", "graph_url": "http://graph.example.org"})
    assert "platforms.teams.graph_url" in message


def test_a_missing_secret_variable_names_it(tmp_path: Path) -> None:
    settings = TeamsSettings.model_validate({**BASE, "client_secret_env": "PSPN_TEAMS_SECRET"})
    with pytest.raises(ConfigError, match="PSPN_TEAMS_SECRET for its secret, but it is not set"):
        create_platform(PlatformContext("pspn", settings, tmp_path, {}))
