"""One test per endpoint of ``InvisionClient`` against the fake Invision, in both URL forms."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest
import requests

from pspn_adapters.invision.client import InvisionClient, normalise_base_url
from pspn_adapters.invision.fake import FakeInvision
from pspn_core.errors import AdapterError, AdapterNotFound, AuthenticationFailed
from tests.adapters.invision.conftest import make_client


@pytest.fixture(params=["friendly", "index.php"])
def client(
    request: pytest.FixtureRequest, fake: FakeInvision, sleeps: list[float]
) -> Iterator[InvisionClient]:
    """The client on ``/api`` and on ``/api/index.php`` (a site without URL rewriting)."""
    url = fake.url if request.param == "friendly" else f"{fake.root}/api/index.php"
    made = make_client(url, fake.api_key, sleeps)
    yield made
    made.close()


@pytest.fixture
def club(fake: FakeInvision, bot: int) -> int:
    return fake.add_club("North network", owner=bot)


def test_base_url_forms() -> None:
    assert normalise_base_url("https://c.example.org/api/") == "https://c.example.org/api"
    assert normalise_base_url("https://c.example.org/api/index.php") == (
        "https://c.example.org/api/index.php?"
    )
    assert normalise_base_url("https://c.example.org/api/index.php?") == (
        "https://c.example.org/api/index.php?"
    )


def test_hello(client: InvisionClient, fake: FakeInvision) -> None:
    assert client.hello()["ipsVersion"] == "4.7.12"
    assert fake.requests == ["GET /core/hello"]


def test_members_are_paged_to_the_last_page(client: InvisionClient, fake: FakeInvision) -> None:
    for number in range(23):
        fake.add_member(f"member{number:02}.example")
    listing = client.members()
    names = [m["name"] for m in listing]
    assert len(names) == 23
    assert listing.total == 23
    assert listing.requests == 3  # perPage 10


def test_members_by_name_prefix_and_group(client: InvisionClient, fake: FakeInvision) -> None:
    alice = fake.add_member("alice.example")
    fake.add_member("alicia.example")
    group = fake.add_group("North network")
    fake.state.members[alice].secondary_groups.add(group)
    assert [m["name"] for m in client.members(name="alic")] == ["alice.example", "alicia.example"]
    assert [m["id"] for m in client.members(group=group)] == [alice]


def test_member(client: InvisionClient, fake: FakeInvision) -> None:
    ident = fake.add_member("alice.example")
    assert client.member(ident)["name"] == "alice.example"
    with pytest.raises(AdapterNotFound):
        client.member(999)


def test_add_and_remove_secondary_group(client: InvisionClient, fake: FakeInvision) -> None:
    ident = fake.add_member("alice.example")
    group = fake.add_group("North network")
    added = client.add_secondary_group(ident, group)
    assert [g["id"] for g in added["secondaryGroups"]] == [group]
    removed = client.remove_secondary_group(ident, group)  # Invision answers 201
    assert removed["secondaryGroups"] == []
    with pytest.raises(AdapterNotFound):
        client.add_secondary_group(ident, 999)


def test_club(client: InvisionClient, club: int) -> None:
    assert client.club(club)["type"] == "private"


def test_club_members_set_and_remove(client: InvisionClient, fake: FakeInvision, club: int) -> None:
    ident = fake.add_member("alice.example")
    answer = client.set_club_member(club, ident, "member")
    assert [m["name"] for m in answer["members"]] == ["alice.example"]
    assert [m["name"] for m in client.club_members(club)["members"]] == ["alice.example"]
    assert client.remove_club_member(club, ident)["members"] == []
    assert fake.club_status(club, ident) is None


def test_requested_members_are_invisible_to_the_api(
    client: InvisionClient, fake: FakeInvision, club: int
) -> None:
    fake.request_join(club, fake.add_member("dave.example"))
    assert client.club_members(club)["members"] == []


def test_club_nodes(client: InvisionClient, fake: FakeInvision, club: int) -> None:
    forum = fake.add_forum("Notes", club=club)
    fake.add_forum("Elsewhere")
    nodes = client.club_nodes(club)
    assert [n["id"] for n in nodes] == [forum]
    assert nodes[0]["public"] == 0


def test_send_message_without_an_answer_body_is_sent(
    client: InvisionClient, fake: FakeInvision
) -> None:
    """The documented variant: 201 and no body. The message went; its id is unknown."""
    fake.state.empty_message_answer = True
    sender, to = fake.add_member("pspn-bot"), fake.add_member("alice.example")
    assert client.send_message(sender, [to], "Welcome", "<p>Hello</p>") is None
    (conversation,) = fake.state.conversations.values()
    assert conversation.recipients == [to]


def test_send_message_answers_a_bare_id(client: InvisionClient, fake: FakeInvision) -> None:
    sender, to = fake.add_member("pspn-bot"), fake.add_member("alice.example")
    conversation = client.send_message(sender, [to], "Welcome", "<p>Hello</p>")
    assert fake.state.conversations[conversation].recipients == [to]
    with pytest.raises(AdapterNotFound):  # Invision reports every message error as 404
        client.send_message(sender, [999], "Welcome", "<p>Hello</p>")


def test_forums(client: InvisionClient, fake: FakeInvision) -> None:
    made = [fake.add_forum(f"Forum {n}") for n in range(12)]
    assert [f["id"] for f in client.forums()] == made


def test_topics_newest_first_by_author(
    client: InvisionClient, fake: FakeInvision, bot: int
) -> None:
    forum = fake.add_forum("Notes")
    first = client.create_topic(forum, bot, "First", "<p>one</p>")
    second = client.create_topic(forum, bot, "Second", "<p>two</p>")
    other = fake.add_member("alice.example")
    client.create_topic(forum, other, "Not ours", "<p>three</p>")
    listed = [t["id"] for t in client.topics(forum, author_id=bot)]
    assert listed == [second["id"], first["id"]]


def test_topic_and_post(client: InvisionClient, fake: FakeInvision, bot: int) -> None:
    forum = fake.add_forum("Notes")
    topic = client.create_topic(forum, bot, "Notes", "<!-- pspn:note:k --><p>one</p>")
    assert topic["firstPost"]["content"] == "<!-- pspn:note:k --><p>one</p>"  # verbatim
    client.create_post(topic["id"], bot, "<p>two</p>")
    again = client.topic(topic["id"])
    assert again["posts"] == 2
    assert again["lastPost"]["content"] == "<p>two</p>"


def test_topic_in_a_category_is_refused(
    client: InvisionClient, fake: FakeInvision, bot: int
) -> None:
    category = fake.add_forum("Networks", type="category")
    with pytest.raises(AuthenticationFailed) as caught:
        client.create_topic(category, bot, "Notes", "<p>one</p>")
    assert "NO_PERMISSION" in str(caught.value)


def _event_fields(calendar: int, bot: int, **changes: str) -> dict[str, object]:
    fields: dict[str, object] = {
        "calendar": calendar,
        "author": bot,
        "title": "Meeting",
        "description": "<p>Agenda</p>",
        "start": "2030-03-12T12:30:00Z",
        "end": "2030-03-12T13:30:00Z",
    }
    return {**fields, **changes}


def test_events_create_get_edit_delete(
    client: InvisionClient, fake: FakeInvision, bot: int
) -> None:
    calendar = fake.add_calendar("Meetings")
    created = client.create_event(_event_fields(calendar, bot))
    assert (created["start"], created["end"]) == ("2030-03-12T12:30:00Z", "2030-03-12T13:30:00Z")
    assert [e["id"] for e in client.events(calendar)] == [created["id"]]
    moved = _event_fields(calendar, bot, start="2030-03-19T17:30:00Z", end="2030-03-19T18:30:00Z")
    edited = client.edit_event(created["id"], moved)
    assert (edited["start"], edited["end"]) == ("2030-03-19T17:30:00Z", "2030-03-19T18:30:00Z")
    assert client.event(created["id"])["description"] == "<p>Agenda</p>"
    client.delete_event(created["id"])
    with pytest.raises(AdapterNotFound):
        client.event(created["id"])


def test_client_refuses_an_edit_that_would_trip_the_pitfall(client: InvisionClient) -> None:
    with pytest.raises(ValueError, match="description"):
        client.edit_event(1, {"title": "Moved", "start": "2030-03-19T17:30:00Z", "end": "x"})


def test_fake_reproduces_the_edit_pitfall(fake: FakeInvision, bot: int) -> None:
    """An edit that sends only the title makes the event all-day from now, blank, for good."""
    calendar = fake.add_calendar("Meetings")
    session = requests.Session()
    session.auth = (fake.api_key, "")
    created = session.post(f"{fake.url}/calendar/events", data=_event_fields(calendar, bot)).json()
    edited = session.post(f"{fake.url}/calendar/events/{created['id']}", data={"title": "Moved"})
    assert edited.status_code == 200
    assert edited.json()["end"] is None
    assert edited.json()["description"] == ""
    assert edited.json()["start"] != created["start"]
    fixed = session.post(
        f"{fake.url}/calendar/events/{created['id']}", data=_event_fields(calendar, bot)
    ).json()
    assert fixed["end"] is None  # the all-day flag is never cleared by an edit
    session.close()


def test_offsets_are_not_converted(fake: FakeInvision, bot: int) -> None:
    calendar = fake.add_calendar("Meetings")
    with requests.Session() as session:
        session.auth = (fake.api_key, "")
        fields = _event_fields(
            calendar, bot, start="2030-07-09T18:30:00+01:00", end="2030-07-09T19:30:00+01:00"
        )
        created = session.post(f"{fake.url}/calendar/events", data=fields).json()
    assert created["start"] == "2030-07-09T18:30:00Z"  # why the client always sends UTC


def test_json_bodies_are_ignored_as_by_the_real_invision(fake: FakeInvision, bot: int) -> None:
    forum = fake.add_forum("Notes")
    body = {"forum": forum, "author": bot, "title": "Notes", "post": "<p>one</p>"}
    with requests.Session() as session:
        session.auth = (fake.api_key, "")
        answer = session.post(f"{fake.url}/forums/topics", json=body)
        in_json = requests.post(f"{fake.url}/core/messages", json={"key": fake.api_key}, timeout=5)
    assert (answer.status_code, answer.json()["errorMessage"]) == (400, "NO_FORUM")
    assert (in_json.status_code, in_json.json()["errorMessage"]) == (401, "NO_API_KEY")
    assert fake.state.topics == {}
    violations = fake.take_violations()
    assert any("ignores it" in v for v in violations)


def test_client_never_sends_json(client: InvisionClient) -> None:
    with pytest.raises(TypeError, match="JSON"):
        client.http.request("POST", "/forums/topics", json={"title": "x"})


def test_errors_are_typed_and_never_show_the_key(fake: FakeInvision, sleeps: list[float]) -> None:
    secret = "0123456789abcdef-wrong"
    client = make_client(fake.url, secret, sleeps)
    assert secret not in repr(client)
    with pytest.raises(AuthenticationFailed) as first:
        client.hello()
    assert first.value.status == 401
    with pytest.raises(AuthenticationFailed) as second:  # the bad-key guard: no retries
        client.hello()
    assert second.value.status == 429
    assert "Invision refused our API key" in str(second.value)
    assert "1S290\\/D" in second.value.excerpt  # escaped as PHP escapes it; parsed, not searched
    assert sleeps == []
    for error in (first.value, second.value):
        assert secret not in str(error)
    client.close()


def test_endpoint_not_granted_to_the_key(client: InvisionClient, fake: FakeInvision) -> None:
    fake.denied.add("core_hello_GETindex")
    with pytest.raises(AuthenticationFailed, match="credentials or permissions"):
        client.hello()


def test_validation_errors_are_adapter_errors(client: InvisionClient, fake: FakeInvision) -> None:
    with pytest.raises(AdapterError) as caught:
        client.create_event({"calendar": 999, "title": "x", "description": "d", "start": "x"})
    assert caught.value.status == 400
    assert "NO_CALENDAR" in str(caught.value)
    fake.take_violations()  # "author" is required with a key: the contract says so too


def test_unknown_path_and_method(fake: FakeInvision) -> None:
    with requests.Session() as session:
        session.auth = (fake.api_key, "")
        deep = session.get(f"{fake.url}/core/members/1/secgroup/2/extra")
        wrong = session.put(f"{fake.url}/core/hello")
    assert deep.json()["errorMessage"] == "NO_ENDPOINT"
    assert (wrong.status_code, wrong.json()["errorMessage"]) == (405, "BAD_METHOD")


class _Receiver(BaseHTTPRequestHandler):
    """Collects webhook deliveries: ``(headers, raw body)``."""

    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(500)  # Invision does not look at the answer
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/invision", _Receiver.received
    server.shutdown()
    server.server_close()


def test_register_webhook_and_receive_deliveries(
    client: InvisionClient,
    fake: FakeInvision,
    club: int,
    receiver: tuple[str, list[tuple[dict[str, str], bytes]]],
) -> None:
    url, received = receiver
    hook = client.register_webhook(url, ["club_member_added"])
    assert hook["events"] == ["club_member_added"]
    fake.request_join(club, fake.add_member("dave.example"))
    assert fake.deliver_webhooks() == 1
    ((headers, body),) = received
    assert headers["Webhook-Event"] == "club_member_added"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"  # yet JSON
    assert client.auth.matches(headers["Authorization"])
    assert json.loads(body)["status"] == "requested"


def test_multipart_form_fields_are_read_too(fake: FakeInvision, bot: int) -> None:
    forum = fake.add_forum("Notes")
    fields = {"forum": str(forum), "author": str(bot), "title": "Notes", "post": "<p>one</p>"}
    with requests.Session() as session:
        session.auth = (fake.api_key, "")
        files = {name: (None, value) for name, value in fields.items()}
        answer = session.post(f"{fake.url}/forums/topics", files=files)
    assert answer.status_code == 201, answer.text
    assert answer.json()["firstPost"]["content"] == "<p>one</p>"


def test_header_names_are_case_insensitive(fake: FakeInvision) -> None:
    token = base64.b64encode(f"{fake.api_key}:".encode()).decode()
    with requests.Session() as session:
        answer = session.get(f"{fake.url}/core/hello", headers={"authorization": f"Basic {token}"})
    assert answer.status_code == 200
