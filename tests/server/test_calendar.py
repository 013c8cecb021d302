"""``pspn calendar token`` and ``GET /calendar/SLUG.ics``: private, cheap to poll."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import icalendar
import pytest

import pspn_adapters.local
import pspn_adapters.server
from pspn_adapters.server.context import ServerContext
from pspn_core.plugins import Plugins, make_plugin_manager
from tests.conftest import Cli
from tests.server.conftest import Answer, Client


@pytest.fixture
def pspn(server_hub: Path) -> Cli:
    """``pspn`` with the server plugin's commands, against the server hub."""
    plugins = make_plugin_manager(
        load_entrypoints=False, plugins=[pspn_adapters.local, pspn_adapters.server]
    )
    return Cli(Plugins(plugins), server_hub / "pspn.toml")


def new_token(pspn: Cli, network: str) -> str:
    result = pspn("calendar", "token", "--network", network)
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://pspn.example.org"
    assert parts.path == f"/calendar/{network}.ics"
    return parts.query.removeprefix("token=")


def fetch(client: Client, network: str, token: str, **headers: str) -> Answer:
    return client.request(
        "GET", f"/calendar/{network}.ics", query=f"token={token}", headers=headers
    )


@pytest.fixture
def planned(pspn: Cli) -> Cli:
    result = pspn(
        "meetings", "plan", "--network", "pspn", "--from", "2027-01-01", "--to", "2027-06-30"
    )
    assert result.exit_code == 0, result.output
    return pspn


def test_the_feed_lists_the_networks_meetings(
    planned: Cli, client: Client, context: ServerContext
) -> None:
    token = new_token(planned, "pspn")
    answer = fetch(client, "pspn", token)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(answer.body)
    events = calendar.walk("VEVENT")
    stored = context.store.meetings("pspn")
    assert [str(e["UID"]) for e in events] == [m.uid for m in stored]
    assert len(stored) >= 5
    assert str(events[0]["UID"]) == "pspn-pspn-20270112@pspn"
    assert events[0]["DTSTART"].params["TZID"] == "Europe/London"


def test_only_a_hash_of_the_token_is_stored(planned: Cli, server_hub: Path) -> None:
    token = new_token(planned, "pspn")
    database = (server_hub / "pspn-data" / "pspn.db").read_bytes()
    assert token.encode() not in database


def test_wrong_tokens_and_unknown_networks_get_the_same_404(planned: Cli, client: Client) -> None:
    pspn_token = new_token(planned, "pspn")
    north_token = new_token(planned, "north")
    answers = [
        fetch(client, "pspn", north_token),  # a token from another network
        fetch(client, "pspn", pspn_token[:-1] + "x"),
        fetch(client, "pspn", ""),
        fetch(client, "nowhere", pspn_token),
        client.request("GET", "/calendar/pspn", query=f"token={pspn_token}"),
    ]
    assert {(a.status, a.body) for a in answers} == {(404, b'{"error":"no such calendar"}')}
    assert fetch(client, "north", north_token).status == 200


def test_rotating_the_token_retires_the_old_address(planned: Cli, client: Client) -> None:
    old = new_token(planned, "pspn")
    rotated = planned("calendar", "token", "--network", "pspn")
    assert "Rotated" in rotated.output
    new = rotated.output.strip().splitlines()[-1].split("token=")[1]
    assert fetch(client, "pspn", old).status == 404
    assert fetch(client, "pspn", new).status == 200


def test_a_network_without_a_token_has_no_feed(planned: Cli, client: Client) -> None:
    assert fetch(client, "pspn", "anything").status == 404


def test_etag_and_last_modified_answer_304_until_a_meeting_changes(
    planned: Cli, client: Client, context: ServerContext
) -> None:
    token = new_token(planned, "pspn")
    first = fetch(client, "pspn", token)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert fetch(client, "pspn", token).body == first.body  # stable while nothing changes
    assert fetch(client, "pspn", token, **{"If-None-Match": etag}).status == 304
    assert fetch(client, "pspn", token, **{"If-None-Match": f"W/{etag}"}).status == 304
    assert fetch(client, "pspn", token, **{"If-Modified-Since": modified}).status == 304
    assert fetch(client, "pspn", token, **{"If-None-Match": '"other"'}).status == 200
    old_date = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert fetch(client, "pspn", token, **{"If-Modified-Since": old_date}).status == 200

    cancelled = planned("meetings", "cancel", "pspn-pspn-20270112@pspn", "--network", "pspn")
    assert cancelled.exit_code == 0, cancelled.output
    changed = fetch(client, "pspn", token, **{"If-None-Match": etag})
    assert changed.status == 200
    assert changed.headers["ETag"] != etag
    assert b"STATUS:CANCELLED" in changed.body
    assert changed.headers["Last-Modified"] != modified
    assert fetch(client, "pspn", token, **{"If-Modified-Since": modified}).status == 200


def test_a_wrong_token_does_not_get_a_304(planned: Cli, client: Client) -> None:
    token = new_token(planned, "pspn")
    etag = fetch(client, "pspn", token).headers["ETag"]
    assert fetch(client, "pspn", "guess", **{"If-None-Match": etag}).status == 404
