"""``pspn serve`` and ``pspn calendar token``: the commands this plugin adds."""

from __future__ import annotations

import logging

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import network_option, pass_app

__all__ = ["calendar", "serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@pass_app
def serve(app: App, host: str, port: int) -> None:
    """Receive the forum's webhooks and serve each network's calendar feed.

    Stops on Ctrl-C or SIGTERM after finishing the requests in flight.
    Put it behind a TLS-terminating proxy; see docs/serve.md.
    """
    from pspn_adapters.server.serve import serve as run

    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("pspn.server").setLevel(logging.INFO)

    def ready(url: str) -> None:
        click.echo(f"pspn is serving {url} (webhooks, /calendar/<network>.ics, /healthz)")
        click.echo("Stop with Ctrl-C or SIGTERM; requests in flight are finished.")

    run(app, host, port, ready=ready)
    click.echo("Stopped.")


@click.group()
def calendar() -> None:
    """The private calendar feed members subscribe to."""


@calendar.command()
@network_option
@pass_app
def token(app: App, network_slug: str | None) -> None:
    """Create or rotate the network's feed token and print its address once.

    Only a hash of the token is kept: note the address now. Rotating makes
    the old address stop working (subscribers need the new one).
    """
    from pspn_adapters.server.calendar import feed_url, hash_token, new_token
    from pspn_adapters.server.settings import server_settings

    network = app.only_network(network_slug)
    settings = server_settings(app.config)
    secret = new_token()
    replaced = app.store.set_calendar_token_hash(network.slug, hash_token(secret))
    click.echo(
        f"{'Rotated' if replaced else 'Created'} the calendar token of {network.slug}"
        + ("; the old address no longer works." if replaced else ".")
    )
    click.echo("Subscribe with this address (shown once; keep it to the network's members):")
    click.echo(feed_url(settings.public_url, network.slug, secret))
    if not settings.public_url:
        click.echo(
            "(a local address: set public_url in [adapters.server] to print the one members use)",
            err=True,
        )
