"""The shared HTTP plumbing: auth masking, retries, pacing, errors, pagination."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pspn_adapters._http import (
    HeaderAuth,
    HttpClient,
    Page,
    Paginator,
    RateLimiter,
    RetryPolicy,
    raise_for_status,
)
from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
    ConflictError,
    ForumUnavailable,
    RateLimited,
)

SECRET = "c0ffee" * 10


class Transport(requests.adapters.BaseAdapter):
    """Answers from a script instead of the network, and records what was sent."""

    def __init__(self, *script: tuple[int, dict[str, str], Any] | Exception) -> None:
        super().__init__()
        self.script = list(script)
        self.sent: list[tuple[requests.PreparedRequest, dict[str, Any]]] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append((request, kwargs))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        status, headers, body = step
        response = requests.Response()
        response.status_code = status
        response.headers.update(headers)
        response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
        response.request, response.url = request, request.url or ""
        return response

    def close(self) -> None:
        pass


def make_client(transport: Transport, sleeps: list[float], **kwargs: Any) -> HttpClient:
    session = requests.Session()
    session.mount("http://", transport)
    auth = HeaderAuth(public={"Api-Username": "pspn-bot"}, secret={"Api-Key": SECRET})
    retry = RetryPolicy(sleep=sleeps.append, **kwargs)
    return HttpClient("http://forum.example.org/", auth=auth, retry=retry, session=session)


@pytest.fixture
def sleeps() -> list[float]:
    return []


OK: tuple[int, dict[str, str], Any] = (200, {}, {"ok": True})


# -- auth ------------------------------------------------------------------
def test_auth_adds_headers_and_never_shows_the_secret() -> None:
    auth = HeaderAuth(public={"Api-Username": "pspn-bot"}, secret={"Api-Key": SECRET})
    prepared = auth(requests.Request("GET", "http://forum.example.org/").prepare())
    assert prepared.headers["Api-Key"] == SECRET
    assert prepared.headers["Api-Username"] == "pspn-bot"
    assert SECRET not in repr(auth) and SECRET not in str(auth)
    assert "pspn-bot" in repr(auth)
    assert auth.mask(f"key={SECRET}!") == "key=****!"


def test_auth_refuses_an_empty_secret() -> None:
    with pytest.raises(ValueError, match="Api-Key"):
        HeaderAuth(secret={"Api-Key": ""})


def test_client_repr_and_errors_hide_the_secret(sleeps: list[float]) -> None:
    client = make_client(Transport((403, {}, {"errors": [f"bad key {SECRET}"]})), sleeps)
    assert SECRET not in repr(client)
    with pytest.raises(AuthenticationFailed) as caught:
        client.get_json("/groups/north.json")
    assert SECRET not in str(caught.value)
    assert "bad key ****" in str(caught.value)
    assert caught.value.status == 403


# -- retry policy ------------------------------------------------------------
def _response(status: int, headers: dict[str, str], body: Any) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers)
    response._content = json.dumps(body).encode()
    return response


def test_delay_prefers_retry_after_then_wait_seconds_then_backoff() -> None:
    policy = RetryPolicy(backoff=0.5, backoff_cap=3.0)
    both = _response(429, {"Retry-After": "7"}, {"extras": {"wait_seconds": 30}})
    assert policy.delay(1, both) == 7.0
    body_only = _response(429, {}, {"extras": {"wait_seconds": 30}})
    assert policy.delay(1, body_only) == 30.0
    neither = _response(503, {}, {"errors": ["read only"]})
    assert [policy.delay(n, neither) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3.0]


def test_delay_reads_an_http_date_retry_after() -> None:
    dated = _response(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, {})
    assert RetryPolicy().delay(1, dated) == 0.0  # in the past: go now


@pytest.mark.parametrize(
    ("status", "idempotent", "expected"),
    [
        (429, False, True),  # refused before anything happened
        (503, False, False),  # a write that may have happened
        (None, False, False),
        (503, True, True),
        (502, True, True),
        (None, True, True),
        (500, True, False),
        (404, True, False),
    ],
)
def test_what_is_retried(status: int | None, idempotent: bool, expected: bool) -> None:
    assert RetryPolicy().should_retry(status, idempotent=idempotent) is expected


def test_429_is_retried_after_the_server_given_wait(sleeps: list[float]) -> None:
    limited = (429, {"Retry-After": "2"}, {"errors": ["slow down"], "error_type": "rate_limit"})
    transport = Transport(limited, OK)
    assert make_client(transport, sleeps).get_json("/latest.json") == {"ok": True}
    assert sleeps == [2.0]
    assert len(transport.sent) == 2


def test_gives_up_with_rate_limited_after_every_attempt(sleeps: list[float]) -> None:
    transport = Transport(*[(429, {}, {"extras": {"wait_seconds": 1}})] * 3)
    with pytest.raises(RateLimited) as caught:
        make_client(transport, sleeps, attempts=3).get_json("/latest.json")
    assert caught.value.status == 429
    assert sleeps == [1.0, 1.0]


def test_a_wait_longer_than_max_wait_gives_up_at_once(sleeps: list[float]) -> None:
    transport = Transport((429, {"Retry-After": "3600"}, {}))
    with pytest.raises(RateLimited, match="3600"):
        make_client(transport, sleeps, max_wait=60).get_json("/latest.json")
    assert sleeps == []


def test_a_post_is_not_retried_after_a_5xx(sleeps: list[float]) -> None:
    transport = Transport((503, {}, {"error_type": "read_only"}), OK)
    with pytest.raises(ForumUnavailable):
        make_client(transport, sleeps).send_json("POST", "/posts.json", json={"raw": "x"})
    assert len(transport.sent) == 1


def test_a_get_is_retried_after_a_dropped_connection(sleeps: list[float]) -> None:
    transport = Transport(requests.ConnectionError("reset"), (502, {}, {}), OK)
    assert make_client(transport, sleeps).get_json("/latest.json") == {"ok": True}
    assert sleeps == [0.5, 1.0]


def test_a_post_is_not_retried_after_a_dropped_connection(sleeps: list[float]) -> None:
    transport = Transport(requests.ConnectionError("reset"), OK)
    with pytest.raises(ForumUnavailable, match="could not reach") as caught:
        make_client(transport, sleeps).request("POST", "/posts.json", json={"raw": "x"})
    assert isinstance(caught.value.__cause__, requests.ConnectionError)
    assert len(transport.sent) == 1


def test_a_post_declared_idempotent_is_retried(sleeps: list[float]) -> None:
    transport = Transport((503, {}, {}), OK)
    client = make_client(transport, sleeps)
    client.request("POST", "/search.json", idempotent=True)
    assert len(transport.sent) == 2


def test_the_policy_can_be_overridden_per_call(sleeps: list[float]) -> None:
    transport = Transport((503, {}, {}), OK)
    client = make_client(transport, sleeps)
    with pytest.raises(ForumUnavailable):
        client.request("GET", "/latest.json", retry=client.retry.with_(attempts=1))
    assert len(transport.sent) == 1


def test_every_call_has_a_timeout_and_redirects_are_not_followed(sleeps: list[float]) -> None:
    transport = Transport((301, {"Location": "https://elsewhere.example.org/t/1.json"}, b""))
    response = make_client(transport, sleeps).request("GET", "/t/external_id/x.json")
    assert response.status_code == 301
    _, sent = transport.sent[0]
    assert sent["timeout"] == (5.0, 30.0)
    assert transport.sent[0][0].url == "http://forum.example.org/t/external_id/x.json"


def test_statuses_listed_as_ok_are_returned(sleeps: list[float]) -> None:
    transport = Transport((404, {}, {"error_type": "not_found"}))
    assert make_client(transport, sleeps).request("GET", "/t/1.json", ok=(404,)).status_code == 404


def test_a_body_that_is_not_json_is_an_adapter_error(sleeps: list[float]) -> None:
    transport = Transport((200, {}, b"<html>maintenance</html>"))
    with pytest.raises(AdapterError, match="JSON") as caught:
        make_client(transport, sleeps).get_json("/latest.json")
    assert "maintenance" in caught.value.excerpt


# -- errors ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, AdapterError),
        (401, AuthenticationFailed),
        (403, AuthenticationFailed),
        (404, AdapterNotFound),
        (409, ConflictError),
        (422, ConflictError),
        (429, RateLimited),
        (500, ForumUnavailable),
        (503, ForumUnavailable),
    ],
)
def test_statuses_map_to_the_adapter_error_family(status: int, kind: type[AdapterError]) -> None:
    body = "x" * 1000
    with pytest.raises(AdapterError) as caught:
        raise_for_status(_response(status, {}, {"errors": [body]}), "GET /x.json")
    assert type(caught.value) is kind
    assert caught.value.status == status
    assert 0 < len(caught.value.excerpt) <= 200
    assert str(caught.value).startswith("GET /x.json: ")


def test_success_does_not_raise() -> None:
    raise_for_status(_response(204, {}, {}), "DELETE /x.json")


# -- rate limiter --------------------------------------------------------------
class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_the_limiter_allows_a_burst_then_paces() -> None:
    clock = Clock()
    limiter = RateLimiter(60, burst=5, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(7)]
    assert waits[:5] == [0, 0, 0, 0, 0]
    assert waits[5] == pytest.approx(60 / 55)


def test_no_minute_ever_holds_more_than_the_limit() -> None:
    clock = Clock()
    limiter = RateLimiter(60, burst=5, clock=clock, sleep=clock.sleep)
    times = []
    for _ in range(300):
        limiter.acquire()
        times.append(clock.now)
    for i, start in enumerate(times):
        in_window = [t for t in times[i:] if t < start + 60]
        assert len(in_window) <= 60


def test_the_limiter_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="per_minute"):
        RateLimiter(5, burst=5)


# -- pagination ----------------------------------------------------------------
def test_the_paginator_is_lazy_counts_and_reports_progress() -> None:
    fetched: list[int] = []
    progress: list[tuple[int, int | None]] = []

    def fetch(offset: int) -> Page[int]:
        fetched.append(offset)
        items = list(range(offset, min(offset + 4, 10)))
        end = offset + len(items)
        return Page(items, total=10, next=end if end < 10 else None)

    pages = Paginator(fetch, start=0, progress=lambda d, t: progress.append((d, t)))
    assert fetched == []
    assert pages.total == 10
    assert list(pages) == list(range(10))
    assert fetched == [0, 4, 8]
    assert pages.requests == 3
    assert progress == [(4, 10), (8, 10), (10, 10)]


def test_the_paginator_stops_on_an_empty_page() -> None:
    def fetch(cursor: int) -> Page[str]:
        return Page([] if cursor else ["a"], total=None, next=cursor + 1)

    pages = Paginator(fetch, start=0)
    assert list(pages) == ["a"]
    assert pages.total is None
    assert pages.requests == 2


def test_pages_fetch_nothing_until_iterated() -> None:
    calls: Iterator[int] = iter(range(1))
    pages = Paginator(lambda c: Page([next(calls)], next=None))
    assert pages.requests == 0
    assert list(pages) == [0]
