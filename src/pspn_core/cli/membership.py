"""``pspn members apply|applications|decide|sync|export|erase``: joining, and a member's rights.

These commands join the ``members`` group of :mod:`pspn_core.cli.members`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

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
from pspn_core.cli.dry_run import dry_run as dry_run_of
from pspn_core.cli.dry_run import dry_run_option
from pspn_core.cli.progress import bar
from pspn_core.errors import InputError
from pspn_core.membership import service as service
from pspn_core.membership.model import Application, ApplicationStatus, Outcome
from pspn_core.membership.organisations import OrganisationList

__all__ = [
    "COMMANDS",
    "DEMO_APPLICANTS",
    "applications",
    "apply",
    "decide",
    "demo_applications",
    "erase",
    "export",
    "sync",
]


def _answers(pairs: tuple[str, ...]) -> dict[str, str]:
    answers = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(
                f"--answer {pair!r} is not KEY=TEXT, e.g. --answer role='Patient Safety Partner'"
            )
        answers[key.strip()] = value.strip()
    return answers


def _organisations(app: App, slug: str) -> OrganisationList:
    source = app.config.source
    return service.organisations_for(app.network(slug), source.parent if source else None)


@click.command("apply")
@network_option
@click.argument("username")
@click.option("--name", "display_name", default="", help="Their name as they gave it.")
@click.option("--email", default="", help="Their e-mail address (checked against the allow-list).")
@click.option(
    "--answer",
    "answers",
    multiple=True,
    metavar="KEY=TEXT",
    help="An answer to one of the network's questions (repeatable).",
)
@quiet_option
@pass_app
def apply(
    app: App,
    network_slug: str | None,
    username: str,
    display_name: str,
    email: str,
    answers: tuple[str, ...],
    quiet: bool,
) -> None:
    """Record an application from USERNAME that came by e-mail or in person.

    With --quiet, prints only the application's id.
    """
    from pydantic import ValidationError

    from pspn_core.config import describe_validation_error

    network = app.only_network(network_slug)
    try:
        application = Application(
            network=network.slug,
            username=username,
            display_name=display_name,
            email=email,
            answers=_answers(answers),
            source="cli",
            received_at=datetime.now(UTC),
        )
    except ValidationError as error:
        raise InputError(describe_validation_error(error)) from None
    stored = service.apply(network, application, app.store, _organisations(app, network.slug))
    click.echo(
        str(stored.id)
        if quiet
        else f"Recorded application {stored.id} from {stored.username} to {network.slug}."
    )


@click.command("applications")
@network_option
@click.option("--all", "show_all", is_flag=True, help="Include decided applications.")
@click.option("--no-fetch", is_flag=True, help="Do not collect new join requests from the forum.")
@format_option
@pass_app
def applications(
    app: App, network_slug: str | None, show_all: bool, no_fetch: bool, output_format: str
) -> None:
    """List open applications with the rules' advice on each."""
    network = app.only_network(network_slug)
    if not no_fetch:
        new = service.collect_requests(network, app.store, app.forum(network.slug))
        if new and output_format == "table":
            click.echo(f"{len(new)} new join request(s) from the forum.")
    statuses = (
        tuple(ApplicationStatus)
        if show_all
        else (ApplicationStatus.OPEN, ApplicationStatus.NEEDS_INFORMATION)
    )
    held = app.store.applications(network.slug, statuses)
    assessments = service.assess(
        network, held, app.plugins.eligibility_rules(), _organisations(app, network.slug)
    )
    if output_format == "json":
        print_json(
            [
                {
                    **a.application.model_dump(mode="json"),
                    "advice": a.verdict.value,
                    "rules": [
                        {"rule": r.rule, "verdict": r.verdict.value, "reason": r.reason}
                        for r in a.results
                    ],
                }
                for a in assessments
            ]
        )
        return
    if not assessments:
        click.echo(f"{network.slug} has no {'' if show_all else 'open '}applications.")
        return
    print_table(
        ["id", "username", "name", "status", "advice", "why"],
        [
            [
                a.application.id,
                a.application.username,
                a.application.display_name,
                a.application.status,
                a.verdict,
                "; ".join(r.reason for r in a.results if r.verdict != "pass") or "all rules pass",
            ]
            for a in assessments
        ],
    )


