"""The lead decides applications with the same effects as ``pspn members decide``."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import post, sign_in
from tests.web.hub import Hub


def application_path(hub: Hub) -> str:
    (application,) = hub.app.store.applications("pspn")
    return f"/networks/pspn/applications/{application.id}"


def test_only_a_lead_sees_applications(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "bram_s")
    assert client.get("/networks/pspn/applications").status_code == 403
    assert client.get(application_path(hub)).status_code == 403


def test_the_lead_sees_each_rules_advice(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "ada_l")
    listing = client.get("/networks/pspn/applications").get_data(as_text=True)
    assert "Fay Quilliam" in listing
    page = client.get(application_path(hub)).get_data(as_text=True)
    assert "What the rules advise" in page
    assert page.count("<li><strong>") >= 2


def test_admitting_adds_the_member_and_welcomes_them(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "ada_l")
    path = application_path(hub)
    application_id = int(path.rsplit("/", 1)[1])
    answer = post(client, path, path, outcome="admit", reason="Meets every rule")
    assert answer.status_code == 302
    assert "fay_q" in {m.username for m in hub.app.store.members("pspn")}
    (decision,) = hub.app.store.decisions(application_id)
    assert (decision.by, decision.reason) == ("ada_l", "Meets every rule")
    assert hub.forum.messages("fay_q")
    assert "fay_q" in hub.forum.group_members("psp-network")
    assert client.get(path).status_code == 410


def test_asking_needs_the_question(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "ada_l")
    path = application_path(hub)
    answer = post(client, path, path, outcome="ask", reason="Unclear trust")
    assert answer.status_code == 400
    assert '<a href="#question">Write the question to send them</a>' in answer.get_data(
        as_text=True
    )
    post(client, path, path, outcome="ask", reason="Unclear trust", question="Which trust?")
    assert hub.forum.messages("fay_q")[-1].body == "Which trust?"


def test_a_decision_needs_a_reason_and_an_outcome(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "ada_l")
    path = application_path(hub)
    page = post(client, path, path).get_data(as_text=True)
    assert '<a href="#outcome">Choose a decision</a>' in page
    assert '<a href="#reason">Give a reason for the record</a>' in page
    assert hub.app.store.applications("pspn")[0].status == "open"  # nothing decided


def test_the_lead_brings_in_requests_waiting_on_the_forum(client: FlaskClient, hub: Hub) -> None:
    forum = hub.forum
    forum.create_user("gus_h", "Gus Hartley")
    forum.request_join("psp-network", "gus_h", "I am a Patient Safety Partner")
    sign_in(client, hub, "ada_l")
    post(client, "/networks/pspn/applications", "/networks/pspn/applications/fetch")
    page = client.get("/networks/pspn/applications").get_data(as_text=True)
    assert "1 new request(s) from the forum." in page
    assert "Gus Hartley" in page or "gus_h" in page
