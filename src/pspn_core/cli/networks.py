"""``pspn networks``: the networks the hub hosts."""

from __future__ import annotations

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import format_option, network_option, pass_app, print_json, print_table
from pspn_core.cli.dry_run import dry_run as dry_run_of
from pspn_core.cli.dry_run import dry_run_option
from pspn_core.errors import OperationError
from pspn_core.networks.service import setup_network

__all__ = ["networks"]


@click.group()
def networks() -> None:
    """The networks this hub hosts."""


@networks.command("list")
@format_option
@pass_app
def list_networks(app: App, output_format: str) -> None:
    """List the configured networks and whether they are set up."""
    config = app.config
    recorded = set(app.store.networks())
    rows = [
        {
            "slug": network.slug,
            "name": network.name,
            "forum": config.hub.forum,
            "set_up": network.slug in recorded,
            "members": len(app.store.member_names(network.slug)) if network.slug in recorded else 0,
        }
        for network in config.networks.values()
    ]
    if output_format == "json":
        print_json(rows)
        return
    print_table(
        ["slug", "name", "forum", "set up", "members"],
        [
            [r["slug"], r["name"], r["forum"], "yes" if r["set_up"] else "no", r["members"]]
            for r in rows
        ],
    )


@networks.command("setup")
@network_option
@dry_run_option
@pass_app
def setup(app: App, network_slug: str | None, dry_run: bool) -> None:
    """Record networks in the store (and create them on the embedded forum).

    On Discourse and Invision, first checks every configured id (group or club,
    notes area, calendar) and the API user's rights, and reports every problem.
    Without --network, sets up every configured network. Safe to run again.
    """
    slugs = [network_slug] if network_slug else list(app.config.networks)
    with dry_run_of(app, dry_run):
        _setup(app, slugs)


def _setup(app: App, slugs: list[str]) -> None:
    failed = []
    for slug in slugs:
        network = app.network(slug)
        try:
            done = setup_network(network, app.store, app.forum(slug), app.plugins)
        except OperationError as error:
            click.echo(f"{slug}: {error}", err=True)
            failed.append(slug)
            continue
        for line in done or ["already set up; nothing to do"]:
            click.echo(f"{slug}: {line}")
    if failed:
        raise OperationError(f"not set up: {', '.join(failed)} (see the problems above)")
