"""A fake Discourse: a real, stateful HTTP server on 127.0.0.1 for tests and dry runs.

    with FakeDiscourse() as fake:                 # serves on a free port
        fake.site.add_user("alice.example", "Alice Example")
        client = DiscourseClient(fake.url, api_key=fake.api_key, api_username=fake.api_username)

Every request, and every 2xx response, is checked against the contract
shipped beside this module (``contract/openapi.json.gz``) with the guide's deviations:
undeclared query parameters are allowed; the ``requesters=true`` listing, the
``enqueued`` answer and ``handle_membership_request`` are not in the spec, so
they go unchecked (membership requests are made through the back door,
``site.groups[name].requests``). Error bodies are checked against the guide's
section 3. A request that breaks the contract is answered 400 and recorded in
:attr:`FakeDiscourse.violations` (the test fixture fails on any).

DiscourseConnect: set :attr:`FakeDiscourse.connect_secret` and
``site.browser_user`` (who is logged in to the forum in the browser) and the
fake answers ``/session/sso_provider`` as a DiscourseConnect provider does.

Faults: :meth:`~FakeDiscourse.fail_next` (429 with ``Retry-After``, 5xx),
:meth:`~FakeDiscourse.slow_next`, :meth:`~FakeDiscourse.drop_next` (commit the
write, then close the connection without answering), a public or hidden notes
category (``site.categories[id]``), a topic moved after publishing
(``site.move_topic``), ``site.calendar_enabled = False`` (the plugin is off;
set it back to ``True`` to switch it on again), and a non-staff
``api_username`` (``site.users[...].admin = False``: Discourse then drops
``external_id`` without an error). The forum's data is :attr:`FakeDiscourse.site`.

Operators: ``python -m pspn_adapters.discourse.fake --port 8085`` serves a
seeded demo forum (:mod:`.demo`) and prints the ``pspn.toml`` settings.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from pspn_adapters._fakes.faults import Fault, Recorded, count_matching, take_fault
from pspn_adapters._fakes.loopback import LoopbackServer
from pspn_adapters.discourse.fake import connect, state
from pspn_adapters.discourse.fake.routes import ROUTES as _ROUTES
from pspn_adapters.discourse.fake.state import Reply, Site, error

if TYPE_CHECKING:
    from pspn_adapters._fakes.openapi import Contract

__all__ = ["CONTRACT", "FakeDiscourse", "Fault", "Recorded"]

CONTRACT = files("pspn_adapters.discourse.fake") / "contract" / "openapi.json.gz"
"""The contract the fake checks against by default, shipped as package data (gzipped)."""


class FakeDiscourse(LoopbackServer):
    """The fake forum, its HTTP server, its fault plan and its record of requests."""

    def __init__(
        self,
        *,
        api_key: str = "0123456789abcdef" * 4,
        api_username: str = "pspn-bot",
        contract: Traversable = CONTRACT,
        rate_limit_per_minute: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.api_key = api_key
        self.api_username = api_username
        from pspn_adapters._fakes.openapi import Contract  # jsonschema: only when a fake runs

        self.contract: Contract = Contract.load(contract)
        self.site = Site()
        self.site.add_user(api_username, "pspn bot", admin=True)
        self.connect_secret: str | None = None  # DiscourseConnect provider, when set
        self.rate_limit_per_minute = rate_limit_per_minute
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self._recent: deque[float] = deque()
        self._lock = threading.RLock()
        self._server = _Server((host, port), _Handler)
        self._server.fake = self  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- faults ---------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        *,
        times: int = 1,
        retry_after: int | None = None,
        wait_seconds: int | None = None,
        method: str | None = None,
        path: str | None = None,
        skip: int = 0,
    ) -> None:
        """Answer ``times`` matching requests (after ``skip``) with ``status``, doing nothing."""
        fault = Fault("status", times, method, path, status, retry_after, wait_seconds)
        fault.skip = skip
        self.faults.append(fault)

    def slow_next(
        self,
        seconds: float,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        skip: int = 0,
    ) -> None:
        """Sleep ``seconds`` before answering ``times`` matching requests (after ``skip``)."""
        self.faults.append(Fault("slow", times, method, path, seconds=seconds, skip=skip))

    def drop_next(
        self, *, method: str | None = None, path: str | None = None, skip: int = 0
    ) -> None:
        """Carry out the next matching request, then close the connection without answering."""
        self.faults.append(Fault("drop", 1, method, path, skip=skip))

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests matched (``path`` is a substring)."""
        return count_matching(self.requests, method, path)

    # -- one request ----------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, str], headers: Any, raw: bytes
    ) -> Reply | None:
        """Answer one request; ``None`` means drop the connection."""
        recorded = Recorded(method, path, query)
        with self._lock:
            self.requests.append(recorded)
            fault = take_fault(self.faults, method, path)
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.seconds)
        if fault is not None and fault.kind == "status":
            reply: Reply | None = _fault_reply(fault)
        elif method == "GET" and path == connect.PATH:  # a browser, not the API
            with self._lock:
                reply = connect.provider(self, query)
        else:
            with self._lock:
                reply = self._limited() or self._authenticate(method, headers)
                if reply is None:
                    reply = self._route(method, path, query, headers, raw)
            if fault is not None and fault.kind == "drop":
                reply = None
        recorded.status = None if reply is None else reply.status
        if reply is not None and reply.status >= 400 and (problem := _error_shape(reply)):
            self.violations.append(f"{method} {path}: the fake's error body {problem}")
        return reply

    def _limited(self) -> Reply | None:
        if self.rate_limit_per_minute is None:
            return None
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 60:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit_per_minute:
            wait = int(60 - (now - self._recent[0])) + 1
            return _fault_reply(Fault("status", status=429, retry_after=wait, wait_seconds=wait))
        self._recent.append(now)
        return None

    def _authenticate(self, method: str, headers: Any) -> Reply | None:
        key, username = headers.get("Api-Key"), headers.get("Api-Username")
        if key is None and username is None:
            if method != "GET":
                return Reply(403, '["BAD CSRF"]', validate=False)
            return error(403, "You are not logged in.", "not_logged_in")
        user = self.site.user(username or "")
        if key != self.api_key or user is None:  # an "all users" key may act as anyone
            return error(
                403,
                "You are not permitted to view the requested resource."
                " The API username or key is invalid.",
                "invalid_access",
            )
        return None

    def _route(
        self, method: str, path: str, query: dict[str, str], headers: Any, raw: bytes
    ) -> Reply:
        body: Any = None
        if raw:
            if "application/json" not in (headers.get("Content-Type") or ""):
                return self._violation(f"{method} {path}: body is not application/json")
            try:
                body = json.loads(raw)
            except ValueError:
                return self._violation(f"{method} {path}: body is not valid JSON")
        for route_method, pattern, handler in _ROUTES:
            found = pattern.fullmatch(path) if route_method == method else None
            if found is None:
                continue
            params = {k: unquote(v) for k, v in found.groupdict().items()}
            matched = self.contract.match(method, path)
            if matched is not None:
                problems = self.contract.request_problems(matched[0], matched[1], query, body)
                if problems:
                    return self._violation(*problems)
            reply = handler(self, params, query, body)
            if matched is not None and 200 <= reply.status < 300 and reply.validate:
                problems = self.contract.response_problems(matched[0], reply.status, reply.body)
                if problems:
                    self.violations.extend(problems)
                    return error(500, "the fake's answer broke the contract")
            return reply
        return state.not_found()

    def _violation(self, *problems: str) -> Reply:
        self.violations.extend(problems)
        return state.invalid("; ".join(problems)[:500])

    # -- answers built from the contract ---------------------------------------
    def build(self, method: str, template: str, values: Any) -> Any:
        """``values`` completed with every field the contract requires of that answer."""
        return self.contract.build(self.contract.operation(method, template), values)


