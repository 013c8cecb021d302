"""``pspn meetings``: plan, change, publish and export a network's meetings."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import format_option, network_option, pass_app, print_json, print_table
from pspn_core.cli.dry_run import dry_run as dry_run_of
from pspn_core.cli.dry_run import dry_run_option
from pspn_core.errors import InputError
from pspn_core.meetings.model import Meeting
from pspn_core.networks.model import Network

if TYPE_CHECKING:
    from pspn_core.meetings.online import SyncReport

__all__ = ["meetings", "months_later", "network_calendar", "publish_everywhere"]


@click.group()
def meetings() -> None:
    """A network's meetings: plan them, move or cancel one, publish, export."""


def months_later(start: date, months: int) -> date:
    """The day before the same day ``months`` later (clamped to the month's end)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day) - timedelta(days=1)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _chair_names(app: App, slug: str) -> dict[str, str]:
    return {username: name for username, name, _ in app.store.member_names(slug)}


def _rows(meetings: list[Meeting], names: dict[str, str]) -> list[dict[str, object]]:
    return [
        {
            "uid": m.uid,
            "start": m.start.isoformat(),
            "end": m.end.isoformat(),
            "slot": m.slot,
            "chair": names.get(m.chair, "a former member") if m.chair else None,
            "status": m.status.value,
            "sequence": m.sequence,
            "agenda": list(m.agenda),
        }
        for m in meetings
    ]


def _show(meetings: list[Meeting], names: dict[str, str], output_format: str) -> None:
    rows = _rows(meetings, names)
    if output_format == "json":
        print_json(rows)
        return
    print_table(
        ["uid", "when", "slot", "chair", "status"],
        [
            [
                m.uid,
                f"{m.start:%a %d %b %Y %H:%M}",
                m.slot,
                row["chair"] or "(no chair)",
                m.status.value,
            ]
            for m, row in zip(meetings, rows, strict=True)
        ],
    )


@meetings.command()
@network_option
@click.option(
    "--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First date (default: today)."
)
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last date, inclusive.")
@click.option("--months", type=click.IntRange(1, 240), help="Plan this many months (default 12).")
@format_option
@pass_app
def plan(
    app: App,
    network_slug: str | None,
    start: datetime | None,
    end: datetime | None,
    months: int | None,
    output_format: str,
) -> None:
    """Plan and store the meetings in a window, with chairs from the rota.

    Planning again is safe: meetings already planned keep their UIDs, chairs
    and changes.
    """
    from pspn_core.meetings.service import LAST_PLANNABLE
    from pspn_core.meetings.service import plan as plan_service

    if end is not None and months is not None:
        raise click.UsageError("give --to or --months, not both")
    network = app.only_network(network_slug)
    first = start.date() if start else datetime.now(UTC).date()
    # A start past the last plannable date is refused by the service, not by date overflow.
    last = end.date() if end else months_later(min(first, LAST_PLANNABLE), months or 12)
    result = plan_service(network, app.store, app.plugins, first, last)
    names = _chair_names(app, network.slug)
    _show(result.meetings, names, output_format)
    if output_format == "table":
        click.echo(f"{len(result.added)} new, {len(result.meetings)} in {first} to {last}.")
        unchaired = sum(1 for m in result.added if m.chair is None)
        if unchaired:
            click.echo(
                f"{unchaired} new meeting(s) have no chair: no volunteer can do their slot "
                "(`pspn members volunteer`)."
            )


@meetings.command("list")
@network_option
@format_option
@pass_app
def list_meetings(app: App, network_slug: str | None, output_format: str) -> None:
    """List every stored meeting."""
    network = app.only_network(network_slug)
    _show(app.store.meetings(network.slug), _chair_names(app, network.slug), output_format)


@meetings.command()
@network_option
@click.argument("uid")
@click.option("--to", "to", required=True, help="New local start, e.g. 2027-03-16T18:30.")
@click.option("--no-publish", is_flag=True, help="Store the change only; publish later.")
@pass_app
def move(app: App, network_slug: str | None, uid: str, to: str, no_publish: bool) -> None:
    """Move meeting UID to a new start time (in the network's time zone)."""
    from pspn_core.meetings.service import local_datetime, move_meeting, rules_of

    network = _network_of(app, network_slug, uid)
    when = local_datetime(to, rules_of(network).timezone)
    moved = move_meeting(network, app.store, app.plugins, uid, when)
    click.echo(f"Moved {uid} to {moved.start:%a %d %b %Y %H:%M %Z} (sequence {moved.sequence}).")
    if not no_publish:
        _publish(app, network.slug, only=[uid])


@meetings.command()
@network_option
@click.argument("uid")
@click.option("--reason", default="", help="Why, for the calendar.")
@click.option("--no-publish", is_flag=True, help="Store the change only; publish later.")
@pass_app
def cancel(app: App, network_slug: str | None, uid: str, reason: str, no_publish: bool) -> None:
    """Cancel meeting UID. Later meetings keep their slots."""
    from pspn_core.meetings.service import cancel_meeting

    network = _network_of(app, network_slug, uid)
    cancelled = cancel_meeting(network, app.store, app.plugins, uid, reason)
    click.echo(f"Cancelled {uid} (sequence {cancelled.sequence}).")
    if not no_publish:
        _publish(app, network.slug, only=[uid])


def _network_of(app: App, network_slug: str | None, uid: str) -> Network:
    """The network named, else the one meeting UID belongs to (its UID says which)."""
    if network_slug is None and len(app.config.networks) > 1:
        return app.network(app.store.meeting(uid).network)
    return app.only_network(network_slug)


@meetings.command()
@network_option
@click.argument("uid")
@click.option("--to", "to", required=True, metavar="MEMBER", help="Username of the new chair.")
@click.option("--force", is_flag=True, help="Even if MEMBER does not volunteer for the slot.")
@click.option("--no-publish", is_flag=True, help="Store the change only; publish later.")
@pass_app
def chair(
    app: App, network_slug: str | None, uid: str, to: str, force: bool, no_publish: bool
) -> None:
    """Hand meeting UID, not yet held, to another chair. SEQUENCE grows."""
    from pspn_core.meetings.service import change_chair

    network = app.only_network(network_slug)
    changed = change_chair(
        network, app.store, app.plugins, uid, to, now=datetime.now(UTC), force=force
    )
    click.echo(f"{uid} is now chaired by {changed.chair} (sequence {changed.sequence}).")
    if not no_publish:
        _publish(app, network.slug, only=[uid])


@meetings.command()
@network_option
@click.argument("member", required=False)
@click.option("--no-publish", is_flag=True, help="Store the changes only; publish later.")
@pass_app
def reassign(app: App, network_slug: str | None, member: str | None, no_publish: bool) -> None:
    """Run the rota again for meetings not yet held, when a chair can no longer take one.

    With MEMBER, from the first future meeting MEMBER chairs (MEMBER is left out);
    without, from the first whose chair no longer volunteers for its slot, or has
    none. The rota continues from every meeting before it, so it stays fair; only
    meetings whose chair changes are updated (SEQUENCE grows) and published.
    """
    from pspn_core.meetings.service import reassign_chairs

    network = app.only_network(network_slug)
    changed = reassign_chairs(network, app.store, app.plugins, now=datetime.now(UTC), member=member)
    names = _chair_names(app, network.slug)
    for meeting in changed:
        chair = names.get(meeting.chair, meeting.chair) if meeting.chair else "(no chair)"
        click.echo(f"{meeting.uid} ({meeting.start:%d %b %Y}): {chair}")
    click.echo(f"{len(changed)} meeting(s) have a new chair.")
    if changed and not no_publish:
        _publish(app, network.slug, only=[meeting.uid for meeting in changed])


@meetings.command()
@network_option
@dry_run_option
@pass_app
def publish(app: App, network_slug: str | None, dry_run: bool) -> None:
    """Send planned, moved and cancelled meetings to the forum calendar.

    One event per meeting; a second run changes nothing.
    """
    network = app.only_network(network_slug)
    with dry_run_of(app, dry_run):
        _publish(app, network.slug, dry_run=dry_run)


def publish_everywhere(
    app: App, slug: str, only: list[str] | None = None
) -> tuple[str | None, SyncReport, list[Meeting]]:
    """Hold the meetings on the network's platform, then send them to the forum calendar.

    The forum calendar is published even when the platform fails (those meetings
    go without a link until a later run). Returns the platform's name (``None``
    if there is none), what was done there, and the meetings sent to the forum.
    """
    from pspn_core.meetings.online import SyncReport, sync_online_meetings
    from pspn_core.meetings.service import publish_meetings

    network = app.network(slug)
    held = app.platform(slug)
    name, report = None, SyncReport()
    if held is not None:
        name, platform = held
        report = sync_online_meetings(network, app.store, platform, name, only=only or ())
    sent = publish_meetings(network, app.store, app.forum(slug), only=only or ())
    return name, report, sent


def _publish(app: App, slug: str, only: list[str] | None = None, *, dry_run: bool = False) -> None:
    from pspn_core.meetings.online import SyncReport
    from pspn_core.meetings.service import publish_meetings

    if dry_run:  # the platform is not contacted at all: a dry run sends nothing anywhere
        held = app.platform(slug)
        if held is not None:
            click.echo(f"Would hold new and changed meetings on {held[0]} (not contacted).")
        report = SyncReport()
        sent = publish_meetings(app.network(slug), app.store, app.forum(slug), only=only or ())
    else:
        name, report, sent = publish_everywhere(app, slug, only)
        if report.changed:
            click.echo(
                f"On {name}: {report.created} meeting(s) created, {report.updated} updated, "
                f"{report.cancelled} cancelled."
            )
    verb = "Would publish" if dry_run else "Published"
    click.echo(
        f"{verb} {len(sent)} meeting(s) to the forum calendar."
        if sent
        else "The forum calendar is up to date."
    )
    if report.failed is not None:
        raise report.failed


@meetings.command()
@network_option
@click.argument("uid", required=False)
@click.option(
    "--without-transcript",
    is_flag=True,
    help="Collect the chat alone, for a meeting that was not transcribed.",
)
@pass_app
def collect(app: App, network_slug: str | None, uid: str | None, without_transcript: bool) -> None:
    """Bring back meeting UID's transcript and chat (default: every meeting that has ended).

    Together they become one draft note, as `pspn notes add` makes one: raw text
    encrypted, anonymised, waiting for review. Chat messages starting with the
    network's topic prefix (default "Topic:") become topics, raised by nobody;
    attendance is kept as counts only. Collecting again adds nothing; a transcript
    that is not ready yet is reported, and can be collected later.
    """
    from pspn_core.meetings.collect import CollectStatus, collect_due, collect_meeting

    network = app.only_network(network_slug)
    name, platform = app.required_platform(network.slug)
    now, store, keys, plugins = datetime.now(UTC), app.store, app.keys, app.plugins
    if uid is not None:
        outcomes = [
            collect_meeting(
                network,
                uid,
                store=store,
                platform=platform,
                platform_name=name,
                keys=keys,
                plugins=plugins,
                now=now,
                without_transcript=without_transcript,
            )
        ]
    else:
        outcomes = collect_due(
            network,
            store=store,
            platform=platform,
            platform_name=name,
            keys=keys,
            plugins=plugins,
            now=now,
        )
    if not outcomes:
        click.echo("No meeting is waiting to be collected.")
    for outcome in outcomes:
        if outcome.status is CollectStatus.COLLECTED:
            click.echo(
                f"{outcome.uid}: draft note {outcome.note_id} waits for review "
                f"(`pspn notes review {outcome.note_id}`); {len(outcome.topics)} topic(s) raised."
            )
            for topic in outcome.topics:
                click.echo(f"  topic: {topic}")
            for question in outcome.candidates:
                click.echo(f"  unanswered, a candidate topic: {question}")
            if outcome.attendance is not None:
                click.echo(f"  attendance: {_attendance_line(outcome.attendance)}")
        elif outcome.status is CollectStatus.ALREADY:
            click.echo(f"{outcome.uid}: already collected (note {outcome.note_id}).")
        else:
            click.echo(f"{outcome.uid}: not ready, try later: {outcome.reason}.")


def _attendance_line(counts: Mapping[str, object]) -> str:
    def shown(value: object) -> str:
        return "suppressed" if value is None else str(value)

    bands = counts.get("bands")
    parts = [f"{shown(counts.get('attendees'))} attendee(s)"]
    if isinstance(bands, Mapping):
        parts += [f"{label}: {shown(value)}" for label, value in bands.items()]
    return "; ".join(parts)


@meetings.command()
@network_option
@click.argument("uid", required=False)
@pass_app
def agenda(app: App, network_slug: str | None, uid: str | None) -> None:
    """Put the top topics on the agenda of meeting UID (default: the next meeting).

    Topics are ranked by votes, then age; each is used once.
    """
    from pspn_core.meetings.service import set_next_agenda

    network = app.only_network(network_slug)
    result = set_next_agenda(network, app.store, datetime.now(UTC), uid)
    if result is None:
        click.echo("No upcoming meeting is planned; run `pspn meetings plan` first.")
        return
    meeting, topics = result
    if topics:
        click.echo(f"Agenda for {meeting.uid} ({meeting.start:%d %b %Y}):")
    elif meeting.agenda:
        click.echo(f"{meeting.uid} already has its agenda:")
    else:
        click.echo("No topics are waiting; raise one with `pspn topics raise`.")
    for item in meeting.agenda:
        click.echo(f"  - {item}")
    link = app.store.join_urls(network.slug).get(meeting.uid)
    if link:
        click.echo(f"Join: {link}")


@meetings.command()
@network_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the .ics file ('-' for standard output).",
)
@pass_app
def ics(app: App, network_slug: str | None, out: Path) -> None:
    """Write the network's meetings as an iCalendar file."""
    from pspn_core.meetings.service import rules_of

    network = app.only_network(network_slug)
    data = network_calendar(app, network.slug)
    if str(out) == "-":
        sys.stdout.buffer.write(data)
        return
    try:
        out.write_bytes(data)
    except OSError as error:
        raise InputError(f"cannot write {out}: {error.strerror}") from None
    count = len(app.store.meetings(network.slug))
    click.echo(f"Wrote {count} meeting(s) to {out} ({rules_of(network).timezone}).")


def network_calendar(app: App, slug: str) -> bytes:
    """The network's stored meetings as ICS bytes, chairs shown by display name."""
    from pspn_core.meetings.calendar import meetings_to_ics
    from pspn_core.meetings.service import rules_of

    network = app.network(slug)
    rules = rules_of(network)
    names = _chair_names(app, slug)
    shown = [
        m.model_copy(update={"chair": names.get(m.chair, "a former member")}) if m.chair else m
        for m in app.store.meetings(slug)
    ]
    return meetings_to_ics(
        shown,
        calendar_name=network.name,
        location=rules.location,
        url=rules.url,
        join_urls=app.store.join_urls(slug),
    )