@click.command("decide")
@network_option
@click.argument("application_id", type=ID)
@click.option("--admit", is_flag=True, help="Admit them.")
@click.option("--decline", is_flag=True, help="Decline them.")
@click.option(
    "--ask",
    "question",
    metavar="TEXT",
    default="",
    help="Ask them this question through the forum.",
)
@click.option("--by", required=True, metavar="NAME", help="Who decided (for the audit trail).")
@click.option("--reason", default="", metavar="TEXT", help="Why (required to admit or decline).")
@dry_run_option
@pass_app
def decide(
    app: App,
    network_slug: str | None,
    application_id: int,
    admit: bool,
    decline: bool,
    question: str,
    by: str,
    reason: str,
    dry_run: bool,
) -> None:
    """Admit, decline or ask about application APPLICATION_ID.

    If an earlier run stopped part-way, running the same decision again
    finishes it without repeating what was done.
    """
    chosen_flags = [o for o, on in ((Outcome.ADMIT, admit), (Outcome.DECLINE, decline)) if on]
    if question:
        chosen_flags.append(Outcome.ASK)
    if len(chosen_flags) != 1:
        raise click.UsageError("say what was decided: one of --admit, --decline or --ask TEXT")
    chosen = chosen_flags[0]
    if chosen is Outcome.ASK:
        reason = reason or "asked for more information"
    with dry_run_of(app, dry_run):
        _decide(app, network_slug, application_id, chosen, question, by, reason, dry_run)


def _decide(
    app: App,
    network_slug: str | None,
    application_id: int,
    chosen: Outcome,
    question: str,
    by: str,
    reason: str,
    dry_run: bool,
) -> None:
    application = app.store.application(application_id)
    if network_slug is not None and network_slug != application.network:
        raise InputError(
            f"application {application_id} is for {application.network}, not {network_slug}"
        )
    network = app.network(application.network)
    result = service.decide(
        network,
        application_id,
        chosen,
        by=by,
        reason=reason,
        question=question,
        store=app.store,
        forum=app.forum(network.slug),
        plugins=app.plugins,
    )
    if dry_run:
        would = {
            Outcome.ADMIT: f"Would admit {application.username} to {network.slug}",
            Outcome.DECLINE: f"Would decline application {application_id}",
            Outcome.ASK: f"Would ask {application.username} about application {application_id}",
        }
        click.echo(f"{would[chosen]}.")
        return
    done = {
        Outcome.ADMIT: f"Admitted {application.username} to {network.slug}",
        Outcome.DECLINE: f"Declined application {application_id}",
        Outcome.ASK: f"Asked {application.username} about application {application_id}",
    }
    click.echo(f"{done[chosen]}.")
    if result.message_sent is None:
        click.echo(
            f"An earlier run stopped while sending the message to {application.username}: "
            "check that it arrived (pspn never sends it twice)."
        )
    elif not result.message_sent:
        where = f" at {application.email}" if application.email else ""
        click.echo(
            f"The message to {application.username} is not confirmed: "
            f"{result.message_problem}. Tell them by e-mail{where} if need be."
        )


@click.command("sync")
@network_option
@click.option("--apply", "apply_changes", is_flag=True, help="Make the store match the forum.")
@click.option(
    "--remove-from-forum",
    is_flag=True,
    help="With --apply: take people in the group but not on the roster out of the "
    "forum group, instead of adding them to the roster.",
)
@pass_app
def sync(app: App, network_slug: str | None, apply_changes: bool, remove_from_forum: bool) -> None:
    """Compare the forum's private group with the roster; --apply fixes the store."""
    if remove_from_forum and not apply_changes:
        raise InputError("--remove-from-forum changes the forum, so it needs --apply too")
    network = app.only_network(network_slug)
    forum = app.forum(network.slug)
    diff = service.compare_rosters(network, app.store, forum)
    for user in diff.forum_only:
        click.echo(f"  in the forum group, not on the roster: {user.username}")
    for member in diff.store_only:
        click.echo(f"  on the roster, not in the forum group: {member.username}")
    click.echo(
        f"{diff.in_both} in both, {len(diff.forum_only)} only on the forum, "
        f"{len(diff.store_only)} only on the roster."
    )
    if not apply_changes:
        if len(diff):
            click.echo("Nothing changed; run again with --apply to fix the store.")
        return
    with bar(len(diff), "Syncing") as progress:
        result = service.apply_sync(
            network,
            diff,
            app.store,
            forum,
            app.plugins,
            remove_from_forum=remove_from_forum,
            progress=progress,
        )
    click.echo(
        f"Added {result.added_to_store} to the roster, removed "
        f"{result.removed_from_store} from the roster, removed "
        f"{result.removed_from_forum} from the forum group."
    )