def _error_shape(reply: Reply) -> str:
    """What is wrong with an error body, judged by the guide's section 3 ('' if nothing)."""
    body = reply.body
    if isinstance(body, str):
        return "" if (reply.status, body) == (403, '["BAD CSRF"]') else "is unexpected text"
    if not isinstance(body, dict):
        return "is not a JSON object"
    if reply.status == 409 and set(body) == {"failed", "error"}:
        return ""
    errors = body.get("errors")
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        return "has no list of error messages"
    if not set(body) <= {"errors", "error_type", "extras", "action"}:
        return f"has unexpected keys {sorted(set(body))}"
    return ""


def _fault_reply(fault: Fault) -> Reply:
    """A 429 as Discourse's admin limiter sends it, or a 5xx (``Retry-After`` if planned)."""
    headers = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
    if fault.status == 404:
        reply = state.not_found()
    elif fault.status != 429:
        reply = error(fault.status, "Service temporarily unavailable", "read_only")
    else:
        headers["Discourse-Rate-Limit-Error-Code"] = "admin_api_key_rate_limit"
        extras: dict[str, Any] = {}
        if fault.wait_seconds is not None:
            wait = fault.wait_seconds
            extras = {"wait_seconds": wait, "time_left": f"{wait} seconds"}
        reply = error(429, "You’ve performed this action too many times.", "rate_limit", **extras)
    reply.headers.update(headers)
    return reply


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timeout test) is expected; anything else is printed."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        fake: FakeDiscourse = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        reply = fake.handle(self.command, parts.path, query, self.headers, raw)
        if reply is None:
            self.close_connection = True
            return
        if isinstance(reply.body, str):
            data, kind = reply.body.encode(), "text/plain; charset=utf-8"
        elif reply.body is None:
            data, kind = b"", "text/html; charset=utf-8"
        else:
            data, kind = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
        self.send_response(reply.status)
        for name, value in {"Content-Type": kind, **reply.headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read :attr:`FakeDiscourse.requests` instead."""
