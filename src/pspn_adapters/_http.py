"""HTTP plumbing shared by the forum adapters (Discourse, Invision, third parties).

One small toolkit, so every adapter behaves the same way on the wire:

- :class:`HeaderAuth` adds credential headers and masks them in reprs and text.
- :class:`RetryPolicy` decides what to retry (429, 502/503/504, connection
  errors), how long to wait (``Retry-After``, then a server-given wait, then
  capped exponential backoff) and sleeps through an injectable ``sleep``.
  Writes are retried only when idempotent; a 429 is retried for any method,
  because the server refused it before doing anything.
- :class:`RateLimiter` is a token bucket that paces calls below a forum's
  per-minute limit, so long syncs never see a 429 at all.
- :func:`raise_for_status` turns a failed response into the ``AdapterError``
  family with the status and a short, masked excerpt of the body.
- :class:`Paginator` lazily walks pages, exposes ``total`` when the server
  sends one, counts its requests and reports progress through a callback.
- :class:`HttpClient` ties them together around one ``requests.Session`` with
  a timeout on every call. Redirects are not followed by default, so custom
  credential headers never travel to another host.
"""

from __future__ import annotations

import email.utils
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

import requests

from pspn_core.errors import (
    AdapterError,
    AdapterNotFound,
    AuthenticationFailed,
    ConflictError,
    ForumUnavailable,
    RateLimited,
)

