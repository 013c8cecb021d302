"""The network's own web app in ``pspn serve``: members, note-takers, chairs and leads.

Flask with Jinja2 autoescaping and Flask-WTF forms, mounted beside the webhook
server by :class:`~pspn_adapters.web.dispatch.PathDispatcher`. See docs/web.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from pspn_adapters.server.context import ServerContext

__all__ = ["mount"]


def mount(
    context: ServerContext,
    environ: Mapping[str, str],
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[..., Any]:
    """The WSGI callable for ``pspn serve``: webhooks, calendars and health as before,
    and the web app on every other path."""
    from pspn_adapters.server.app import make_app
    from pspn_adapters.web.app import create_app
    from pspn_adapters.web.dispatch import PathDispatcher
    from pspn_adapters.web.settings import web_settings

    web = create_app(context, web_settings(context.config), environ, clock=clock)
    return PathDispatcher(make_app(context), web)
