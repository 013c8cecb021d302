"""The command line as a hub operator uses it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from pspn_core import __version__
from tests.conftest import Cli


def test_version_and_help_on_every_command(run: Cli) -> None:
    assert run("--version").output.strip().endswith(__version__)
    for args in (
        ["--help"],
        ["init", "--help"],
        ["demo", "--help"],
        ["networks", "--help"],
        ["networks", "list", "--help"],
        ["members", "add", "--help"],
        ["members", "list", "--help"],
        ["plugins", "--help"],
    ):
        result = run(*args)
        assert result.exit_code == 0, args
        assert "Usage:" in result.output


def test_init_writes_the_example_and_refuses_to_overwrite(tmp_path: Path, run: Cli) -> None:
    result = run("init", str(tmp_path / "hub"))
    assert result.exit_code == 0
    written = (tmp_path / "hub" / "pspn.toml").read_text()
    assert "week_of_month = 2" in written and '"12:30"' in written and '"18:30"' in written
    again = run("init", str(tmp_path / "hub"))
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert (tmp_path / "hub" / "pspn.toml").read_text() == written


def test_demo_in_an_empty_directory_then_again(tmp_path: Path, run: Cli) -> None:
    first = run("demo", str(tmp_path / "demo"))
    assert first.exit_code == 0, first.output
    assert (tmp_path / "demo" / "pspn.toml").exists()
    db = tmp_path / "demo" / "pspn-data" / "pspn.db"
    assert db.exists()
    second = run("demo", str(tmp_path / "demo"))
    assert second.exit_code == 0, second.output
    assert "Reusing" in second.output
    with sqlite3.connect(db) as conn:
        # the five invented members and the one applicant the demo admits
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] == 6
        assert conn.execute("SELECT count(*) FROM lf_group_members").fetchone()[0] == 6
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_members_add_and_list(run: Cli) -> None:
    assert run("networks", "setup").exit_code == 0
    added = run(
        "members",
        "add",
        "kit_m",
        "--name",
        "Kit Marlowe",
        "--organisation",
        "Frimley Health NHS Foundation Trust",
    )
    assert added.exit_code == 0, added.output
    again = run("members", "add", "kit_m", "--name", "Kit Marlowe")
    assert again.exit_code == 0 and "already" in again.output
    listed = json.loads(run("members", "list", "--format", "json").output)
    assert [(m["username"], m["display_name"]) for m in listed] == [("kit_m", "Kit Marlowe")]


def test_bad_input_is_exit_2_with_a_clear_message(run: Cli) -> None:
    run("networks", "setup")
    bad = run("members", "add", "@handle_not_username", "--name", "X")
    assert bad.exit_code == 2
    assert "username" in bad.output and "Traceback" not in bad.output


def test_adding_before_setup_says_what_to_do(run: Cli) -> None:
    result = run("members", "add", "kit_m", "--name", "Kit Marlowe")
    assert result.exit_code == 1
    assert "pspn networks setup" in result.output


def test_unknown_network_is_a_config_error(run: Cli) -> None:
    result = run("members", "list", "--network", "nope")
    assert result.exit_code == 2
    assert "'nope'" in result.output and "pspn" in result.output


def test_usage_errors_exit_2(run: Cli) -> None:
    assert run("members", "add").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_config_from_environment_variable(tmp_path: Path, hub_dir: Path) -> None:
    """PSPN_CONFIG is honoured by the installed console script."""
    env = {"PSPN_CONFIG": str(hub_dir / "pspn.toml"), "PATH": "", "PSPN_DISABLED_PLUGINS": ""}
    result = subprocess.run(
        [sys.executable, "-c", "from pspn_core.cli import main; main()", "networks", "list"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Patient Safety Partners Network" in result.stdout


def test_help_lists_plugin_commands_and_imports_no_adapter_http_or_crypto_code() -> None:
    code = (
        "import sys\n"
        "from pspn_core.cli import main\n"
        "sys.argv = ['pspn', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('requests', 'cryptography', 'icalendar', 'holidays', 'waitress', 'jsonschema')"
        " or m.startswith(('pspn_adapters.local', 'pspn_adapters.discourse',"
        " 'pspn_adapters.invision', 'pspn_adapters.server.app'))]\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "HEAVY []" in result.stdout
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")}
    assert {"serve", "calendar", "members", "notes"} <= listed


def test_shell_completion_offers_plugin_commands(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "_PSPN_COMPLETE": "bash_complete",
        "COMP_WORDS": "pspn se",
        "COMP_CWORD": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from pspn_core.cli import main; main()"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert "plain,serve" in result.stdout.splitlines()


def test_the_builtin_table_matches_each_command_and_its_help() -> None:
    """`pspn --help` lists pspn's commands from a table; it must say what they say."""
    import importlib

    import click

    from pspn_core.cli import BUILTIN

    for name, (module, summary) in BUILTIN.items():
        command = getattr(importlib.import_module(f"pspn_core.cli.{module}"), name)
        assert isinstance(command, click.Command) and command.name == name
        assert (command.help or "").splitlines()[0] == summary, name
    modules = Path(__file__).resolve().parents[2] / "src" / "pspn_core" / "cli"
    groups = {
        path.stem
        for path in modules.glob("*.py")
        if path.stem != "__init__" and "@click.group(" in path.read_text(encoding="utf-8")
    }
    assert groups <= {module for module, _ in BUILTIN.values()}