__all__ = [
    "IDEMPOTENT_METHODS",
    "MASK",
    "HeaderAuth",
    "HttpClient",
    "Page",
    "Paginator",
    "Progress",
    "RateLimiter",
    "RetryPolicy",
    "raise_for_status",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
C = TypeVar("C", bound="HttpClient")

#: ``progress(done, total)``: items fetched so far, and the total when known.
Progress = Callable[[int, int | None], None]

#: Methods whose repetition cannot change the result (RFC 9110 section 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})

MASK = "****"


class HeaderAuth(requests.auth.AuthBase):
    """Credential headers for every request, masked wherever they could leak.

    :param public: headers that are safe to show (``Api-Username``).
    :param secret: headers that must never be shown (``Api-Key``,
        ``Authorization``). Empty secret values are refused, so a missing key
        fails here and not on the first request.
    """

    def __init__(self, *, public: Mapping[str, str] | None = None, secret: Mapping[str, str]):
        empty = [name for name, value in secret.items() if not value]
        if empty:
            raise ValueError(f"empty credential header(s): {', '.join(empty)}")
        self._public = dict(public or {})
        self._secret = dict(secret)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers.update(self._public)
        request.headers.update(self._secret)
        return request

    def mask(self, text: str) -> str:
        """``text`` with every secret value replaced by ``****``."""
        for value in self._secret.values():
            text = text.replace(value, MASK)
        return text

    def __repr__(self) -> str:
        shown = {**self._public, **dict.fromkeys(self._secret, MASK)}
        return f"HeaderAuth({shown!r})"

    __str__ = __repr__


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry a request and how long to wait first.

    :param attempts: total tries, the first included.
    :param backoff: first exponential delay in seconds (doubled each time).
    :param backoff_cap: longest exponential delay.
    :param max_wait: longest server-requested wait we accept; a longer
        ``Retry-After`` gives up at once (``RateLimited`` for a 429).
    :param statuses: the transient statuses worth retrying. 429 in it is
        retried for every method; the others only for idempotent requests.
    :param sleep: how to wait (tests pass a recorder).

    Per call, pass ``policy.with_(attempts=1)`` or any other override.
    """

    attempts: int = 5
    backoff: float = 0.5
    backoff_cap: float = 30.0
    max_wait: float = 120.0
    statuses: frozenset[int] = frozenset({429, 502, 503, 504})
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def with_(self, **changes: Any) -> RetryPolicy:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def should_retry(self, status: int | None, *, idempotent: bool) -> bool:
        """Whether a failure is worth another try. ``status=None`` is a connection error."""
        if status == 429:
            return status in self.statuses
        if not idempotent:
            return False
        return status is None or status in self.statuses

    def delay(self, attempt: int, response: requests.Response | None = None) -> float:
        """Seconds to wait after failed try number ``attempt`` (1-based).

        ``Retry-After`` first, then the body's ``extras.wait_seconds``
        (Discourse), then ``backoff * 2**(attempt-1)`` capped at ``backoff_cap``.
        """
        if response is not None:
            told = _server_wait(response)
            if told is not None:
                return max(0.0, told)
        return float(min(self.backoff_cap, self.backoff * 2 ** (attempt - 1)))


def _server_wait(response: requests.Response) -> float | None:
    """The wait the server asked for: ``Retry-After`` (seconds or a date), or ``wait_seconds``."""
    header = response.headers.get("Retry-After")
    if header:
        try:
            seconds = float(header)
            return seconds if math.isfinite(seconds) else None
        except ValueError:
            try:
                return email.utils.parsedate_to_datetime(header).timestamp() - time.time()
            except (TypeError, ValueError):
                pass
    try:
        body = response.json()
    except ValueError:
        return None
    extras = body.get("extras") if isinstance(body, dict) else None
    wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
    return float(wait) if isinstance(wait, int | float) else None


class RateLimiter:
    """A token bucket that keeps calls under ``per_minute`` in any 60 seconds.

    It holds ``burst`` tokens and refills at ``(per_minute - burst) / 60`` per
    second, so even a full burst followed by steady pacing stays within the
    limit of a sliding one-minute window (Discourse: 60 a minute, site-wide).
    Thread-safe. ``clock`` and ``sleep`` are injectable for tests.
    """

    def __init__(
        self,
        per_minute: float = 60,
        *,
        burst: int = 5,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= burst or burst < 1:
            raise ValueError("RateLimiter needs per_minute > burst >= 1")
        self.per_minute = per_minute
        self.burst = burst
        self._rate = (per_minute - burst) / 60.0
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping until one is free. Returns the seconds slept."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self._rate)
            self._last = now
            self._tokens -= 1
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self._rate
        if wait:
            self._sleep(wait)
        return wait


def raise_for_status(
    response: requests.Response, what: str, mask: Callable[[str], str] = str
) -> None:
    """Raise the ``AdapterError`` subclass for a 4xx/5xx ``response``; return on success.

    :param what: what we were doing, e.g. ``"GET /groups/north.json"``.
    :param mask: scrubs secrets out of the body excerpt.
    """
    status = response.status_code
    if status < 400:
        return
    excerpt = mask(" ".join(response.text[:300].split()))
    kind: type[AdapterError]
    if status in (401, 403):
        kind, why = AuthenticationFailed, "the forum refused our credentials or permissions"
    elif status == 404:
        kind, why = AdapterNotFound, "the forum says it does not exist"
    elif status in (409, 422):
        kind, why = ConflictError, "the forum refused the change"
    elif status == 429:
        kind, why = RateLimited, "the forum kept rate-limiting us; try again later"
    elif status >= 500:
        kind, why = ForumUnavailable, "the forum is unavailable; try again later"
    else:
        kind, why = AdapterError, "the forum rejected the request"
    raise kind(f"{what}: {why}", status=status, excerpt=excerpt)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: its items, the total if known, and the next cursor."""

    items: Sequence[T]
    total: int | None = None
    next: Any = None


class Paginator(Generic[T]):
    """A lazy iterator over a paged listing (one per API style, via ``fetch``).

    ``fetch(cursor)`` returns one :class:`Page`; the first call gets ``start``
    and iteration stops when a page has no ``next`` or no items. ``total`` is
    the server's count (fetching the first page if needed), ``requests`` how
    many pages were fetched, and ``progress(done, total)`` runs after each page.
    """

    def __init__(
        self,
        fetch: Callable[[Any], Page[T]],
        *,
        start: Any = None,
        progress: Progress | None = None,
    ) -> None:
        self._fetch = fetch
        self._cursor = start
        self._progress = progress
        self._buffer: deque[T] = deque()
        self._done = False
        self._started = False
        self._total: int | None = None
        self.requests = 0
        self.fetched = 0

    @property
    def total(self) -> int | None:
        if not self._started:
            self._load()
        return self._total

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        while not self._buffer:
            if self._done:
                raise StopIteration
            self._load()
        return self._buffer.popleft()

    def _load(self) -> None:
        page = self._fetch(self._cursor)
        self._started = True
        self.requests += 1
        self.fetched += len(page.items)
        self._total = page.total if page.total is not None else self._total
        self._buffer.extend(page.items)
        self._cursor = page.next
        self._done = page.next is None or not page.items
        if self._progress is not None:
            self._progress(self.fetched, self._total)


class HttpClient:
    """A ``requests.Session`` with auth, timeouts, pacing, retries and typed errors.

    :param base_url: the forum's root, e.g. ``https://forum.example.org``.
    :param auth: the credential headers (masked in everything we show).
    :param retry: the default :class:`RetryPolicy`; override per call.
    :param limiter: paces every try (retries too); ``None`` for no pacing.
    :param timeout: ``(connect, read)`` seconds, applied to every call.
    :param session: a session to reuse (tests mount transports on it).
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: HeaderAuth,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        session: requests.Session | None = None,
        user_agent: str = "pspn",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": user_agent})
        self.requests_made = 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, auth={self.auth!r})"

    def close(self) -> None:
        self.session.close()

    def __enter__(self: C) -> C:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
        retry: RetryPolicy | None = None,
        ok: Collection[int] = (),
        allow_redirects: bool = False,
    ) -> requests.Response:
        """Send one request with pacing and retries; return the response.

        Statuses below 400, and those listed in ``ok`` (e.g. 404 for a
        lookup), are returned; anything else raises through
        :func:`raise_for_status`. ``idempotent`` defaults from the method.
        """
        method = method.upper()
        policy = retry or self.retry
        safe = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        what = f"{method} {path}"
        for attempt in range(1, policy.attempts + 1):
            last = attempt == policy.attempts
            if self.limiter is not None:
                self.limiter.acquire()
            try:
                response = self._send(method, path, params, json, allow_redirects)
            except (requests.ConnectionError, requests.Timeout) as error:
                if last or not policy.should_retry(None, idempotent=safe):
                    message = f"{what}: could not reach the forum ({type(error).__name__})"
                    raise ForumUnavailable(self.auth.mask(message)) from error
                log.info("%s: %s, retrying (try %d)", what, type(error).__name__, attempt)
                policy.sleep(policy.delay(attempt))
                continue
            status = response.status_code
            if status < 400 or status in ok:
                return response
            if last or not policy.should_retry(status, idempotent=safe):
                raise_for_status(response, what, self.auth.mask)
            wait = policy.delay(attempt, response)
            if wait > policy.max_wait:
                raise_for_status(response, f"{what} (asked to wait {wait:.0f}s)", self.auth.mask)
            log.info("%s: HTTP %d, retrying in %.1fs (try %d)", what, status, wait, attempt)
            policy.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json: Any,
        allow_redirects: bool,
    ) -> requests.Response:
        self.requests_made += 1
        response = self.session.request(
            method,
            self.base_url + path,
            params=params,
            json=json,
            auth=self.auth,
            timeout=self.timeout,
            allow_redirects=allow_redirects,
        )
        log.debug("%s %s -> %d", method, path, response.status_code)
        return response

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """``GET`` ``path`` and decode its JSON body (``AdapterError`` if it is not JSON)."""
        return self.send_json("GET", path, **kwargs)

    def send_json(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request and decode its JSON body (``AdapterError`` if it is not JSON)."""
        response = self.request(method, path, **kwargs)
        try:
            return response.json()
        except ValueError as error:
            excerpt = self.auth.mask(response.text[:200])
            raise AdapterError(
                f"{method} {path}: the forum did not answer with JSON",
                status=response.status_code,
                excerpt=excerpt,
            ) from error
