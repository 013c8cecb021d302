"""``pspn serve``: webhooks from the forums and a private calendar feed, as a plugin.

This module only registers the commands (``pspn serve``, ``pspn calendar
token``); waitress and the request handlers are imported when ``serve`` runs.
The pieces: :mod:`.app` (the WSGI application), :mod:`.discourse` and
:mod:`.invision` (webhooks), :mod:`.calendar` (the ICS feed), :mod:`.effects`
(acting on a delivery through the core's services), :mod:`.serve` (waitress).
"""

from __future__ import annotations

import click

from pspn_core import hookimpl

__all__ = ["pspn_register_commands"]


@hookimpl
def pspn_register_commands(cli: click.Group) -> None:
    from pspn_adapters.server.commands import calendar, serve

    cli.add_command(serve)
    cli.add_command(calendar)
