"""The member's pages: meetings, topics and votes, volunteering to chair."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import csrf, post, sign_in
from tests.web.hub import Hub


def test_signing_out_users_are_sent_to_sign_in(client: FlaskClient) -> None:
    answer = client.get("/networks/pspn")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/sign-in")


def test_the_network_page_lists_the_next_meetings(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    page = client.get("/networks/pspn").get_data(as_text=True)
    assert "Tuesday 8 December 2026" in page
    assert "12:30 to 13:30 (daytime meeting)" in page
    assert "Bram Stokeley" in page
    assert "Online (Microsoft Teams)" in page
    assert "Tuesday 12 January 2027" in page
    assert page.count('class="card"') == 3
    assert "Meeting notes" not in page  # dev_p is a member only


def test_a_network_the_person_is_not_in_is_not_found(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    assert client.get("/networks/north").status_code == 404
    assert client.get("/networks/nowhere").status_code == 404


def test_raising_a_topic(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    answer = post(client, "/networks/pspn", "/networks/pspn/topics", title="  Board  reports ")
    assert answer.status_code == 302
    (topic,) = [t for t in hub.app.store.topics("pspn") if t.title == "Board reports"]
    assert topic.raised_by == "dev_p"
    assert "Board reports" in client.get("/networks/pspn").get_data(as_text=True)


def test_a_blank_topic_links_the_error_to_the_field(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    answer = post(client, "/networks/pspn", "/networks/pspn/topics", title=" ")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert '<a href="#title">Enter the topic you want to talk about</a>' in page
    assert 'aria-describedby="title-hint title-error"' in page


def test_one_vote_each_and_it_can_be_withdrawn(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    topic = hub.app.store.topics("pspn")[0]
    vote = f"/networks/pspn/topics/{topic.id}/vote"
    withdraw = f"/networks/pspn/topics/{topic.id}/withdraw"
    assert post(client, "/networks/pspn", vote).status_code == 302
    assert hub.app.store.topic(topic.id).votes == 1
    page = client.get("/networks/pspn").get_data(as_text=True)
    assert 'Withdraw vote<span class="visually-hidden"> for Involving' in page
    post(client, "/networks/pspn", vote)
    assert hub.app.store.topic(topic.id).votes == 1
    assert "one vote each" in client.get("/networks/pspn").get_data(as_text=True)
    post(client, "/networks/pspn", withdraw)
    assert hub.app.store.topic(topic.id).votes == 0


def test_volunteering_and_stopping(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    page = client.get("/networks/pspn/volunteer")
    assert page.status_code == 200
    token = csrf(page.data)
    client.post("/networks/pspn/volunteer", data={"csrf_token": token, "slots": ["evening"]})
    chosen = {v.name: v.slots for v in hub.app.store.volunteers("pspn")}
    assert chosen["dev_p"] == frozenset({"evening"})
    assert "You volunteer to chair evening meetings" in client.get("/networks/pspn").get_data(
        as_text=True
    )
    client.post("/networks/pspn/volunteer", data={"csrf_token": token})
    assert "dev_p" not in {v.name for v in hub.app.store.volunteers("pspn")}


def test_an_unknown_slot_is_refused(client: FlaskClient, hub: Hub) -> None:
    sign_in(client, hub, "dev_p")
    token = csrf(client.get("/networks/pspn/volunteer").data)
    answer = client.post("/networks/pspn/volunteer", data={"csrf_token": token, "slots": ["dawn"]})
    assert answer.status_code == 400
    assert "dev_p" not in {v.name for v in hub.app.store.volunteers("pspn")}


def test_someone_in_two_networks_chooses_one(client: FlaskClient, hub: Hub) -> None:
    from pspn_core.membership.model import Member

    hub.app.store.add_member(Member(network="north", username="DEV_P", display_name="Dev P"))
    sign_in(client, hub, "dev_p")
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/networks/north">North Network</a>' in page
    assert '<a href="/networks/pspn">Patient Safety Partners Network</a>' in page
    assert client.get("/networks/north").status_code == 200
