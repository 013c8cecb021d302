""" "Sign in with the forum" on Discourse, with Discourse as the DiscourseConnect provider.

The documented flow: pspn sends the browser to ``<forum>/session/sso_provider``
with ``sso`` (Base64 of ``nonce=…&return_sso_url=…``) and ``sig`` (hex
HMAC-SHA256 of ``sso`` with the secret shared with the forum's
``discourse_connect_provider_secrets``). Discourse signs the person in if need
be and sends them back with a signed payload naming them. pspn checks the
signature and that the nonce is the one it sent from this browser (once, and
within ten minutes), then signs in the username if a roster has it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from urllib.parse import parse_qsl, urlencode

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.people import memberships
from pspn_adapters.web.views import absolute_url, context

__all__ = ["blueprint", "check_answer", "sign_in_url"]

blueprint = Blueprint("discourse_connect", __name__)

NONCE_SECONDS = 600


def _sig(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode("ascii"), hashlib.sha256).hexdigest()


def sign_in_url(forum_url: str, secret: bytes, nonce: str, return_url: str) -> str:
    """Where to send the browser to ask the forum who they are."""
    payload = base64.b64encode(
        urlencode({"nonce": nonce, "return_sso_url": return_url}).encode()
    ).decode("ascii")
    query = urlencode({"sso": payload, "sig": _sig(secret, payload)})
    return f"{forum_url.rstrip('/')}/session/sso_provider?{query}"


def check_answer(secret: bytes, sso: str, sig: str, nonce: str) -> dict[str, str]:
    """The forum's signed answer as a dict; ``ValueError`` if the signature or nonce is wrong."""
    try:
        expected = _sig(secret, sso)
    except UnicodeEncodeError:
        raise ValueError("the answer is not Base64") from None
    if not sig or not hmac.compare_digest(expected, sig):
        raise ValueError("the answer's signature is wrong")
    try:
        fields = dict(parse_qsl(base64.b64decode(sso, validate=False).decode("utf-8")))
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("the answer is not a Base64 query string") from None
    if not nonce or not hmac.compare_digest(fields.get("nonce", ""), nonce):
        raise ValueError("the answer is for another sign-in")
    if not fields.get("username"):
        raise ValueError("the answer names nobody")
    return fields


@blueprint.get("/sign-in/discourse")
def start() -> ResponseReturnValue:
    ctx = context()
    if ctx.connect_secret is None:
        abort(404)
    nonce = secrets.token_urlsafe(24)
    session["dc_nonce"] = [nonce, ctx.clock().timestamp()]
    back = absolute_url("discourse_connect.finish")
    return redirect(sign_in_url(ctx.forum_url, ctx.connect_secret, nonce, back))


@blueprint.get("/sign-in/discourse/return")
def finish() -> ResponseReturnValue:
    ctx = context()
    if ctx.connect_secret is None:
        abort(404)
    nonce, asked_at = session.pop("dc_nonce", ["", 0.0])
    if ctx.clock().timestamp() - float(asked_at) > NONCE_SECONDS:
        nonce = ""
    try:
        fields = check_answer(
            ctx.connect_secret, request.args.get("sso", ""), request.args.get("sig", ""), nonce
        )
    except ValueError:
        return render_template("hub_sign_in_failed.html"), 400
    found = memberships(ctx.server.config, ctx.store, fields["username"])
    if not found:
        return render_template("hub_not_member.html"), 403
    username = next(iter(found.values())).username
    session.clear()
    session["username"] = username
    session["seen"] = ctx.clock().timestamp()
    session.permanent = True
    return redirect(url_for("auth.home"))
