"""The lead's pages: open applications with each rule's advice, and deciding them.

Deciding goes through :func:`pspn_core.membership.service.decide`, the use case
behind ``pspn members decide``: the forum, the roster and the messages change
exactly as they do from the CLI.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import DecideForm, PlainForm
from pspn_adapters.web.views import context, fail, network_for, person, requires_sign_in
from pspn_core.errors import NotFound, PspnError
from pspn_core.membership import service
from pspn_core.membership.eligibility import Assessment
from pspn_core.membership.model import ApplicationStatus, Outcome
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role

__all__ = ["blueprint"]

blueprint = Blueprint("applications", __name__, url_prefix="/networks/<slug>/applications")

OPEN = (ApplicationStatus.OPEN, ApplicationStatus.NEEDS_INFORMATION)


def _assess(network: Network, status: tuple[ApplicationStatus, ...]) -> list[Assessment]:
    ctx = context()
    config = ctx.server.config
    organisations = service.organisations_for(
        network, config.source.parent if config.source else None
    )
    held = ctx.store.applications(network.slug, status)
    return service.assess(network, held, ctx.server.plugins.eligibility_rules(), organisations)


@blueprint.get("")
@requires_sign_in
def index(slug: str) -> ResponseReturnValue:
    network = network_for(slug, Role.LEAD)
    return render_template("applications.html", network=network, assessments=_assess(network, OPEN))


@blueprint.post("/fetch")
@requires_sign_in
def fetch(slug: str) -> ResponseReturnValue:
    """Bring in join requests waiting on the forum, as ``pspn members applications`` does."""
    network = network_for(slug, Role.LEAD)
    if PlainForm().validate_on_submit():
        ctx = context()
        try:
            with ctx.forum_lock:
                new = service.collect_requests(network, ctx.store, ctx.forum(slug))
        except PspnError as error:
            flash(f"The forum could not be checked: {error}", "error")
        else:
            flash(f"{len(new)} new request(s) from the forum." if new else "No new requests.")
    return redirect(url_for("applications.index", slug=slug))


@blueprint.route("/<int:application_id>", methods=["GET", "POST"])
@requires_sign_in
def decide(slug: str, application_id: int) -> ResponseReturnValue:
    network = network_for(slug, Role.LEAD)
    found = [a for a in _assess(network, OPEN) if a.application.id == application_id]
    if not found:
        try:
            application = context().store.application(application_id)
        except NotFound:
            application = None
        if application is None or application.network != slug:
            raise fail(404, "There is no such application. Check the address.")
        raise fail(410, f"This application has already been decided ({application.status}).")
    assessment = found[0]
    form = DecideForm()
    if form.validate_on_submit():
        outcome = Outcome(form.outcome.data)
        question = str(form.question.data or "").strip()
        if outcome is Outcome.ASK and not question:
            form.question.errors = ["Write the question to send them"]
        else:
            ctx = context()
            try:
                with ctx.forum_lock:
                    service.decide(
                        network,
                        application_id,
                        outcome,
                        by=person().username,
                        reason=str(form.reason.data).strip(),
                        question=question if outcome is Outcome.ASK else "",
                        store=ctx.store,
                        forum=ctx.forum(slug),
                        plugins=ctx.server.plugins,
                    )
            except PspnError as error:
                form.reason.errors = [str(error)]
            else:
                who = assessment.application.display_name or assessment.application.username
                flash(
                    {
                        Outcome.ADMIT: f"{who} has been admitted and sent a welcome message.",
                        Outcome.DECLINE: f"{who}'s application was declined.",
                        Outcome.ASK: f"Your question was sent to {who}.",
                    }[outcome]
                )
                return redirect(url_for("applications.index", slug=slug))
    status = 400 if form.errors else 200
    return render_template(
        "application.html", network=network, assessment=assessment, form=form
    ), status
