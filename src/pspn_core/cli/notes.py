"""``pspn notes``: anonymise, review, approve and publish meeting notes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import (
    ID,
    format_option,
    network_option,
    pass_app,
    print_json,
    print_table,
)
from pspn_core.errors import InputError

if TYPE_CHECKING:
    from pspn_core.store.notes import StoredFinding

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
    if network_slug is not None or roster is None:
        from pspn_core.notes.service import hub_roster, policy_of

        network = app.only_network(network_slug)
        entries = [*entries, *hub_roster(app.store)]
        policy = policy_of(network)
        detectors = app.plugins.detectors()
    result = run(text, roster=compile_roster(entries), policy=policy, detectors=detectors, fmt=fmt)
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
@pass_app
def add(
    app: App,
    file: Path,
    network_slug: str | None,
    meeting_uid: str | None,
    fmt: str,
    by: str,
    max_bytes: int,
) -> None:
    """Store FILE's raw notes encrypted, anonymise them, and keep the draft for review.

    Prints the new note's id as the last line.
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
    )
    low = sum(1 for f in findings if f.confidence < network.notes.review_below)
    click.echo(
        f"Stored note {note.id} for {network.slug}: {len(findings)} redaction(s), "
        f"{low} to review. Next: `pspn notes review {note.id}`."
    )
    click.echo(str(note.id))


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
    from pspn_core.notes.service import redact_more, restore_finding

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
    note = store.note(note_id)
    findings = store.note_findings(note_id)
    network = app.network(note.network)
    raw = None
    if note.status.value != "published" and store.raw_ciphertext(note_id) is not None:
        raw = app.keys.decrypt(store.raw_ciphertext(note_id) or b"", f"note {note_id}").decode()
    click.echo(f"Note {note.id} ({note.network}, {note.status.value})")
    click.echo("=" * 60)
    click.echo(_marked(raw, findings) if raw is not None else note.text)
    click.echo("=" * 60)
    threshold = network.notes.review_below
    order = sorted(
        range(len(findings)), key=lambda i: (findings[i].confidence >= threshold, findings[i].start)
    )
    rows = []
    for i in order:
        f = findings[i]
        row: list[object] = [
            i + 1,
            f.label,
            f.detector,
            f"{f.confidence:.2f}",
            "restored" if f.restored else f.replacement,
            "review" if f.confidence < threshold else "",
        ]
        if show_originals and raw is not None:
            row.append(raw[f.start : f.end])
        rows.append(row)
    headers = ["#", "label", "detector", "confidence", "replaced by", ""]
    if show_originals and raw is not None:
        headers.append("original")
    print_table(headers, rows)
    for change in store.note_changes(note_id):
        click.echo(
            f"{change['at']} {change['by'] or '?'} {change['action']} "
            f"{change['finding'] or ''} {change['reason']}".rstrip()
        )


def _marked(raw: str, findings: list[StoredFinding]) -> str:
    """The anonymised text with each redaction numbered: «3:[name]»."""
    pieces, position = [], 0
    for number, finding in enumerate(findings, start=1):
        if finding.restored:
            continue
        pieces += [raw[position : finding.start], f"«{number}:{finding.replacement}»"]
        position = finding.end
    pieces.append(raw[position:])
    return "".join(pieces)


@notes.command()
@click.argument("note_id", type=ID)
@click.option("--by", required=True, help="Who approves it.")
@pass_app
def approve(app: App, note_id: int, by: str) -> None:
    """Mark note NOTE_ID ready to publish."""
    from pspn_core.notes.service import approve_note

    note = approve_note(app.store, note_id, by)
    click.echo(
        f"Note {note.id} approved by {note.approved_by}. "
        f"Publish it with `pspn notes publish {note.id}`."
    )


@notes.command()
@click.argument("note_id", type=ID)
@click.option("--by", default="", help="Who publishes it (for the audit log).")
@pass_app
def publish(app: App, note_id: int, by: str) -> None:
    """Publish approved note NOTE_ID to the network's private notes area, exactly once.

    Refuses unless the forum confirms the area is private to the network. If it
    is interrupted, run it again: it finishes without a second post.
    """
    from pspn_core.notes.service import publish_note

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
