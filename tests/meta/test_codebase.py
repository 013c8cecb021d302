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
ADAPTER_FILES = sorted((SRC / "pspn_adapters").rglob("*.py"))
#: What a command plugin may use of the CLI (documented in docs/writing_adapters.md).
CLI_HELPERS = {"pspn_core.cli.app", "pspn_core.cli.common"}


def _layer(path: Path) -> str:
    """``store``, ``cli`` or ``domain`` (every feature package and the shared modules)."""
    part = path.relative_to(SRC / "pspn_core").parts[0]
    return part if part in ("store", "cli") else "domain"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_the_core_never_imports_adapters_or_http(path: Path) -> None:
    forbidden = {"pspn_adapters", "requests", "urllib3", "waitress", "flask", "msal"}
    bad = {name for name in _imports(path) if name.split(".")[0] in forbidden}
    assert bad == set(), f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_layers_the_domain_never_imports_the_store_or_the_cli(path: Path) -> None:
    """Features and the shared modules take the store as a port; only the CLI builds it."""
    below = {"domain": ("pspn_core.store", "pspn_core.cli"), "store": ("pspn_core.cli",)}
    forbidden = below.get(_layer(path), ())
    bad = {name for name in _imports(path) if name.startswith(forbidden)} if forbidden else set()
    assert bad == set(), f"{path.relative_to(SRC)} ({_layer(path)}) imports {bad}"


@pytest.mark.parametrize("path", ADAPTER_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_adapters_use_only_the_documented_cli_helpers(path: Path) -> None:
    used = {name for name in _imports(path) if name.startswith("pspn_core.cli")}
    assert used <= CLI_HELPERS, f"{path.relative_to(SRC)} imports {used - CLI_HELPERS}"


#: Forum adapters proper: not the fakes (test servers) nor the server plugin (a process).
FORUM_ADAPTER_FILES = [
    path
    for path in ADAPTER_FILES
    if path.relative_to(SRC / "pspn_adapters").parts[0]
    in ("discourse", "invision", "local", "_http.py")
    and "fake" not in path.parts
]


@pytest.mark.parametrize("path", FORUM_ADAPTER_FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_forum_adapters_never_write_to_the_terminal(path: Path) -> None:
    """Progress and messages go through callbacks and return values; only the CLI draws."""
    text = path.read_text(encoding="utf-8")
    assert not [
        word for word in ("sys.stderr", "sys.stdout", "print(", "click.echo") if word in text
    ]


def test_each_feature_package_names_its_public_api() -> None:
    for feature in ("meetings", "membership", "networks", "notes", "surveys"):
        module = importlib.import_module(f"pspn_core.{feature}")
        assert module.__all__, feature
        for name in module.__all__:
            assert getattr(module, name) is not None, f"pspn_core.{feature}.{name}"


def test_the_top_level_holds_only_what_every_feature_shares() -> None:
    top = {p.stem for p in (SRC / "pspn_core").glob("*.py")}
    assert top == {
        "__init__",
        "_lazy",
        "config",
        "errors",
        "files",
        "hookspecs",
        "plugins",
        "ports",
        "registries",
        "testing",
    }


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


def test_every_entry_point_loads_and_implements_hooks() -> None:
    import click

    from pspn_core.plugins import Plugins, make_plugin_manager

    entry_points = importlib.metadata.entry_points(group="pspn")
    assert "local" in {ep.name for ep in entry_points}
    plugins = Plugins(make_plugin_manager(environ={}))
    forums, platforms = plugins.forums(), plugins.platforms()
    assert "local" in platforms
    hooks = {info.name: info.hooks for info in plugins.describe()}
    for entry_point in entry_points:
        module = entry_point.load()
        assert hooks[entry_point.name], f"{entry_point.name} implements no hook"
        if hasattr(module, "pspn_register_forums"):
            assert entry_point.name in forums, entry_point.name
        elif hasattr(module, "pspn_register_platforms"):
            assert entry_point.name in platforms, entry_point.name
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
