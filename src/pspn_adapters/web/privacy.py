"""A member's rights over their data: download it, and ask for it to be erased.

The download is :func:`~pspn_core.membership.service.export_member`, the
subject-access export of ``pspn members export``. Erasure is asked for here
and confirmed by a lead, then done by
:func:`~pspn_core.membership.service.erase_member`, as ``pspn members erase``.
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import PlainForm
from pspn_adapters.web.views import context, network_for, person, requires_sign_in
from pspn_core.errors import PspnError
from pspn_core.membership import service
from pspn_core.networks.roles import Role, roles_of

__all__ = ["blueprint"]

log = logging.getLogger("pspn.web")

blueprint = Blueprint("privacy", __name__, url_prefix="/networks/<slug>")


@blueprint.get("/your-data")
@requires_sign_in
def your_data(slug: str) -> ResponseReturnValue:
    network = network_for(slug)
    waiting = context().erasure.is_waiting(slug, person().username)
    return render_template("your_data.html", network=network, waiting=waiting)


@blueprint.get("/your-data.json")
@requires_sign_in
def download(slug: str) -> ResponseReturnValue:
    network = network_for(slug)
    data = service.export_member(network, person().username, context().store)
    body = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    filename = f"{slug}-{person().username}-data.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@blueprint.post("/your-data/erase")
@requires_sign_in
def ask_for_erasure(slug: str) -> ResponseReturnValue:
    network = network_for(slug)
    if PlainForm().validate_on_submit():
        ctx, me = context(), person()
        if ctx.erasure.add(slug, me.username):
            _tell_leads(slug, network.name, me.display_name)
        flash("Your request has been sent. A network lead will confirm it and erase your data.")
    return redirect(url_for("privacy.your_data", slug=slug))


def _tell_leads(slug: str, network_name: str, who: str) -> None:
    ctx = context()
    roles = ctx.network(slug).roles
    leads = [
        m.username
        for m in ctx.store.members(slug)
        if Role.LEAD in roles_of(roles, [m.username], m.username)
    ]
    body = (
        f"{who} has asked for their data in {network_name} to be erased. Confirm it on the "
        "network's erasure requests page in pspn."
    )
    try:
        with ctx.forum_lock:
            for lead in leads:
                ctx.forum(slug).send_message(lead, "A request to erase someone's data", body)
    except PspnError as error:
        log.error("could not tell the leads about an erasure request: %s", type(error).__name__)


@blueprint.get("/erasure-requests")
@requires_sign_in
def requests(slug: str) -> ResponseReturnValue:
    network = network_for(slug, Role.LEAD)
    ctx = context()
    names = {m.username.casefold(): m.display_name for m in ctx.store.members(slug)}
    return render_template(
        "erasure_requests.html",
        network=network,
        waiting=ctx.erasure.waiting(slug),
        names=names,
    )


@blueprint.post("/erasure-requests/<username>")
@requires_sign_in
def erase(slug: str, username: str) -> ResponseReturnValue:
    network = network_for(slug, Role.LEAD)
    ctx = context()
    if PlainForm().validate_on_submit() and ctx.erasure.is_waiting(slug, username):
        try:
            with ctx.forum_lock:
                erased = service.erase_member(
                    network,
                    username,
                    ctx.store,
                    ctx.forum(slug),
                    ctx.server.plugins,
                    by=person().username,
                )
        except PspnError as error:
            flash(f"Nothing was erased: {error}", "error")
        else:
            ctx.erasure.remove(slug, username)
            ctx.forget_roster()  # it held their name; the next note compiles it again
            flash(f"Erased {username}'s data ({erased.describe()}).")
    return redirect(url_for("privacy.requests", slug=slug))
