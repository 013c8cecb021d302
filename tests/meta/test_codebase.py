"""Tests of the code base itself: layering, public surfaces, entry points."""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import pkgutil
from pathlib import Path

import click
import pytest

import pspn_adapters
import pspn_core

SRC = Path(__file__).resolve().parents[2] / "src"
DOCS = SRC.parent / "docs"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


CORE_FILES = sorted((SRC / "pspn_core").rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_never_imports_adapters_or_http(path: Path) -> None:
    forbidden = {"pspn_adapters", "requests", "urllib3", "waitress"}
    bad = {name for name in _imports(path) if name.split(".")[0] in forbidden}
    assert bad == set(), f"{path.name} imports {bad}"


def _public_modules(package: object) -> list[str]:
    """Every module of ``package`` except private ones (``_name``) and ``__main__``."""
    names = [package.__name__]  # type: ignore[attr-defined]
    for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):  # type: ignore[attr-defined]
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return names


@pytest.mark.parametrize("name", _public_modules(pspn_core) + _public_modules(pspn_adapters))
def test_public_modules_declare_a_complete_all(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    for symbol in exported:
        assert hasattr(module, symbol), f"{name}.__all__ names missing {symbol}"


def test_every_entry_point_loads_and_registers_a_forum_a_platform_or_commands() -> None:
    import click

    from pspn_core.plugins import Plugins, make_plugin_manager

    entry_points = importlib.metadata.entry_points(group="pspn")
    assert "local" in {ep.name for ep in entry_points}
    plugins = Plugins(make_plugin_manager(environ={}))
    forums, platforms = plugins.forums(), plugins.platforms()
    assert "local" in platforms
    for entry_point in entry_points:
        module = entry_point.load()
        if hasattr(module, "pspn_register_forums"):
            assert entry_point.name in forums, entry_point.name
        elif hasattr(module, "pspn_register_platforms"):
            assert entry_point.name in platforms, entry_point.name
        else:
            group = click.Group()
            module.pspn_register_commands(cli=group)
            assert group.commands, entry_point.name
    for entry_point in importlib.metadata.entry_points(group="pspn.commands"):
        command = entry_point.load()
        assert isinstance(command, click.Command)
        assert command.name == entry_point.name


def _command_paths(group: click.Group, prefix: str) -> list[str]:
    paths = []
    for name, command in sorted(group.commands.items()):
        paths.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, f"{prefix} {name}"))
    return paths


def test_every_command_is_in_the_cli_reference() -> None:
    from pspn_core.cli import cli

    ctx = click.Context(cli)
    everything = click.Group(
        commands={name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    )
    reference = (DOCS / "cli.md").read_text()
    paths = _command_paths(everything, "pspn")
    assert "pspn serve" in paths
    assert [path for path in paths if f"`{path}" not in reference] == []
