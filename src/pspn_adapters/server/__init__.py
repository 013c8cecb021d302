"""``pspn serve``: webhooks from the forums, a private calendar feed, and the members' app.

The commands (``pspn serve``, ``pspn calendar token``) are declared in the
``pspn.commands`` entry-point group, so ``pspn --help`` lists them without
importing this package; waitress and the request handlers are imported when
``serve`` runs. This module, the ``server`` plugin, only adds the demo's closing
tips. The pieces: :mod:`.app` (the WSGI application), :mod:`.effects` (acting on
a forum's delivery through the core's use cases; each forum adapter reads its
own deliveries), :mod:`.calendar` (the ICS feed), :mod:`.serve` (waitress); the
members' web app is :mod:`pspn_adapters.web`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pathlib import Path

    from pspn_core.config import Config
    from pspn_core.networks.model import Network

__all__ = ["pspn_configure", "pspn_demo_tips", "pspn_member_erased"]


@hookimpl
def pspn_configure(config: Config) -> None:
    """Check ``[adapters.server]`` whichever command runs, not only ``pspn serve``."""
    if "server" in config.adapters:
        from pspn_adapters.server.settings import server_settings

        server_settings(config)


@hookimpl
def pspn_demo_tips(config: Config, username: str) -> list[str]:
    from pspn_adapters.web.demo import demo_tips

    return demo_tips(config, username)


@hookimpl
def pspn_member_erased(network: Network, username: str, data_dir: Path) -> None:
    """Forget the person in the web app's own database too (links, calendar address)."""
    from pspn_adapters.web.database import forget

    forget(data_dir, username)
