"""Shared fixtures: a fresh hub directory, a plugin manager with only what a test asks for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import pspn_adapters.local
from pspn_core.cli import App, cli
from pspn_core.cli.setup import write_example_config
from pspn_core.plugins import Plugins, make_plugin_manager


@pytest.fixture
def plugins() -> Plugins:
    """Default plugins plus the local forum; never whatever happens to be installed."""
    return Plugins(make_plugin_manager(load_entrypoints=False, plugins=[pspn_adapters.local]))


@pytest.fixture
def hub_dir(tmp_path: Path) -> Path:
    """A directory holding the example config."""
    write_example_config(tmp_path)
    return tmp_path


@pytest.fixture
def app(hub_dir: Path, plugins: Plugins) -> Iterator[App]:
    app = App(hub_dir / "pspn.toml", plugins=plugins, environ={})
    yield app
    if "store" in app.__dict__:
        app.store.close()


class Cli:
    """Runs ``pspn`` in-process with a given plugin set and config."""

    def __init__(self, plugins: Plugins, config: Path | None) -> None:
        self.plugins = plugins
        self.config = config
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        app = App(self.config, plugins=self.plugins, environ={})
        try:
            return self.runner.invoke(cli, list(args), obj=app, input=input, catch_exceptions=False)
        finally:
            if "store" in app.__dict__:
                app.store.close()


@pytest.fixture
def run(plugins: Plugins, hub_dir: Path) -> Cli:
    """``run("members", "list")`` runs the CLI against the example hub."""
    return Cli(plugins, hub_dir / "pspn.toml")
