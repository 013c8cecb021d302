"""Every command, in every bad state, ends in one clean line and leaves the store as it was.

The command tree is walked, not listed, so a new command is covered the day it
is added. Each command runs with made-up arguments in a fresh directory (no
config), before `networks setup`, on a read-only data directory and where
every file write fails (as on a full disk).
"""

from __future__ import annotations

import functools
import os
import resource
import signal
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from shutil import copytree, rmtree

import click
import pytest
from click.testing import CliRunner, Result

import pspn_adapters.local
import pspn_adapters.server
from pspn_adapters.server.serve import Server
from pspn_core.cli import App, cli
from pspn_core.cli.setup import write_example_config
from pspn_core.plugins import Plugins, make_plugin_manager

NOBODY = 65534


def _plugins() -> Plugins:
    return Plugins(
        make_plugin_manager(
            load_entrypoints=False, plugins=[pspn_adapters.local, pspn_adapters.server]
        )
    )


@functools.cache
def _root() -> click.Group:
    """Every top-level command: pspn's own and the declared plugin commands (found as
    `pspn` itself finds them), and any a plugin above registers. Built once, while the
    tests still run as the user who installed pspn (some drop to another user)."""
    ctx = click.Context(cli, info_name="pspn")
    root = click.Group(
        commands={name: cli.get_command(ctx, name) for name in cli.list_commands(ctx)}
    )
    _plugins().register_commands(root)
    return root


def _commands() -> list[tuple[str, ...]]:
    """The path of every leaf command, built-in and from the plugins above."""
    root = _root()
    paths: list[tuple[str, ...]] = []

    def walk(group: click.Group, prefix: tuple[str, ...]) -> None:
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                walk(command, (*prefix, name))
            else:
                paths.append((*prefix, name))

    walk(root, ())
    return paths


COMMANDS = _commands()
assert len(COMMANDS) > 30, COMMANDS  # the walk found the tree


def _leaf(path: tuple[str, ...]) -> click.Command:
    command: click.Command = _root()
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _arguments(path: tuple[str, ...], hub: Path) -> list[str]:
    """Made-up values for every required argument and option of the command at ``path``."""
    sample = hub / "input.txt"
    args = list(path)
    for param in _leaf(path).params:
        if not param.required and not isinstance(param, click.Argument):
            continue
        value = _sample_value(param.type, sample)
        if isinstance(param, click.Option):
            args += [param.opts[0], value]
        elif param.nargs == -1 or param.required:
            args.append(value)
    if path == ("serve",):
        args += ["--port", "0"]
    return args


def _sample_value(kind: click.ParamType, sample: Path) -> str:
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return "1"
    if isinstance(kind, click.DateTime):
        return "2027-01-01"
    if isinstance(kind, click.Path | click.File):
        return str(sample)
    return "someone"


def _snapshot(hub: Path) -> list[str] | None:
    """Every row held (``None`` when there is no store); tables made empty by a migration
    on first use do not count as a change."""
    database = hub / "pspn-data" / "pspn.db"
    if not database.exists():
        return None
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [
            line
            for line in conn.iterdump()
            if line.startswith("INSERT") and '"schema_versions"' not in line
        ]
    finally:
        conn.close()


