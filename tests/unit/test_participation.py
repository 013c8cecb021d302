"""Raising topics, voting and volunteering: the rules the CLI and the web app share."""

from __future__ import annotations

import pytest

from pspn_core.cli import App
from pspn_core.errors import InputError, NotFound, OperationError
from pspn_core.meetings import participation
from pspn_core.membership.model import Member
from pspn_core.networks.service import setup_network
from pspn_core.notes.keys import create_key_file
from pspn_core.notes.service import add_note, approve_note, submit_note


@pytest.fixture
def hub(app: App) -> App:
    network = app.network("pspn")
    setup_network(network, app.store, app.forum("pspn"), app.plugins)
    for username in ("ada_l", "bram_s"):
        app.store.add_member(Member(network="pspn", username=username, display_name=username))
    return app


def test_a_topic_is_raised_by_a_member_with_its_title_tidied(hub: App) -> None:
    network = hub.network("pspn")
    topic = participation.raise_topic(network, hub.store, "  Board   papers ", by="ada_l")
    assert (topic.title, topic.raised_by) == ("Board papers", "ada_l")
    with pytest.raises(NotFound):
        participation.raise_topic(network, hub.store, "x", by="stranger")
    with pytest.raises(InputError, match="at most 200"):
        participation.raise_topic(network, hub.store, "x" * 201, by="ada_l")


def test_one_vote_each_withdrawn_once(hub: App) -> None:
    network = hub.network("pspn")
    topic = participation.raise_topic(network, hub.store, "Board papers", by="ada_l")
    assert participation.vote(network, hub.store, topic.id, by="bram_s").votes == 1
    with pytest.raises(OperationError, match="one vote each"):
        participation.vote(network, hub.store, topic.id, by="BRAM_S")
    assert participation.withdraw_vote(network, hub.store, topic.id, by="bram_s")
    assert not participation.withdraw_vote(network, hub.store, topic.id, by="bram_s")
    assert hub.store.topic(topic.id).votes == 0


def test_volunteering_only_for_known_slots(hub: App) -> None:
    network = hub.network("pspn")
    assert participation.volunteer(network, hub.store, "ada_l", ["evening"]) == ["evening"]
    with pytest.raises(InputError, match="unknown slot"):
        participation.volunteer(network, hub.store, "ada_l", ["dawn"])
    assert participation.volunteer(network, hub.store, "ada_l", []) == []
    assert hub.store.volunteers("pspn") == []


def test_two_person_approval_refuses_the_person_who_added_the_note(hub: App) -> None:
    network = hub.network("pspn")
    strict = network.model_copy(
        update={"notes": network.notes.model_copy(update={"two_person_approval": True})}
    )
    create_key_file(hub.config.key_file)
    note, _ = add_note(
        strict, "Ada spoke.", store=hub.store, keys=hub.keys, plugins=hub.plugins, by="ada_l"
    )
    submit_note(hub.store, note.id, by="ada_l")
    with pytest.raises(OperationError, match="needs a second person"):
        approve_note(hub.store, note.id, "Ada_L", network=strict)
    assert approve_note(hub.store, note.id, "bram_s", network=strict).approved_by == "bram_s"
    actions = [e["action"] for e in hub.store.audit_log("pspn") if e["subject"] == "note 1"]
    assert actions == ["note.added", "note.submitted", "note.approved"]
