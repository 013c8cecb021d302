"""One test per Discourse endpoint the client uses, against the fake (which checks the contract)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pspn_adapters.discourse import mapping
from pspn_adapters.discourse.adapter import DiscourseNetworkSettings
from pspn_adapters.discourse.client import DiscourseClient
from pspn_adapters.discourse.fake import FakeDiscourse
from pspn_core.errors import AdapterError, AdapterNotFound, AuthenticationFailed, ConflictError
from pspn_core.ports import CalendarEvent

GROUP = "north-network"
BODY = "The network discussed handover checklists and agreed to pilot one."


def _members(fake: FakeDiscourse, count: int) -> list[int]:
    ids = [fake.site.add_user(f"member{n:02d}.example", f"Member {n}").id for n in range(count)]
    fake.site.groups[GROUP].members.extend(ids)
    return ids


def _topic(client: DiscourseClient, network: DiscourseNetworkSettings, ext: str) -> dict[str, int]:
    created = client.create_topic(
        title=f"North network notes {ext}",
        raw=BODY,
        category=network.notes_category_id,
        external_id=ext,
    )
    return {"topic": created["topic_id"], "post": created["id"]}


def test_site_basic_info(client: DiscourseClient) -> None:
    assert client.site_basic_info()["title"] == "Fake Discourse"


def test_get_group_ignores_case(client: DiscourseClient, network: DiscourseNetworkSettings) -> None:
    group = client.get_group("North-Network")
    assert group["name"] == GROUP
    assert isinstance(group["id"], int)


def test_get_unknown_group_is_not_found(client: DiscourseClient) -> None:
    with pytest.raises(AdapterNotFound) as caught:
        client.get_group("no-such-group")
    assert caught.value.status == 404


def test_group_members_pages_until_the_total(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse
) -> None:
    _members(fake, 7)
    pages = client.group_members(GROUP, limit=3)
    names = [m["username"] for m in pages]
    assert names == [f"member{n:02d}.example" for n in range(7)]
    assert (pages.total, pages.requests) == (7, 3)
    offsets = [r.query["offset"] for r in fake.requests if r.path.endswith("/members.json")]
    assert offsets == ["0", "3", "6"]


def test_group_members_refuses_a_limit_discourse_would_refuse(client: DiscourseClient) -> None:
    with pytest.raises(ValueError, match="limit"):
        client.group_members(GROUP, limit=1001)


def test_membership_requests_list(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse
) -> None:
    carol = fake.site.add_user("carol.example", "Carol")
    fake.site.groups[GROUP].requests[carol.id] = "I lead incident reviews."
    (found,) = client.group_members(GROUP, requesters=True)
    assert (found["username"], found["reason"]) == ("carol.example", "I lead incident reviews.")
    assert fake.requests[-1].query["requesters"] == "true"


def test_add_members(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse
) -> None:
    user = fake.site.add_user("dave.example")
    group = client.get_group(GROUP)
    assert client.add_members(group["id"], ["dave.example"])["usernames"] == ["dave.example"]
    assert user.id in fake.site.groups[GROUP].members
    with pytest.raises(ConflictError, match="already a member") as caught:
        client.add_members(group["id"], ["dave.example"])
    assert caught.value.status == 422


def test_add_unknown_member_is_an_error(
    client: DiscourseClient, network: DiscourseNetworkSettings
) -> None:
    with pytest.raises(AdapterError) as caught:
        client.add_members(client.get_group(GROUP)["id"], ["nobody.example"])
    assert caught.value.status == 400


def test_remove_members_skips_non_members(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse
) -> None:
    _members(fake, 1)
    fake.site.add_user("outsider.example")
    answer = client.remove_members(
        client.get_group(GROUP)["id"], ["member00.example", "outsider.example"]
    )
    assert answer["usernames"] == ["member00.example"]
    assert answer["skipped_usernames"] == ["outsider.example"]
    assert fake.site.groups[GROUP].members == []


@pytest.mark.parametrize("accept", [True, False])
def test_handle_membership_request(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse, accept: bool
) -> None:
    erin = fake.site.add_user("erin.example")
    fake.site.groups[GROUP].requests[erin.id] = "Please."
    client.handle_membership_request(client.get_group(GROUP)["id"], erin.id, accept=accept)
    assert fake.site.groups[GROUP].requests == {}
    assert (erin.id in fake.site.groups[GROUP].members) is accept


def test_get_category(client: DiscourseClient, network: DiscourseNetworkSettings) -> None:
    category = client.get_category(network.notes_category_id)
    assert category["read_restricted"] is True
    assert {p["group_name"] for p in category["group_permissions"]} == {GROUP, "staff"}


def test_create_topic_and_find_it_by_external_id(
    client: DiscourseClient, network: DiscourseNetworkSettings, fake: FakeDiscourse
) -> None:
    ids = _topic(client, network, "note-1")
    assert client.topic_id_by_external_id("note-1") == ids["topic"]
    assert client.topic_id_by_external_id("NOTE-1") == ids["topic"]  # ignores case
    assert client.topic_id_by_external_id("note-2") is None
    lookups = [r for r in fake.requests if "/t/external_id/" in r.path]
    assert len(lookups) == 3  # the 301 was not followed


def test_create_topic_with_a_taken_external_id_is_a_conflict(
    client: DiscourseClient, network: DiscourseNetworkSettings
) -> None:
    _topic(client, network, "note-1")
    with pytest.raises(ConflictError, match="External ID"):
        client.create_topic(
            title="Another title for notes", raw=BODY, category=2, external_id="NOTE-1"
        )


def test_get_topic(client: DiscourseClient, network: DiscourseNetworkSettings) -> None:
    ids = _topic(client, network, "note-1")
    topic = client.get_topic(ids["topic"])
    assert topic["post_stream"]["posts"][0]["id"] == ids["post"]


def test_get_post_and_update_post(
    client: DiscourseClient, network: DiscourseNetworkSettings
) -> None:
    ids = _topic(client, network, "note-1")
    assert client.get_post(ids["post"])["raw"] == BODY
    updated = client.update_post(ids["post"], BODY + " Corrected.", edit_reason="correction")
    assert updated["post"]["version"] == 2
    assert client.get_post(ids["post"])["raw"] == BODY + " Corrected."


def test_send_private_message(client: DiscourseClient, fake: FakeDiscourse) -> None:
    fake.site.add_user("grace.example")
    post = client.send_private_message(
        ["grace.example"], title="Welcome to the north network", raw=BODY
    )
    topic = fake.site.topics[post["topic_id"]]
    assert (topic.archetype, topic.recipients) == ("private_message", ["grace.example"])


def test_events_for_post(client: DiscourseClient, network: DiscourseNetworkSettings) -> None:
    start = datetime(2030, 3, 12, 12, 30, tzinfo=ZoneInfo("Europe/London"))
    event = CalendarEvent("meeting-1", "North network meeting", start, start + timedelta(hours=1))
    created = client.create_topic(
        title=mapping.event_title(event),
        raw=mapping.event_markup(event, GROUP),
        category=network.calendar_category_id,
        external_id="meeting-1",
    )
    (found,) = client.events_for_post(created["id"])
    assert found["id"] == created["id"]
    assert found["starts_at"] == "2030-03-12T12:30:00.000Z"
    assert found["status"] == "private"
    assert client.events_for_post(created["id"] + 1000) == []


def test_a_wrong_key_is_refused_without_showing_it(fake: FakeDiscourse) -> None:
    wrong = "f" * 64
    client = DiscourseClient(fake.url, api_key=wrong, api_username=fake.api_username)
    with client, pytest.raises(AuthenticationFailed) as caught:
        client.site_basic_info()
    assert caught.value.status == 403
    assert wrong not in str(caught.value)
    assert wrong not in repr(client)


def test_a_username_is_required() -> None:
    with pytest.raises(ValueError, match="api_username"):
        DiscourseClient("http://127.0.0.1:9", api_key="k" * 64, api_username="")