@contextmanager
def _writes_fail() -> Iterator[None]:
    """Every write to a file fails, as on a full disk (``ulimit -f 0``)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


@contextmanager
def _read_only(hub: Path) -> Iterator[None]:
    """The data directory and everything in it read-only, even for root (who runs as nobody)."""
    data = hub / "pspn-data"
    root = os.geteuid() == 0
    if root:
        for path in [hub, *hub.rglob("*")]:
            os.chown(path, NOBODY, NOBODY)
    for path in data.rglob("*"):
        path.chmod(0o400)
    data.chmod(0o500)
    if root:
        os.seteuid(NOBODY)
    try:
        yield
    finally:
        if root:
            os.seteuid(0)
        data.chmod(0o700)
        for path in data.rglob("*"):
            path.chmod(0o600)


def _hub(stage: str) -> Path:
    """A hub directory at ``stage``: no config, set up not yet, or set up with data."""
    hub = Path(tempfile.mkdtemp(prefix="pspn-every-"))
    hub.chmod(0o755)
    (hub / "input.txt").write_text("Some text.\n")
    if stage == "fresh":
        return hub
    write_example_config(hub)
    _run(hub, "keys", "init")
    if stage == "set up":
        _run(hub, "networks", "setup")
        _run(hub, "members", "add", "ada_l", "--name", "Ada Lovelock")
    else:
        _run(hub, "members", "list")  # creates the store, with no network in it
    return hub


def _run(hub: Path, *args: str) -> Result:
    app = App(hub / "pspn.toml", plugins=_plugins(), environ={})
    try:
        return CliRunner().invoke(cli, list(args), obj=app, catch_exceptions=True)
    finally:
        if "store" in app.__dict__:
            app.store.close()


def _check(path: tuple[str, ...], result: Result, *, ok_allowed: bool) -> None:
    where = " ".join(path)
    assert "Traceback" not in result.output, f"{where}: {result.output}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{where} raised {result.exception!r}") from result.exception
    allowed = (0, 1, 2) if ok_allowed else (1, 2)
    assert result.exit_code in allowed, f"{where} exited {result.exit_code}: {result.output}"
    if result.exit_code != 0:
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, f"{where}: {result.output}"
        assert "Error" not in errors[0][len("Error:") :], f"{where}: {errors[0]}"
        assert "bug in pspn" not in errors[0], f"{where}: {errors[0]}"


@pytest.fixture(autouse=True)
def _no_real_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pspn serve`` starts, then stops at once instead of serving until a signal."""
    real = Server.serve

    def serve_nothing(self: Server, *, grace: float = 30.0) -> None:
        self.stop()
        real(self, grace=0)

    monkeypatch.setattr(Server, "serve", serve_nothing)


@pytest.fixture
def cwd(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Commands that write into the current directory write into a scratch one."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def templates() -> Iterator[dict[str, Path]]:
    made = {stage: _hub(stage) for stage in ("fresh", "not set up", "set up")}
    yield made
    for hub in made.values():
        rmtree(hub, ignore_errors=True)


@pytest.fixture
def hubs(templates: dict[str, Path]) -> Iterator[dict[str, Path]]:
    """A copy of each stage's hub for this test alone."""
    copies: dict[str, Path] = {}
    for stage, template in templates.items():
        copies[stage] = Path(tempfile.mkdtemp(prefix="pspn-every-"))
        copytree(template, copies[stage], dirs_exist_ok=True)
        copies[stage].chmod(0o755)
    yield copies
    for hub in copies.values():
        rmtree(hub, ignore_errors=True)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("stage", ["fresh", "not set up"])
def test_before_setup_a_command_says_what_to_do_and_changes_nothing(
    path: tuple[str, ...], stage: str, hubs: dict[str, Path], cwd: Path
) -> None:
    hub = hubs[stage]
    before = _snapshot(hub)
    result = _run(hub, *_arguments(path, hub))
    _check(path, result, ok_allowed=True)
    if result.exit_code != 0:
        assert _snapshot(hub) == before, " ".join(path)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_on_a_read_only_data_directory_a_command_fails_cleanly(
    path: tuple[str, ...], hubs: dict[str, Path], cwd: Path
) -> None:
    hub = hubs["set up"]
    # Root runs the command as nobody, who cannot read the modules under /root:
    # a first run in a scratch hub imports everything the command needs.
    _run(hubs["not set up"], *_arguments(path, hubs["not set up"]))
    before = _snapshot(hub)
    cwd.chmod(0o777)
    with _read_only(hub):
        result = _run(hub, *_arguments(path, hub))
    _check(path, result, ok_allowed=True)
    assert _snapshot(hub) == before, " ".join(path)


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_where_every_write_fails_a_command_fails_cleanly(
    path: tuple[str, ...], hubs: dict[str, Path], cwd: Path
) -> None:
    hub = hubs["set up"]
    before = _snapshot(hub)
    with _writes_fail():
        result = _run(hub, *_arguments(path, hub))
    _check(path, result, ok_allowed=True)
    assert _snapshot(hub) == before, " ".join(path)
    assert not list((hub / "pspn-data").glob("*.new")), " ".join(path)


def test_an_unexpected_error_is_one_line_and_pspn_debug_shows_the_traceback(
    hub_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pspn_core.cli import networks

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(networks, "setup_network", broken)
    app = App(hub_dir / "pspn.toml", plugins=_plugins(), environ={})
    result = CliRunner().invoke(cli, ["networks", "setup"], obj=app)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: unexpected error (KeyError: 'boom'): this is a bug in pspn; run again with "
        "PSPN_DEBUG=1 to see the details and report it"
    ]
    app = App(hub_dir / "pspn.toml", plugins=_plugins(), environ={"PSPN_DEBUG": "1"})
    result = CliRunner().invoke(cli, ["networks", "setup"], obj=app)
    assert isinstance(result.exception, KeyError)
