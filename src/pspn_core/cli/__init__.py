"""The ``pspn`` command line.

Commands live in small modules beside this one, one per feature. Plugins add
theirs in two ways: declared in the ``pspn.commands`` entry-point group (listed
by ``pspn --help`` and shell completion, imported only when run or described),
or through the ``pspn_register_commands`` hook (loaded only when a command is
not found otherwise). ``pspn --help`` imports no adapter, HTTP or crypto code.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
from pathlib import Path
from typing import Any

import click

from pspn_core import __version__
from pspn_core.cli import collector
from pspn_core.cli.app import App
from pspn_core.cli.failures import debugging, explain
from pspn_core.cli.remedies import describe
from pspn_core.errors import PspnError
from pspn_core.plugins import COMMANDS_GROUP, DISABLED_ENV, ENTRY_POINT_GROUP

__all__ = ["App", "cli", "main"]


class OperationFailed(click.ClickException):
    """A failed operation, shown as one clear line (exit status 1)."""

    exit_code = 1


class BadConfiguration(click.ClickException):
    """A bad configuration or a value pspn refuses, shown as one clear line (exit status 2)."""

    exit_code = 2


def _click_error(error: PspnError) -> click.ClickException:
    """The click exception that shows ``error`` with its exit status."""
    kind = BadConfiguration if error.exit_code == 2 else OperationFailed
    return kind(describe(error))


#: What click itself raises to end a run; passed through untouched.
_CLICK_EXITS = (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit)


def _unexpected(ctx: click.Context, error: Exception) -> click.ClickException:
    """One line for an error nobody planned for (``PSPN_DEBUG=1``: re-raise it instead)."""
    app = ctx.find_object(App)
    if debugging(os.environ) or (app is not None and debugging(app.environ)):
        raise error
    return OperationFailed(explain(error))


class PspnGroup(click.Group):
    """The ``pspn`` group: every error ends here as one clean line; its own commands and
    plugins' are found on demand, so that ``pspn --help`` imports neither.

    pspn's own errors (:class:`PspnError`) keep their message (with its remedy worded
    as a command) and exit status; anything else is explained by
    :func:`~pspn_core.cli.failures.explain` with exit status 1.
    """

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in BUILTIN:
                summary = click.Command(name, help=BUILTIN[name][1])
                rows.append((name, summary.get_short_help_str(limit)))
            elif (command := self.get_command(ctx, name)) is not None:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PspnError as error:
            raise _click_error(error) from None
        except _CLICK_EXITS:
            raise
        except Exception as error:  # the one place unexpected errors end
            raise _unexpected(ctx, error) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*BUILTIN, *declared_commands()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in BUILTIN:
            module = importlib.import_module(f"pspn_core.cli.{BUILTIN[cmd_name][0]}")
            command: click.Command = getattr(module, cmd_name)
            return command
        declared = declared_commands().get(cmd_name)
        if declared is not None:
            loaded = declared.load()
            if isinstance(loaded, click.Command):
                return loaded
        plugin_commands = click.Group()
        try:
            _app(ctx).plugins.register_commands(plugin_commands)
        except PspnError as error:
            raise _click_error(error) from None
        except Exception as error:  # a broken plugin: one line
            raise _unexpected(ctx, error) from None
        return plugin_commands.commands.get(cmd_name)


def declared_commands() -> dict[str, importlib.metadata.EntryPoint]:
    """The ``pspn.commands`` entry points, minus those of plugins in ``PSPN_DISABLED_PLUGINS``.

    A command is skipped when its own name is disabled, or the name of the
    ``pspn`` plugin whose package holds it.
    """
    disabled = {n.strip() for n in os.environ.get(DISABLED_ENV, "").split(",") if n.strip()}
    plugins = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    off = tuple(ep.module + "." for ep in plugins if ep.name in disabled)
    return {
        ep.name: ep
        for ep in importlib.metadata.entry_points(group=COMMANDS_GROUP)
        if ep.name not in disabled and not (ep.module + ".").startswith(off or ("\0",))
    }


def _app(ctx: click.Context) -> App:
    """The :class:`App` of this run (tests may pass their own as ``obj``)."""
    app = ctx.find_object(App) or ctx.ensure_object(App)
    root = ctx.find_root()
    if root.params.get("config_path") is not None:
        app.config_path = root.params["config_path"]
    return app


@click.group(
    cls=PspnGroup,
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "PSPN"},
    epilog="Plugins may add commands: `pspn plugins` lists what is installed.",
)
@click.version_option(__version__, prog_name="pspn")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PSPN_CONFIG",
    help="The pspn.toml to use (default: $PSPN_CONFIG, then ./pspn.toml).",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """pspn: tools for patient-safety peer-support networks on their own forum."""
    collector.started()  # click runs this once the command's module is imported
    _app(ctx)


#: pspn's own commands: the module under ``pspn_core.cli`` that holds each, and its
#: one-line help (a test holds it equal to the command's own), so that ``pspn --help``
#: lists them all without importing any of them.
BUILTIN: dict[str, tuple[str, str]] = {
    "demo": (
        "setup",
        "Show pspn at work on the embedded forum, in DIRECTORY (default: ./pspn-demo).",
    ),
    "init": ("setup", "Write a commented example pspn.toml into DIRECTORY (default: here)."),
    "keys": ("keys", "The encryption key that protects raw notes at rest."),
    "meetings": (
        "meetings",
        "A network's meetings: plan them, move or cancel one, publish, export.",
    ),
    "members": ("members", "The members of a network."),
    "networks": ("networks", "The networks this hub hosts."),
    "notes": (
        "notes",
        "Meeting notes: non-attributable, reviewed, published only to the private area.",
    ),
    "plugins": (
        "setup",
        "List installed plugins, forum adapters, meeting platforms and plugin commands.",
    ),
    "surveys": ("surveys", "Member surveys whose results protect small numbers."),
    "topics": ("topics", "Topics members raise for the agenda, and their votes."),
}


def main() -> None:
    """Console-script entry point."""
    collector.starting()
    cli(prog_name="pspn")
