"""``pspn notes``: anonymise, review, approve and publish meeting notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pspn_core.cli.app import App
from pspn_core.cli.collector import paused
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
from pspn_core.errors import InputError

if TYPE_CHECKING:
    from pspn_core.store.roster_cache import RosterCache

__all__ = ["notes"]

FORMATS = ["auto", "text", "vtt", "teams-chat", "email"]


@click.group()
def notes() -> None:
    """Meeting notes: non-attributable, reviewed, published only to the private area."""


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None


def _roster_cache(app: App) -> RosterCache:
    """The hub's compiled-roster file, encrypted with the hub's key if there is one."""
    from pspn_core.errors import OperationError
    from pspn_core.store.roster_cache import RosterCache

    try:
        keys = app.keys
    except OperationError:  # no key configured: the file is kept plain, mode 0600
        keys = None
    return RosterCache(app.config.data_dir, keys)


@notes.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--roster",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Members as CSV (header row) or JSON: name, username, organisation, aliases.",
)
@network_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the anonymised text here (default: standard output).",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the findings report here.",
)
@click.option(
    "--report-format", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=5_000_000,
    show_default=True,
    help="Refuse input files larger than this.",
)
@click.pass_context
@paused()  # one note: bounded work that keeps what it allocates
def anonymise(
    ctx: click.Context,
    file: Path,
    roster: Path | None,
    network_slug: str | None,
    fmt: str,
    out: Path | None,
    report: Path | None,
    report_format: str,
    max_bytes: int,
) -> None:
    """Anonymise FILE (notes, a WebVTT transcript, a Teams chat or an e-mail).

    Nothing is stored. The findings' original values are never printed.
    """
    from pspn_core.notes.anonymiser import (
        NotesPolicy,
        compile_roster,
        findings_to_json,
        findings_to_text,
        load_roster_file,
        read_note_file,
    )
    from pspn_core.notes.anonymiser import (
        anonymise as run,
    )

    app = ctx.ensure_object(App)
    text = read_note_file(file, max_bytes=max_bytes)
    entries = load_roster_file(roster) if roster else []
    policy = NotesPolicy()
    detectors = None
    compiled = None
    if network_slug is not None or roster is None:
        from pspn_core.notes.service import hub_roster, policy_of

        network = app.only_network(network_slug)
        entries = [*entries, *hub_roster(app.store)]
        policy = policy_of(network)
        detectors = app.plugins.detectors()
        compiled = _roster_cache(app).compile(entries)
    if compiled is None:  # a roster file alone: no hub, nowhere to keep it
        compiled = compile_roster(entries)
    result = run(text, roster=compiled, policy=policy, detectors=detectors, fmt=fmt)
    if out is None:
        click.echo(result.text, nl=not result.text.endswith("\n"))
    else:
        _write(out, result.text)
    summary = findings_to_text(result.findings, review_below=policy.review_below)
    if report is not None:
        content = findings_to_json(result.findings) if report_format == "json" else summary
        _write(report, content)
    click.echo(summary, err=True)


@notes.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@network_option
@click.option("--meeting", "meeting_uid", metavar="UID", help="The meeting the notes are of.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="auto", show_default=True)
@click.option("--by", default="", help="Who is adding the notes (for the audit log).")
@click.option("--max-bytes", type=click.IntRange(1), default=5_000_000, show_default=True)
@quiet_option
@pass_app
@paused()
def add(
    app: App,
    file: Path,
    network_slug: str | None,
    meeting_uid: str | None,
    fmt: str,
    by: str,
    max_bytes: int,
    quiet: bool,
) -> None:
    """Store FILE's raw notes encrypted, anonymise them, and keep the draft for review.

    With --quiet, prints only the new note's id.
    """
    from pspn_core.notes.anonymiser import read_note_file
    from pspn_core.notes.service import add_note

    network = app.only_network(network_slug)
    keys = app.keys
    raw = read_note_file(file, max_bytes=max_bytes)
    note, findings = add_note(
        network,
        raw,
        store=app.store,
        keys=keys,
        plugins=app.plugins,
        by=by,
        meeting_uid=meeting_uid,
        fmt=fmt,
        compiler=_roster_cache(app).compile,
    )
    if quiet:
        click.echo(str(note.id))
        return
    low = sum(1 for f in findings if f.confidence < network.notes.review_below)
    click.echo(
        f"Stored note {note.id} for {network.slug}: {len(findings)} redaction(s), "
        f"{low} to review. Next: `pspn notes review {note.id}`."
    )


@notes.command()
@click.argument("note_id", type=ID)
@click.option("--redact", "redact", metavar="TEXT", help="Redact every occurrence of TEXT.")
@click.option("--label", default="PERSON", show_default=True, help="Label for --redact.")
@click.option("--restore", "restore", type=ID, metavar="N", help="Put finding N back.")
@click.option("--reason", default="", help="Why finding N is restored (required).")
@click.option("--by", default="", help="The reviewer (for the record).")
@click.option(
    "--show-originals",
    is_flag=True,
    help="Also show what each finding replaced (mind who can see your screen).",
)
@pass_app
def review(
    app: App,
    note_id: int,
    redact: str | None,
    label: str,
    restore: int | None,
    reason: str,
    by: str,
    show_originals: bool,
) -> None:
    """Show note NOTE_ID with every redaction marked, the doubtful ones first.

    With --redact or --restore, change it first (drafts only); every change is recorded.
    """
    from pspn_core.notes.service import redact_more, restore_finding, review_note

    store = app.store
    if redact is not None:
        count = redact_more(store, app.keys, note_id, redact, label=label.upper(), by=by)
        click.echo(
            f"Redacted {count} more place(s)."
            if count
            else "Nothing more to redact: that text is not in the note, or already redacted."
        )
    if restore is not None:
        restore_finding(store, app.keys, note_id, restore, reason=reason, by=by)
        click.echo(f"Restored finding {restore}.")
    network = app.network(store.note(note_id).network)
    seen = review_note(
        store,
        app.keys,
        note_id,
        review_below=network.notes.review_below,
        with_originals=show_originals,
    )
    note = seen.note
    click.echo(f"Note {note.id} ({note.network}, {note.status.value})")
    click.echo("=" * 60)
    click.echo(seen.marked_text)
    click.echo("=" * 60)
    originals = show_originals and seen.has_raw
    rows = []
    for item in seen.items:
        f = item.finding
        row: list[object] = [
            item.number,
            f.label,
            f.detector,
            f"{f.confidence:.2f}",
            "restored" if f.restored else f.replacement,
            "review" if item.doubtful else "",
        ]
        if originals:
            row.append(item.original or "")
        rows.append(row)
    headers = ["#", "label", "detector", "confidence", "replaced by", ""]
    if originals:
        headers.append("original")
    print_table(headers, rows)
    for change in seen.changes:
        click.echo(
            f"{change['at']} {change['by'] or '?'} {change['action']} "
            f"{change['finding'] or ''} {change['reason']}".rstrip()
        )
    collected = store.collection_of_note(note_id)
    if collected is not None and collected.candidates:
        click.echo("Questions left unanswered in the meeting chat (raise one as a topic with")
        click.echo("`pspn topics raise TITLE` if the network should take it up):")
        for question in collected.candidates:
            click.echo(f"  - {question}")


@notes.command()
@click.argument("note_id", type=ID)
@click.option("--by", required=True, help="Who approves it.")
@pass_app
def approve(app: App, note_id: int, by: str) -> None:
    """Mark note NOTE_ID ready to publish."""
    from pspn_core.notes.service import approve_note

    note = approve_note(app.store, note_id, by, network=app.network)
    click.echo(
        f"Note {note.id} approved by {note.approved_by}. "
        f"Publish it with `pspn notes publish {note.id}`."
    )


@notes.command()
@click.argument("note_id", type=ID)
@click.option("--by", default="", help="Who publishes it (for the audit log).")
@dry_run_option
@pass_app
def publish(app: App, note_id: int, by: str, dry_run: bool) -> None:
    """Publish approved note NOTE_ID to the network's private notes area, exactly once.

    Refuses unless the forum confirms the area is private to the network. If it
    is interrupted, run it again: it finishes without a second post.
    """
    from pspn_core.notes.service import publish_note

    with dry_run_of(app, dry_run):
        note = app.store.note(note_id)
        network = app.network(note.network)
        outcome = publish_note(
            network,
            note_id,
            store=app.store,
            forum=app.forum(network.slug),
            plugins=app.plugins,
            by=by,
            now=datetime.now(UTC),
        )
        if outcome.already:
            click.echo(f"Note {note_id} was already published (forum id {outcome.forum_id}).")
        elif dry_run:
            click.echo(f"Would publish note {note_id} to {network.slug}'s private notes area.")
        else:
            click.echo(
                f"Published note {note_id} to {network.slug}'s private notes area "
                f"(forum id {outcome.forum_id})."
            )


@notes.command("list")
@network_option
@format_option
@pass_app
def list_notes(app: App, network_slug: str | None, output_format: str) -> None:
    """List notes (anonymised text only), of every network unless --network is given."""
    slug = app.network(network_slug).slug if network_slug else None
    rows = app.store.notes(slug)
    if output_format == "json":
        print_json([n.model_dump(mode="json") for n in rows])
        return
    if not rows:
        click.echo("No notes yet.")
        return
    print_table(
        ["id", "network", "status", "added", "meeting", "first line"],
        [
            [
                n.id,
                n.network,
                n.status.value,
                f"{n.created_at:%Y-%m-%d}",
                n.meeting_uid or "",
                (n.text.strip().splitlines() or [""])[0][:50],
            ]
            for n in rows
        ],
    )


@notes.command()
@click.argument("note_id", type=ID)
@pass_app
def show(app: App, note_id: int) -> None:
    """Show note NOTE_ID's anonymised text."""
    note = app.store.note(note_id)
    click.echo(note.text, nl=not note.text.endswith("\n"))


@notes.command()
@pass_app
def purge(app: App) -> None:
    """Delete kept raw notes whose keeping time (keep_raw_days) has passed."""
    from pspn_core.notes.service import purge_raw

    purged = purge_raw(app.store, datetime.now(UTC))
    click.echo(
        f"Deleted the raw text of {len(purged)} note(s)."
        if purged
        else "No raw text was due for deletion."
    )


@notes.command()
@click.argument("note_id", type=ID)
@pass_app
def history(app: App, note_id: int) -> None:
    """Who added, reviewed, approved and published note NOTE_ID, and when."""
    app.store.note(note_id)
    for entry in app.store.audit_log():
        if entry["subject"] == f"note {note_id}":
            click.echo(
                f"{entry['at']}  {entry['action']:<16} {entry['actor'] or '-':<12} "
                f"{entry['detail']}"
            )
