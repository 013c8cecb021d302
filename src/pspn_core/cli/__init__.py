"""The ``pspn`` command line.

Commands live in small modules beside this one; plugins add their own through
the ``pspn_register_commands`` hook, loaded only when a command is not one of
ours, so that ``pspn --help`` imports no adapter, HTTP or crypto code.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from pspn_core import __version__
from pspn_core.cli.app import App
from pspn_core.cli.failures import debugging, explain
from pspn_core.errors import PspnError

__all__ = ["App", "cli", "main"]


class OperationFailed(click.ClickException):
    """A failed operation, shown as one clear line (exit status 1)."""

    exit_code = 1


class BadConfiguration(click.ClickException):
    """A configuration problem, shown as one clear line (exit status 2)."""

    exit_code = 2


def _click_error(error: PspnError) -> click.ClickException:
    """The click exception that shows ``error`` with its exit status."""
    kind = BadConfiguration if error.exit_code == 2 else OperationFailed
    return kind(str(error))


#: What click itself raises to end a run; passed through untouched.
_CLICK_EXITS = (click.exceptions.ClickException, click.exceptions.Abort, click.exceptions.Exit)


def _unexpected(ctx: click.Context, error: Exception) -> click.ClickException:
    """One line for an error nobody planned for (``PSPN_DEBUG=1``: re-raise it instead)."""
    app = ctx.find_object(App)
    if debugging(os.environ) or (app is not None and debugging(app.environ)):
        raise error
    return OperationFailed(explain(error))


class PspnGroup(click.Group):
    """A group that turns every error into one clean line and finds plugin commands.

    This is the one place where errors end: pspn's own (:class:`PspnError`)
    keep their message and exit status; anything else is explained by
    :func:`~pspn_core.cli.failures.explain` with exit status 1.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PspnError as error:
            raise _click_error(error) from None
        except _CLICK_EXITS:
            raise
        except Exception as error:  # the one place unexpected errors end
            raise _unexpected(ctx, error) from None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or ctx.parent is not None:
            return command
        plugin_commands = click.Group()
        try:
            _app(ctx).plugins.register_commands(plugin_commands)
        except PspnError as error:
            raise _click_error(error) from None
        except Exception as error:  # a broken plugin: one line
            raise _unexpected(ctx, error) from None
        return plugin_commands.commands.get(cmd_name)


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
    _app(ctx)


def _register_builtin_commands() -> None:
    from pspn_core.cli import (
        keys,
        meetings,
        members,
        membership,  # noqa: F401  (adds its commands to `members`)
        networks,
        notes,
        setup,
        surveys,
        topics,
    )

    cli.add_command(setup.init)
    cli.add_command(setup.demo)
    cli.add_command(setup.plugins)
    cli.add_command(networks.networks)
    cli.add_command(members.members)
    cli.add_command(meetings.meetings)
    cli.add_command(topics.topics)
    cli.add_command(surveys.surveys)
    cli.add_command(notes.notes)
    cli.add_command(keys.keys)


_register_builtin_commands()


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="pspn")
