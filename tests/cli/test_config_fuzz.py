"""A configuration fuzzer (issue 15, item 14).

Mutations of the example ``pspn.toml`` (with server tables) are run through a
command. Every configuration accepted must be usable: each network's forum is
built, its meeting rules load, the server settings load and the key variable
is a variable's name. Every one refused exits 2 with one line and no traceback.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pspn_adapters.discourse
import pspn_adapters.invision
import pspn_adapters.local
import pspn_adapters.server
from pspn_adapters.server.settings import server_settings
from pspn_core.cli import App, cli
from pspn_core.cli.example_config import EXAMPLE_CONFIG
from pspn_core.errors import ConfigError
from pspn_core.meetings.service import rules_of
from pspn_core.plugins import Plugins, make_plugin_manager
from tests.server.conftest import SERVER_TABLES

BASE: dict[str, Any] = tomllib.loads(EXAMPLE_CONFIG + SERVER_TABLES)

#: Values that have broken configurations before, and plain ones.
VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\r\n",
            "\x00",
            "local",
            "discourse",
            "invision",
            "nonsense",
            "PSPN_KEY",
            "1PSPN",
            "../../etc",
            "Europe/London",
            "Mars/Olympus",
            "monthly",
            "weekly",
            "tuesday",
            "12:30",
            "25:61",
            "https://forum.example.org",
            "x" * 500,
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.sampled_from(["12:30", "18:30", "", "bad"]), max_size=3),
    st.fixed_dictionaries({}, optional={"x": st.integers(), "group": st.text(max_size=5)}),
)


def _paths(table: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for key, value in table.items():
        paths.append((*prefix, key))
        if isinstance(value, dict):
            paths += _paths(value, (*prefix, key))
    return paths


PATHS = _paths(BASE)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    config = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(PATHS))
        parent: Any = config
        for key in path[:-1]:
            parent = parent.get(key) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "delete":
            parent.pop(path[-1], None)
        elif action == "add":
            parent[draw(st.sampled_from(["extra", "forum", "x"]))] = draw(VALUES)
        else:
            parent[path[-1]] = draw(VALUES)
    return config


def to_toml(table: dict[str, Any], prefix: tuple[str, ...] = ()) -> str:
    """A small TOML writer (keys always quoted; strings as JSON, which TOML reads)."""
    lines, tables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            tables.append((key, value))
        else:
            lines.append(f"{json.dumps(key)} = {_value(value)}")
    text = ""
    if prefix:
        text += "[" + ".".join(json.dumps(p) for p in prefix) + "]\n"
    text += "".join(f"{line}\n" for line in lines)
    for key, value in tables:
        text += "\n" + to_toml(value, (*prefix, key))
    return text


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=False)


def _plugins() -> Plugins:
    adapters = [pspn_adapters.local, pspn_adapters.discourse, pspn_adapters.invision]
    return Plugins(
        make_plugin_manager(load_entrypoints=False, plugins=[*adapters, pspn_adapters.server])
    )


def _usable(path: Path) -> None:
    """What a command needs of an accepted configuration, checked directly."""
    app = App(path, plugins=_plugins(), environ={})
    config = app.config
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", config.hub.key_env)
    assert config.hub.name.isprintable() and config.hub.name.strip()
    server_settings(config)
    for slug, network in config.networks.items():
        if network.meetings is not None:  # meeting rules are optional
            rules_of(network)
        try:
            app.forum(slug)
        except ConfigError as error:  # a secret not in this test's empty environment
            missing_secret = "environment variable" in str(error) or "$" in str(error)
            if not missing_secret:
                raise


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(config=mutated())
def test_every_configuration_is_refused_in_one_line_or_usable(
    config: dict[str, Any], tmp_path: Path
) -> None:
    try:
        text = to_toml(config)
        tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return  # not a TOML document this writer can make; not what is tested
    path = tmp_path / "pspn.toml"
    path.write_text(text, encoding="utf-8")
    app = App(path, plugins=_plugins(), environ={})
    result = CliRunner().invoke(cli, ["networks", "list"], obj=app, catch_exceptions=True)
    if "store" in app.__dict__:
        app.store.close()
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{result.exception!r} for:\n{text}") from result.exception
    if result.exit_code == 0:
        _usable(path)
    else:
        assert result.exit_code == 2, f"{result.output}\n{text}"
        assert len(result.output.strip().splitlines()) == 1, result.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('key_env = "PSPN_KEY"', 'key_env = "\\r\\n"'), "hub.key_env"),
        (('forum = "local"', 'forum = "nonsense"'), "hub.forum is 'nonsense'"),
        (('group = "psp-network"', "group = 7"), "networks.pspn.forum.group"),
        (("max_body_bytes = 4096", "max_body_bytes = -1"), "adapters.server.max_body_bytes"),
    ],
)
def test_known_bad_configurations_are_refused_by_any_command(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    text = EXAMPLE_CONFIG + SERVER_TABLES
    assert change[0] in text
    path = tmp_path / "pspn.toml"
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    for command in (["networks", "list"], ["members", "list"], ["serve", "--port", "0"]):
        app = App(path, plugins=_plugins(), environ={})
        result = CliRunner().invoke(cli, command, obj=app, catch_exceptions=False)
        assert result.exit_code == 2, (command, result.output)
        assert message in result.output, (command, result.output)
