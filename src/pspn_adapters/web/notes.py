"""Notes: upload, review (redact, restore), send for approval, approve, publish, history.

Every change goes through :mod:`pspn_core.notes.service`, the same use cases
as ``pspn notes``; the raw text is never shown here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import LABEL_NAMES, NoteForm, PlainForm, RedactForm, RestoreForm
from pspn_adapters.web.review import review_order, segments
from pspn_adapters.web.views import context, fail, network_for, person, requires_sign_in
from pspn_core.errors import NotFound, PspnError
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role
from pspn_core.notes import service
from pspn_core.notes.model import Note, NoteStatus

__all__ = ["blueprint"]

blueprint = Blueprint("notes", __name__)


def _note(note_id: int, role: Role = Role.NOTE_TAKER) -> tuple[Note, Network]:
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


def _review_page(note: Note, network: Network, **forms: object) -> str:
    ctx = context()
    findings = ctx.store.note_findings(note.id)
    me = person()
    added_by = ctx.store.note_added_by(note.id)
    return render_template(
        "note_review.html",
        network=network,
        note=note,
        pieces=segments(note.text, findings),
        findings=review_order(findings, network.notes.review_below),
        labels=LABEL_NAMES,
        redact_form=forms.get("redact_form") or RedactForm(),
        restore_form=forms.get("restore_form") or RestoreForm(),
        restore_error=forms.get("restore_error"),
        button=PlainForm(),
        is_draft=note.status is NoteStatus.DRAFT,
        can_approve=me.can(network.slug, Role.CHAIR),
        own_note=added_by.casefold() == me.username.casefold(),
        two_person=network.notes.two_person_approval,
        submitted=any(
            e["action"] == "note.submitted" for e in service.note_history(ctx.store, note.id)
        ),
    )


@blueprint.get("/notes/<int:note_id>")
@requires_sign_in
def review(note_id: int) -> ResponseReturnValue:
    note, network = _note(note_id)
    return _review_page(note, network)


@blueprint.post("/notes/<int:note_id>/redact")
@requires_sign_in
def redact(note_id: int) -> ResponseReturnValue:
    note, network = _note(note_id)
    form = RedactForm()
    if form.validate_on_submit():
        ctx = context()
        try:
            count = service.redact_more(
                ctx.store,
                ctx.keys,
                note_id,
                str(form.text.data),
                label=str(form.label.data),
                by=person().username,
            )
        except PspnError as error:
            form.text.errors = [str(error)]
        else:
            flash(
                f"Hidden in {count} place(s)."
                if count
                else "Nothing more was hidden: the words were not found, or are hidden already."
            )
            return redirect(url_for("notes.review", note_id=note_id))
    return _review_page(note, network, redact_form=form), 400


@blueprint.post("/notes/<int:note_id>/findings/<int:number>/restore")
@requires_sign_in
def restore(note_id: int, number: int) -> ResponseReturnValue:
    note, network = _note(note_id)
    form = RestoreForm()
    if form.validate_on_submit():
        ctx = context()
        try:
            service.restore_finding(
                ctx.store,
                ctx.keys,
                note_id,
                number,
                reason=str(form.reason.data),
                by=person().username,
            )
        except PspnError as error:
            form.reason.errors = [str(error)]
        else:
            flash(f"Item {number} is shown again. Your reason is in the note's history.")
            return redirect(url_for("notes.review", note_id=note_id))
    return _review_page(note, network, restore_form=form, restore_error=number), 400


@blueprint.post("/notes/<int:note_id>/<any(submit, approve, publish):action>")
@requires_sign_in
def act(note_id: int, action: str) -> ResponseReturnValue:
    role = Role.NOTE_TAKER if action == "submit" else Role.CHAIR
    _, network = _note(note_id, role)
    if not PlainForm().validate_on_submit():
        return redirect(url_for("notes.review", note_id=note_id))
    ctx, by = context(), person().username
    try:
        if action == "submit":
            service.submit_note(ctx.store, note_id, by=by)
            flash("Sent for approval. A chair or lead will check it.")
        elif action == "approve":
            service.approve_note(ctx.store, note_id, by, network=network)
            flash("Approved. It can now be published.")
        else:
            with ctx.forum_lock:
                outcome = service.publish_note(
                    network,
                    note_id,
                    store=ctx.store,
                    forum=ctx.forum(network.slug),
                    plugins=ctx.server.plugins,
                    by=by,
                    now=datetime.now(UTC),
                )
            flash(
                "This note was already published; nothing was sent again."
                if outcome.already
                else "Published to the network's private notes area."
            )
    except PspnError as error:
        flash(str(error), "error")
    return redirect(url_for("notes.review", note_id=note_id))


@blueprint.get("/notes/<int:note_id>/original")
@requires_sign_in
def original(note_id: int) -> ResponseReturnValue:
    """The raw text, shown only to the person who added the note, only on this page."""
    note, network = _note(note_id)
    ctx = context()
    try:
        text = service.original_text(ctx.store, ctx.keys, note_id, by=person().username)
    except PspnError as error:
        raise fail(403, str(error)) from None
    return render_template("note_original.html", network=network, note=note, text=text)


@blueprint.get("/notes/<int:note_id>/history")
@requires_sign_in
def history(note_id: int) -> ResponseReturnValue:
    note, network = _note(note_id)
    entries = service.note_history(context().store, note_id)
    return render_template("note_history.html", network=network, note=note, entries=entries)
