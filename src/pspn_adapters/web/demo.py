"""What ``pspn demo`` prints about the web app: its address and a sign-in link."""

from __future__ import annotations

from datetime import UTC, datetime

from pspn_adapters.server.settings import server_settings
from pspn_adapters.web.links import LinkStore
from pspn_adapters.web.settings import web_settings
from pspn_core.config import Config

__all__ = ["LOCAL_ADDRESS", "demo_tips"]

#: Where ``pspn serve`` listens by default (its --host and --port).
LOCAL_ADDRESS = "http://127.0.0.1:8080"


def demo_tips(config: Config, username: str) -> list[str]:
    """The web address and a one-time sign-in link for ``username``."""
    minutes = web_settings(config).link_minutes
    links = LinkStore(config.data_dir, clock=lambda: datetime.now(UTC))
    try:
        token = links.issue(username, minutes)
    finally:
        links.close()
    address = server_settings(config).public_url.rstrip("/") or LOCAL_ADDRESS
    source = f" --config {config.source}" if config.source else ""
    return [
        f"The network's web app: start it with `pspn{source} serve`, then open {address}/",
        f"Sign in as the demo lead ({username}) with this link, within {minutes} minutes "
        f"and once: {address}/sign-in/{token}",
        "(Run `pspn demo` again for a fresh link.)",
    ]
