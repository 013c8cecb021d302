"""A member downloads their data and asks for it to be erased; a lead confirms."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from tests.web.conftest import post, sign_in
from tests.web.hub import Hub


def test_a_member_downloads_what_is_held_about_them(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    assert client.get("/networks/pspn/your-data").status_code == 200
    answer = client.get("/networks/pspn/your-data.json")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    data = json.loads(answer.data)
    assert data["username"] == "dev_p"
    assert data["member"]["display_name"] == "Dev Patelson"
    assert [t["title"] for t in data["topics_raised"]] == ["Involving patients in incident reviews"]


def test_erasure_is_asked_for_and_a_lead_confirms_it(
    client: FlaskClient, flask_app: object, hub: Hub
) -> None:
    sign_in(client, hub, "dev_p")
    post(client, "/networks/pspn/your-data", "/networks/pspn/your-data/erase")
    page = client.get("/networks/pspn/your-data").get_data(as_text=True)
    assert "A network lead will confirm it" in page
    assert "dev_p" in {m.username for m in hub.app.store.members("pspn")}  # not yet
    (message,) = hub.forum.messages("ada_l")
    assert "Dev Patelson has asked for their data" in message.body
    assert client.get("/networks/pspn/erasure-requests").status_code == 403

    lead = flask_app.test_client()  # type: ignore[attr-defined]
    sign_in(lead, hub, "ada_l")
    listing = lead.get("/networks/pspn/erasure-requests").get_data(as_text=True)
    assert "Dev Patelson (dev_p)" in listing
    post(lead, "/networks/pspn/erasure-requests", "/networks/pspn/erasure-requests/dev_p")
    assert "dev_p" not in {m.username for m in hub.app.store.members("pspn")}
    assert "Erased dev_p" in lead.get("/networks/pspn/erasure-requests").get_data(as_text=True)
    answer = client.get("/networks/pspn")
    assert "ended=removed" in answer.headers["Location"]


def test_asking_twice_sends_the_leads_one_message(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    post(client, "/networks/pspn/your-data", "/networks/pspn/your-data/erase")
    post(client, "/networks/pspn/your-data", "/networks/pspn/your-data/erase")
    assert len(hub.forum.messages("ada_l")) == 1


def test_a_lead_cannot_erase_someone_who_did_not_ask(flask_app: object, hub: Hub) -> None:
    lead = flask_app.test_client()  # type: ignore[attr-defined]
    sign_in(lead, hub, "ada_l")
    post(lead, "/networks/pspn/erasure-requests", "/networks/pspn/erasure-requests/dev_p")
    assert "dev_p" in {m.username for m in hub.app.store.members("pspn")}


def test_the_roster_kept_for_notes_is_forgotten_when_a_lead_erases(
    client: FlaskClient, flask_app: object, hub: Hub
) -> None:
    kept = hub.app.config.data_dir / "cache" / "roster.compiled"
    sign_in(client, hub, "cleo_w")  # a note-taker: the web app compiles the roster once
    post(client, "/networks/pspn/notes/new", "/networks/pspn/notes/new", text="Dev said hi.")
    assert kept.exists() and b"patelson" not in kept.read_bytes().lower()  # encrypted
    sign_in(client, hub, "dev_p")
    post(client, "/networks/pspn/your-data", "/networks/pspn/your-data/erase")
    lead = flask_app.test_client()  # type: ignore[attr-defined]
    sign_in(lead, hub, "ada_l")
    post(lead, "/networks/pspn/erasure-requests", "/networks/pspn/erasure-requests/dev_p")
    assert "dev_p" not in {m.username for m in hub.app.store.members("pspn")}
    assert not kept.exists()  # it held Dev Patelson's name
