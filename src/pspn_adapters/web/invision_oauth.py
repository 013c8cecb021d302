""" "Sign in with the forum" on Invision Community, with Invision as the OAuth 2 server.

The documented authorization code flow: pspn sends the browser to
``<community>/oauth/authorize/`` with its client id, redirect address, scope
``profile`` and a random ``state`` kept in this browser's session. Invision
signs the person in if need be and sends them back with a ``code``; pspn
checks the ``state`` (once, within ten minutes), swaps the code for a token at
``/oauth/token/`` with its client secret, asks ``/api/core/me`` who the token
is for, and signs in that member name if a roster has it. The token is not
kept.
"""

from __future__ import annotations

import hmac
import logging
import secrets

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.people import memberships
from pspn_adapters.web.views import absolute_url, context

__all__ = ["blueprint"]

log = logging.getLogger("pspn.web")

blueprint = Blueprint("invision_oauth", __name__)

STATE_SECONDS = 600


def _redirect_uri() -> str:
    return absolute_url("invision_oauth.finish")


@blueprint.get("/sign-in/invision")
def start() -> ResponseReturnValue:
    ctx = context()
    if ctx.invision_oauth is None:
        abort(404)
    state = secrets.token_urlsafe(24)
    session["oauth_state"] = [state, ctx.clock().timestamp()]
    return redirect(ctx.invision_oauth.authorize_url(_redirect_uri(), state))


@blueprint.get("/sign-in/invision/return")
def finish() -> ResponseReturnValue:
    ctx = context()
    client = ctx.invision_oauth
    if client is None:
        abort(404)
    state, asked_at = session.pop("oauth_state", ["", 0.0])
    given = request.args.get("state", "")
    fresh = ctx.clock().timestamp() - float(asked_at) <= STATE_SECONDS
    code = request.args.get("code", "")
    if not (state and fresh and code and hmac.compare_digest(state, given)):
        return render_template("hub_sign_in_failed.html"), 400
    try:
        name = client.member_name(code, _redirect_uri())
    except ValueError as error:
        log.warning("Invision sign-in failed: %s", error)
        return render_template("hub_sign_in_failed.html"), 400
    found = memberships(ctx.server.config, ctx.store, name)
    if not found:
        return render_template("hub_not_member.html"), 403
    session.clear()
    session["username"] = next(iter(found.values())).username
    session["seen"] = ctx.clock().timestamp()
    session.permanent = True
    return redirect(url_for("auth.home"))
