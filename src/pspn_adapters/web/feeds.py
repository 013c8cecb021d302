"""Personal calendar addresses: each member's own feed of their network's meetings.

A member makes their address on the web app; only a SHA-256 of its token is
kept (in ``web.db``). The feed is the network's, served by the same code as
``/calendar/<slug>.ics`` (:func:`pspn_adapters.server.calendar.feed`). An
address stops working when its member leaves the roster or is erased, when
they make a new one, or when they stop it; and one made before the member's
current membership began (they left and came back) never works again.
"""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.server import calendar
from pspn_adapters.server.app import HttpError
from pspn_adapters.server.app import Request as ServerRequest
from pspn_adapters.web.forms import PlainForm
from pspn_adapters.web.views import absolute_url, context, network_for, person, requires_sign_in
from pspn_core.errors import NotFound

__all__ = ["blueprint"]

blueprint = Blueprint("feeds", __name__)


def _address(slug: str, token: str) -> str:
    return absolute_url("feeds.feed", slug=slug, token=token)


@blueprint.route("/networks/<slug>/calendar", methods=["GET", "POST"])
@requires_sign_in
def page(slug: str) -> ResponseReturnValue:
    network = network_for(slug)
    ctx, me = context(), person()
    address = ""
    if request.method == "POST" and PlainForm().validate_on_submit():
        if request.form.get("action") == "stop":
            ctx.feeds.stop(slug, me.username)
            flash("Your calendar address has stopped working.")
            return redirect(url_for("feeds.page", slug=slug))
        address = _address(slug, ctx.feeds.make(slug, me.username))
    return render_template(
        "calendar.html",
        network=network,
        address=address,
        has_address=ctx.feeds.has(slug, me.username),
    )


@blueprint.get("/feeds/<slug>/<token>.ics")
def feed(slug: str, token: str) -> ResponseReturnValue:
    """The feed for the holder of a personal address (no sign-in: calendar apps poll it)."""
    ctx = context()
    found = ctx.feeds.owner(slug, token) if slug in ctx.server.config.networks else None
    if found is None:
        abort(404)
    username, made_at = found
    try:
        member = ctx.store.member(slug, username)
    except NotFound:
        abort(404)  # they left, or were erased
    if member.joined_at is not None and member.joined_at.astimezone(UTC) > made_at:
        abort(404)  # made during an earlier membership
    headers = {name.lower(): value for name, value in request.headers.items()}
    asked = ServerRequest("GET", request.path, {}, headers)
    try:
        answer = calendar.feed(asked, ctx.server, slug)
    except HttpError as error:
        abort(error.status)
    response = Response(answer.body, status=answer.status, headers=answer.headers)
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
