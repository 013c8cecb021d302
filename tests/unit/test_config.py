"""pspn.toml: the example validates; every kind of mistake is one clear paragraph, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from pspn_core.cli.example_config import EXAMPLE_CONFIG
from pspn_core.config import load_config, parse_config
from pspn_core.errors import ConfigError
from tests.conftest import Cli


def test_the_repository_example_is_what_pspn_init_writes() -> None:
    repository = Path(__file__).resolve().parents[2] / "examples" / "pspn.toml"
    assert repository.read_text(encoding="utf-8") == EXAMPLE_CONFIG


def test_the_example_config_is_the_pspn() -> None:
    config = parse_config(EXAMPLE_CONFIG, source=Path("pspn.toml"))
    network = config.network("pspn")
    rules = network.meetings
    assert rules is not None
    assert (rules.frequency, rules.week_of_month, rules.weekday) == ("monthly", 2, "tuesday")
    assert [s.start.strftime("%H:%M") for s in rules.slots] == ["12:30", "18:30"]
    assert rules.duration_minutes == 60 and rules.timezone == "Europe/London"
    assert rules.exclude.bank_holidays and 8 in rules.exclude.months
    assert config.hub.forum == "local"


def test_data_dir_is_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "pspn.toml"
    path.write_text(EXAMPLE_CONFIG)
    assert load_config(path).data_dir == tmp_path / "pspn-data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[hub\n", ["not valid TOML", "line 1"]),
        (
            '[hub]\nforum = "local"\ncolour = "blue"\n[networks.a]\nname = "A"\n',
            ["hub.colour", "unknown key"],
        ),
        ("[networks.a]\nname = 3\n", ["networks.a.name", "string"]),
        ('[hub]\nforum = "local"\n', ["networks", "missing"]),
        ("[networks]\n", ["networks", "no network is configured"]),
        ('[networks.A_B]\nname = "x"\n', ["networks.A_B.slug", "lower-case"]),
        (
            '[networks.a]\nname = "A"\n[networks.a.notes]\nkeep_raw_days = -1\n',
            ["networks.a.notes.keep_raw_days", "greater than or equal to 0"],
        ),
    ],
    ids=[
        "bad-toml",
        "unknown-key",
        "wrong-type",
        "no-networks",
        "empty-networks",
        "bad-slug",
        "bad-number",
    ],
)
def test_mistakes_name_the_file_and_key(text: str, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source=Path("/etc/pspn/pspn.toml"))
    message = str(caught.value)
    assert "/etc/pspn/pspn.toml" in message
    for fragment in expected:
        assert fragment in message
    assert "\n" not in message
    assert caught.value.exit_code == 2


def test_missing_file_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="pspn init"):
        load_config(tmp_path / "nope.toml")


def test_cli_shows_config_errors_as_one_paragraph_with_exit_2(tmp_path: Path, run: Cli) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[networks.a]\nname = "A"\nfrequency = "monthly"\n')
    result = run("--config", str(bad), "networks", "list")
    assert result.exit_code == 2
    assert "networks.a.frequency: unknown key" in result.output
    assert "Traceback" not in result.output


def test_unknown_forum_adapter_is_a_config_error(tmp_path: Path, run: Cli) -> None:
    path = tmp_path / "pspn.toml"
    path.write_text(EXAMPLE_CONFIG.replace('forum = "local"', 'forum = "phpbb"'))
    result = run("--config", str(path), "networks", "setup")
    assert result.exit_code == 2
    assert "'phpbb'" in result.output and "local" in result.output


def test_adapter_settings_are_validated_by_the_adapter(tmp_path: Path, run: Cli) -> None:
    path = tmp_path / "pspn.toml"
    path.write_text(EXAMPLE_CONFIG.replace('group = "psp-network"', 'grup = "psp-network"'))
    result = run("--config", str(path), "networks", "setup")
    assert result.exit_code == 2
    assert "networks.pspn.forum.grup: unknown key" in result.output
    assert "networks.pspn.forum.group: required key is missing" in result.output