@click.command("export")
@network_option
@click.argument("username")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
@pass_app
def export(app: App, network_slug: str | None, username: str, output: Path | None) -> None:
    """Write everything held about USERNAME as JSON (a subject access request)."""
    network = app.only_network(network_slug)
    data = service.export_member(network, username, app.store)
    if output is None:
        print_json(data)
        return
    output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(f"Wrote everything held about {username} in {network.slug} to {output}.")


@click.command("erase")
@network_option
@click.argument("username")
@click.option("--by", default="", metavar="NAME", help="Who asked for it (for the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def erase(app: App, network_slug: str | None, username: str, by: str, yes: bool) -> None:
    """Remove USERNAME from the forum group and their personal data from the store."""
    network = app.only_network(network_slug)
    service.require_held(network, username, app.store)
    if not yes:
        click.confirm(
            f"Erase everything held about {username} in {network.slug}? This cannot be undone",
            abort=True,
        )
    erased = service.erase_member(
        network, username, app.store, app.forum(network.slug), app.plugins, by=by
    )
    from pspn_core.store.roster_cache import RosterCache

    RosterCache(app.config.data_dir).clear()  # it held their name; the next note recompiles
    click.echo(f"Erased {username} from {network.slug} ({erased.describe()}).")
    if erased.forum:
        click.echo("On the forum:")
        for step in erased.forum:
            click.echo(f"  - {step}")


_DONE = {Outcome.ADMIT: "admitted", Outcome.DECLINE: "declined", Outcome.ASK: "asked"}

#: Invented applicants for `pspn demo` (no real person is named).
DEMO_APPLICANTS: tuple[tuple[str, str, str, str], ...] = (
    ("fern_o", "Fern Oduya", "Patient Safety Partner", "RHW"),
    ("gus_t", "Gus Tremlow", "Volunteer driver", "Frimley Health NHS Foundation Trust"),
)


def demo_applications(app: App) -> None:
    """The demo's step: two invented applications, the rules' advice, and a decision on each."""
    network = next(iter(app.config.networks.values()))
    forum = app.forum(network.slug)
    seen = {a.username for a in app.store.applications(network.slug, tuple(ApplicationStatus))}
    for username, name, role, organisation in DEMO_APPLICANTS:
        if username not in seen:
            application = Application(
                network=network.slug,
                username=username,
                display_name=name,
                answers={"role": role, "organisation": organisation},
                received_at=datetime.now(UTC),
            )
            service.apply(network, application, app.store, _organisations(app, network.slug))
    demo_names = {username for username, *_ in DEMO_APPLICANTS}
    open_ones = [a for a in app.store.applications(network.slug) if a.username in demo_names]
    rules = app.plugins.eligibility_rules()
    for assessment in service.assess(network, open_ones, rules, _organisations(app, network.slug)):
        held = assessment.application
        assert held.id is not None
        outcome = Outcome.ADMIT if assessment.verdict == "pass" else Outcome.DECLINE
        why = "; ".join(r.reason for r in assessment.results if r.verdict != "pass")
        service.decide(
            network,
            held.id,
            outcome,
            by="the demo",
            reason=why or "all rules pass",
            store=app.store,
            forum=forum,
            plugins=app.plugins,
        )
        click.echo(
            f"  {network.slug}: {held.username}: advice {assessment.verdict}, {_DONE[outcome]}"
        )
    if not open_ones:
        click.echo(f"  {network.slug}: the demo applications were decided already")


#: The ``pspn members`` subcommands about joining and a member's rights.
COMMANDS = (apply, applications, decide, sync, export, erase)
