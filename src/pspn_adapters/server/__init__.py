"""``pspn serve``: webhooks from the forums and a private calendar feed, as a plugin.

This module only registers the commands (``pspn serve``, ``pspn calendar
token``); waitress and the request handlers are imported when ``serve`` runs.
The pieces: :mod:`.app` (the WSGI application), :mod:`.discourse` and
:mod:`.invision` (webhooks), :mod:`.calendar` (the ICS feed), :mod:`.effects`
(acting on a delivery through the core's services), :mod:`.serve` (waitress).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pspn_core.config import Config

__all__ = ["pspn_configure", "pspn_register_commands"]


@hookimpl
def pspn_configure(config: Config) -> None:
    """Check ``[adapters.server]`` whichever command runs, not only ``pspn serve``."""
    if "server" in config.adapters:
        from pspn_adapters.server.settings import server_settings

        server_settings(config)


@hookimpl
def pspn_register_commands(cli: click.Group) -> None:
    from pspn_adapters.server.commands import calendar, serve

    cli.add_command(serve)
    cli.add_command(calendar)
