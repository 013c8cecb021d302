"""Reviewing a note: the highlighted draft, redact, restore, send, approve and publish.

The routes belong to the notes blueprint (:mod:`.notes`); every change goes
through :mod:`pspn_core.notes.service`, as ``pspn notes`` does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import LABEL_NAMES, PlainForm, RedactForm, RestoreForm
from pspn_adapters.web.notes import blueprint, note_or_404
from pspn_adapters.web.review import segments
from pspn_adapters.web.views import context, person, requires_sign_in
from pspn_core.errors import PspnError
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role
from pspn_core.notes import service
from pspn_core.notes.model import Note, NoteStatus
from pspn_core.notes.service import review_order

__all__ = ["review"]


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
    note, network = note_or_404(note_id)
    return _review_page(note, network)


@blueprint.post("/notes/<int:note_id>/redact")
@requires_sign_in
def redact(note_id: int) -> ResponseReturnValue:
    note, network = note_or_404(note_id)
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
    note, network = note_or_404(note_id)
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
    _, network = note_or_404(note_id, role)
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
