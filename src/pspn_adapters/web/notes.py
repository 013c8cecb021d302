"""Notes: the list, adding a note (pasted or uploaded), its original text and its history.

Reviewing, approving and publishing are in :mod:`.note_review`, on the same
blueprint. Every change goes through :mod:`pspn_core.notes.service`, the same
use cases as ``pspn notes``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import NoteForm, SelectChoice
from pspn_adapters.web.views import context, fail, network_for, person, requires_sign_in
from pspn_core.errors import NotFound, PspnError
from pspn_core.meetings.model import MeetingStatus
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role
from pspn_core.notes import service
from pspn_core.notes.model import Note

__all__ = ["blueprint", "note_or_404"]

blueprint = Blueprint("notes", __name__)


def note_or_404(note_id: int, role: Role = Role.NOTE_TAKER) -> tuple[Note, Network]:
    """The note and its network, if the signed-in person holds ``role`` there."""
    try:
        note = context().store.note(note_id)
    except NotFound:
        raise fail(404, "There is no such note. Check the address.") from None
    return note, network_for(note.network, role)


@blueprint.get("/networks/<slug>/notes")
@requires_sign_in
def index(slug: str) -> ResponseReturnValue:
    network = network_for(slug, Role.NOTE_TAKER)
    notes = sorted(context().store.notes(slug), key=lambda n: n.id, reverse=True)
    return render_template("notes.html", network=network, notes=notes)


@blueprint.route("/networks/<slug>/notes/new", methods=["GET", "POST"])
@requires_sign_in
def new(slug: str) -> ResponseReturnValue:
    network = network_for(slug, Role.NOTE_TAKER)
    form = NoteForm()
    form.meeting.choices = _recent_meetings(network)
    if form.validate_on_submit():
        text = _submitted_text(form)
        if text is not None:
            ctx = context()
            try:
                note, findings = service.add_note(
                    network,
                    text,
                    store=ctx.store,
                    keys=ctx.keys,
                    plugins=ctx.server.plugins,
                    by=person().username,
                    meeting_uid=form.meeting.data or None,
                    compiler=ctx.roster_cache.compile,
                )
            except PspnError as error:
                form.text.errors = [str(error)]
            else:
                flash(f"The note was anonymised: {len(findings)} detail(s) hidden. Check them now.")
                return redirect(url_for("notes.review", note_id=note.id))
    status = 400 if form.errors else 200
    return render_template(
        "note_new.html", network=network, form=form, limit=context().settings.max_upload_bytes
    ), status


RECENT_MEETINGS = 6


def _recent_meetings(network: Network) -> list[SelectChoice]:
    """The network's latest meetings that have started, newest first, then "none"."""
    now = context().clock()
    timezone = network.meetings.timezone if network.meetings else "Europe/London"
    held = [
        m.in_zone(timezone)
        for m in context().store.meetings(network.slug)
        if m.start <= now and m.status is not MeetingStatus.CANCELLED
    ]
    choices = [
        SelectChoice(m.uid, f"{m.start:%A %-d %B %Y, %H:%M}")
        for m in sorted(held, key=lambda m: m.start, reverse=True)[:RECENT_MEETINGS]
    ]
    return [*choices, SelectChoice("", "Not from a meeting in this list")]


def _submitted_text(form: NoteForm) -> str | None:
    """The note's text from the file or the box; ``None`` with the field's error set."""
    upload = form.upload.data
    if upload is not None and str(getattr(upload, "filename", None) or ""):
        data: bytes = upload.read()
        if b"\x00" in data:
            form.upload.errors = ["This file is not text. Save the notes as a .txt or .vtt file."]
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.upload.errors = [
                "This file is not plain text we can read. Save it as UTF-8 text and try again."
            ]
            return None
    else:
        text = str(form.text.data or "")
    if not text.strip():
        form.text.errors = ["Paste the notes, or choose a file"]
        return None
    return text


@blueprint.get("/notes/<int:note_id>/original")
@requires_sign_in
def original(note_id: int) -> ResponseReturnValue:
    """The raw text, shown only to the person who added the note, only on this page."""
    note, network = note_or_404(note_id)
    ctx = context()
    try:
        text = service.original_text(ctx.store, ctx.keys, note_id, by=person().username)
    except PspnError as error:
        raise fail(403, str(error)) from None
    return render_template("note_original.html", network=network, note=note, text=text)


@blueprint.get("/notes/<int:note_id>/history")
@requires_sign_in
def history(note_id: int) -> ResponseReturnValue:
    note, network = note_or_404(note_id)
    entries = service.note_history(context().store, note_id)
    return render_template("note_history.html", network=network, note=note, entries=entries)
