"""``pspn topics``: what members want to talk about."""

from __future__ import annotations

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import (
    ID,
    format_option,
    network_option,
    pass_app,
    print_json,
    print_table,
    quiet_option,
)

__all__ = ["topics"]


@click.group()
def topics() -> None:
    """Topics members raise for the agenda, and their votes."""


@topics.command("raise")
@network_option
@click.argument("title")
@click.option("--by", "by", metavar="MEMBER", help="The member raising it (username).")
@quiet_option
@pass_app
def raise_(app: App, network_slug: str | None, title: str, by: str | None, quiet: bool) -> None:
    """Raise TITLE as a topic for a coming meeting. With --quiet, prints only its id."""
    from pspn_core.meetings.participation import raise_topic

    network = app.only_network(network_slug)
    topic = raise_topic(network, app.store, title, by=by)
    click.echo(str(topic.id) if quiet else f"Raised topic {topic.id}: {topic.title}")


@topics.command()
@network_option
@click.argument("topic_id", type=ID)
@click.option("--by", "by", metavar="MEMBER", required=True, help="The member voting.")
@pass_app
def vote(app: App, network_slug: str | None, topic_id: int, by: str) -> None:
    """Vote for topic TOPIC_ID (one vote per member)."""
    from pspn_core.meetings.participation import vote as vote_for

    network = app.only_network(network_slug)
    vote_for(network, app.store, topic_id, by=by)
    click.echo(f"{app.store.member(network.slug, by).username} voted for topic {topic_id}.")


@topics.command("list")
@network_option
@click.option("--all", "show_all", is_flag=True, help="Include topics already on an agenda.")
@format_option
@pass_app
def list_topics(app: App, network_slug: str | None, show_all: bool, output_format: str) -> None:
    """List topics, most votes first, then oldest."""
    network = app.only_network(network_slug)
    rows = sorted(
        (t for t in app.store.topics(network.slug) if show_all or t.used_in is None),
        key=lambda t: (-t.votes, t.raised_at, t.id),
    )
    if output_format == "json":
        print_json([t.model_dump(mode="json") for t in rows])
        return
    if not rows:
        click.echo("No topics are waiting.")
        return
    print_table(
        ["id", "votes", "title", "on agenda of"],
        [[t.id, t.votes, t.title, t.used_in or ""] for t in rows],
    )
