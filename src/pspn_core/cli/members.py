"""``pspn members``: a network's roster."""

from __future__ import annotations

import click

from pspn_core.cli import membership as membership_commands
from pspn_core.cli.app import App
from pspn_core.cli.common import format_option, network_option, pass_app, print_json, print_table
from pspn_core.membership import service as membership
from pspn_core.membership.model import Member

__all__ = ["members"]


@click.group()
def members() -> None:
    """The members of a network."""


@members.command("list")
@network_option
@format_option
@pass_app
def list_members(app: App, network_slug: str | None, output_format: str) -> None:
    """List a network's members."""
    network = app.only_network(network_slug)
    if output_format == "json":
        print_json([m.model_dump(mode="json") for m in app.store.members(network.slug)])
        return
    rows = app.store.member_names(network.slug)
    if not rows:
        click.echo(f"{network.slug} has no members yet.")
        return
    print_table(["username", "name", "organisation"], rows)


@members.command("add")
@network_option
@click.argument("username")
@click.option("--name", "display_name", required=True, help="The member's display name.")
@click.option("--organisation", default="", help="The NHS organisation they work with.")
@click.option("--alias", "aliases", multiple=True, help="Another name they go by (repeatable).")
@pass_app
def add(
    app: App,
    network_slug: str | None,
    username: str,
    display_name: str,
    organisation: str,
    aliases: tuple[str, ...],
) -> None:
    """Add USERNAME to a network: the roster, and the private group on the forum."""
    from pydantic import ValidationError

    from pspn_core.config import describe_validation_error
    from pspn_core.errors import InputError

    network = app.only_network(network_slug)
    try:
        member = Member(
            network=network.slug,
            username=username,
            display_name=display_name,
            organisation=organisation,
            aliases=aliases,
        )
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from None
    if membership.add_member(network, member, app.store, app.forum(network.slug), app.plugins):
        click.echo(f"Added {member.username} to {network.slug}.")
    else:
        click.echo(f"{member.username} was already a member of {network.slug}; nothing changed.")


@members.command()
@network_option
@click.argument("username")
@click.option(
    "--slot",
    "slots",
    multiple=True,
    metavar="SLOT",
    help="A slot they can chair (repeatable; default: every slot).",
)
@click.option("--stop", is_flag=True, help="They no longer volunteer.")
@pass_app
def volunteer(
    app: App, network_slug: str | None, username: str, slots: tuple[str, ...], stop: bool
) -> None:
    """Record that USERNAME will chair meetings (in the slots given)."""
    from pspn_core.meetings.participation import slot_names
    from pspn_core.meetings.participation import volunteer as record

    network = app.only_network(network_slug)
    member = app.store.member(network.slug, username)
    wanted = [] if stop else list(slots or slot_names(network))
    chosen = record(network, app.store, username, wanted)
    if stop:
        click.echo(f"{member.username} no longer volunteers to chair.")
    else:
        click.echo(f"{member.username} volunteers to chair: {', '.join(chosen)}.")


for _command in membership_commands.COMMANDS:
    members.add_command(_command)
