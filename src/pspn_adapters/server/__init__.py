"""``pspn serve``: webhooks from the forums, a private calendar feed and the web app, as a plugin.

This module only registers the commands (``pspn serve``, ``pspn calendar
token``) and the demo's closing tips; waitress and the request handlers are
imported when ``serve`` runs. The pieces: :mod:`.app` (the WSGI application),
:mod:`.discourse` and :mod:`.invision` (webhooks), :mod:`.calendar` (the ICS
feed), :mod:`.effects` (acting on a delivery through the core's services),
:mod:`.serve` (waitress); the members' web app is :mod:`pspn_adapters.web`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pspn_core.config import Config

__all__ = ["pspn_demo_tips", "pspn_register_commands"]


@hookimpl
def pspn_register_commands(cli: click.Group) -> None:
    from pspn_adapters.server.commands import calendar, serve

    cli.add_command(serve)
    cli.add_command(calendar)


@hookimpl
def pspn_demo_tips(config: Config, username: str) -> list[str]:
    from pspn_adapters.web.demo import demo_tips

    return demo_tips(config, username)
