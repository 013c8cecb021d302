"""Signing in with a one-time link sent by forum private message, and signing out.

The page after asking for a link says the same whether or not the username is
on any roster, and requests are limited per username and per network address.
A link opens a page with one button: a link checker that fetches the address
does not spend it; pressing the button does.
"""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import PlainForm, SignInForm
from pspn_adapters.web.people import memberships
from pspn_adapters.web.views import absolute_url, context

__all__ = ["blueprint"]

log = logging.getLogger("pspn.web")

blueprint = Blueprint("auth", __name__)

ENDED = {
    "idle": "You were signed out because the page was not used for a while.",
    "removed": "You were signed out: you are no longer a member of any network here.",
}


@blueprint.get("/")
def home() -> ResponseReturnValue:
    from flask import g

    person = g.get("person")
    if person is None:
        return redirect(url_for("auth.sign_in"))
    if len(person.roles) == 1:
        return redirect(url_for("members.network", slug=next(iter(person.roles))))
    networks = context().server.config.networks
    return render_template("home.html", networks=[networks[slug] for slug in sorted(person.roles)])


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    ended = ENDED.get(request.args.get("ended", ""))
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        ctx = context()
        hub = (
            url_for("discourse_connect.start")
            if ctx.connect_secret is not None
            else url_for("invision_oauth.start")
            if ctx.invision_oauth is not None
            else ""
        )
        return render_template("sign_in.html", form=form, ended=ended, hub=hub), status
    ctx = context()
    username = " ".join(str(form.username.data).split())
    address = request.remote_addr or "unknown"
    if not ctx.per_address.allow(address) or not ctx.per_username.allow(username.casefold()):
        return render_template("sign_in_limited.html"), 429
    _send_link(username)
    return render_template("sign_in_sent.html", username=username)


def _send_link(username: str) -> None:
    """Send a link if ``username`` is a member anywhere; say nothing either way."""
    ctx = context()
    found = memberships(ctx.server.config, ctx.store, username)
    if not found:
        return
    slug, member = next(iter(found.items()))
    token = ctx.links.issue(member.username, ctx.settings.link_minutes)
    link = absolute_url("auth.use_link", token=token)
    body = (
        f"Hello {member.display_name},\n\nSomeone (we hope you) asked to sign in to "
        f"{ctx.server.config.hub.name}. Open this link within "
        f"{ctx.settings.link_minutes} minutes to sign in:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, ignore this message."
    )
    try:
        with ctx.forum_lock:
            ctx.forum(slug).send_message(member.username, "Your sign-in link", body)
    except Exception as error:
        log.error("could not send a sign-in link: %s", type(error).__name__)


@blueprint.route("/sign-in/<token>", methods=["GET", "POST"])
def use_link(token: str) -> ResponseReturnValue:
    ctx = context()
    form = PlainForm()
    if not ctx.links.peek(token):
        return render_template("link_spent.html"), 410
    if request.method == "GET":
        return render_template("sign_in_confirm.html", form=form, token=token)
    if not form.validate_on_submit():
        return render_template("sign_in_confirm.html", form=form, token=token), 400
    username = ctx.links.use(token)
    if username is None:
        return render_template("link_spent.html"), 410
    session.clear()
    session["username"] = username
    session["seen"] = ctx.clock().timestamp()
    session.permanent = True
    return redirect(url_for("auth.home"))


@blueprint.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    form = PlainForm()
    if form.validate_on_submit():
        session.clear()
        flash("You have signed out.")
    return redirect(url_for("auth.sign_in"))
