"""The member's pages: the network page, topics and votes, volunteering to chair."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from pspn_adapters.web.forms import PlainForm, SelectChoice, TopicForm, VolunteerForm
from pspn_adapters.web.views import context, network_for, person, requires_sign_in
from pspn_core.errors import PspnError
from pspn_core.meetings import participation
from pspn_core.meetings.model import MeetingStatus
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role

__all__ = ["blueprint"]

blueprint = Blueprint("members", __name__, url_prefix="/networks")

NEXT_MEETINGS = 3


def _page(network: Network, topic_form: TopicForm | None = None) -> str:
    ctx = context()
    store = ctx.store
    now = ctx.clock()
    names = {m.username: m.display_name for m in store.members(network.slug)}
    timezone = network.meetings.timezone if network.meetings else "Europe/London"
    meetings = [
        m.in_zone(timezone)
        for m in store.meetings(network.slug)
        if m.end >= now and m.status is not MeetingStatus.CANCELLED
    ][:NEXT_MEETINGS]
    me = person()
    mine = {v.name.casefold(): v.slots for v in store.volunteers(network.slug)}
    return render_template(
        "network.html",
        network=network,
        meetings=meetings,
        names=names,
        location=network.meetings.location if network.meetings else "",
        topics=participation.open_topics(network, store),
        voted=store.votes_by(network.slug, me.username),
        topic_form=topic_form or TopicForm(),
        button=PlainForm(),
        volunteering=sorted(mine.get(me.username.casefold(), frozenset())),
        is_note_taker=me.can(network.slug, Role.NOTE_TAKER),
        is_lead=me.can(network.slug, Role.LEAD),
    )


@blueprint.get("/<slug>")
@requires_sign_in
def network(slug: str) -> ResponseReturnValue:
    return _page(network_for(slug))


@blueprint.post("/<slug>/topics")
@requires_sign_in
def raise_topic(slug: str) -> ResponseReturnValue:
    chosen = network_for(slug)
    form = TopicForm()
    if not form.validate_on_submit():
        return _page(chosen, form), 400
    try:
        topic = participation.raise_topic(
            chosen, context().store, str(form.title.data), by=person().username
        )
    except PspnError as error:
        form.title.errors = [str(error)]
        return _page(chosen, form), 400
    flash(f"Your topic “{topic.title}” has been added.")
    return redirect(url_for("members.network", slug=slug))


@blueprint.post("/<slug>/topics/<int:topic_id>/<any(vote, withdraw):action>")
@requires_sign_in
def vote(slug: str, topic_id: int, action: str) -> ResponseReturnValue:
    chosen = network_for(slug)
    if not PlainForm().validate_on_submit():
        return redirect(url_for("members.network", slug=slug))
    store, by = context().store, person().username
    try:
        if action == "vote":
            topic = participation.vote(chosen, store, topic_id, by=by)
            flash(f"You voted for “{topic.title}”.")
        else:
            participation.withdraw_vote(chosen, store, topic_id, by=by)
            flash(f"You withdrew your vote for “{store.topic(topic_id).title}”.")
    except PspnError as error:
        flash(str(error), "error")
    return redirect(url_for("members.network", slug=slug))


@blueprint.route("/<slug>/volunteer", methods=["GET", "POST"])
@requires_sign_in
def volunteer(slug: str) -> ResponseReturnValue:
    chosen = network_for(slug)
    store, me = context().store, person()
    form = VolunteerForm()
    slots = participation.slot_names(chosen)
    starts = {s.name: s.start for s in chosen.meetings.slots} if chosen.meetings else {}
    form.slots.choices = [
        SelectChoice(name, f"{name.capitalize()} meetings at {starts[name]:%H:%M}")
        for name in slots
    ]
    if form.validate_on_submit():
        try:
            done = participation.volunteer(chosen, store, me.username, form.slots.data or [])
        except PspnError as error:
            form.slots.errors = [str(error)]
        else:
            flash(
                f"Thank you: you volunteer to chair {', '.join(done)} meetings."
                if done
                else "You no longer volunteer to chair."
            )
            return redirect(url_for("members.network", slug=slug))
    elif not form.is_submitted():
        current = {v.name.casefold(): v.slots for v in store.volunteers(chosen.slug)}
        form.slots.data = sorted(current.get(me.username.casefold(), frozenset()))
    status = 400 if form.errors else 200
    page = render_template("volunteer.html", network=chosen, form=form, has_slots=bool(slots))
    return page, status
