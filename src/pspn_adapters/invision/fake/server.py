"""A fake Invision Community: a real, stateful HTTP server on 127.0.0.1.

Tests start it in a thread; operators run it for a dry run (:mod:`.demo`)::

    python -m pspn_adapters.invision.fake --port 8086 --seed

Like the real 4.7.12 it answers at ``/api/<app>/<controller>/...`` and at
``/api/index.php?/<app>/<controller>/...&param=value``, reads the API key from
HTTP Basic (``X-Authorization``, ``?key=`` and a ``key`` form field too),
reads form fields (urlencoded or multipart) in PHP bracket notation and
silently ignores a JSON body.
Every request and every answer is checked against the contract shipped beside
this module (``contract/openapi.json.gz``); problems are collected in
:attr:`FakeInvision.violations`, which the test fixtures assert empty, so a
request that breaks the contract fails the test that made it.

:attr:`FakeInvision.faults` injects what real networks do: 429 with
``Retry-After``, 5xx, slow answers, and a connection dropped after a write was
committed. The back-door methods (``add_member``, ``add_club``,
``request_join``, ``set_club_type``, ``set_forum``, ``set_calendar``...)
arrange the community for a test. Answers are encoded as PHP does, with ``/``
escaped as ``\\/``. Documented variants: ``documented_names=True`` sends the
documented field names and club nodes with their permissions but without the
undocumented ``public``; ``state.empty_message_answer = True`` answers
``POST /core/messages`` with 201 and no body, as the documentation says.

:attr:`FakeInvision.oauth` is the community's OAuth 2 server (authorization
code flow, ``/oauth/authorize/`` and ``/oauth/token/``; bearer tokens answer
``GET /api/core/me``): register a client with ``oauth.add_client(uri)`` and
say who is logged in with ``oauth.browser_member``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from pspn_adapters._fakes.loopback import LoopbackServer
from pspn_adapters.invision import php_forms
from pspn_adapters.invision.fake.content_apps import CONTENT
from pspn_adapters.invision.fake.core_app import CORE
from pspn_adapters.invision.fake.faults import Fault, Faults
from pspn_adapters.invision.fake.handlers import NO_BODY, ApiError
from pspn_adapters.invision.fake.oauth import OAuthServer
from pspn_adapters.invision.fake.state import (
    Calendar,
    Club,
    Event,
    Forum,
    Member,
    State,
    Topic,
)

if TYPE_CHECKING:
    from pspn_adapters._fakes.openapi import Contract

__all__ = ["CONTRACT", "FakeInvision", "Faults"]

CONTRACT = files("pspn_adapters.invision.fake") / "contract" / "openapi.json.gz"
"""The contract the fake checks against by default, shipped as package data (gzipped)."""

_DROP = object()
_HANDLERS = {**CORE, **CONTENT}


class FakeInvision(LoopbackServer):
    """The fake community and its server. Use as a context manager, or ``start()``/``stop()``.

    :param api_key: the one key the fake accepts.
    :param contract: the ``openapi.json`` to check against, plain or gzipped (default: the
        shipped one).
    :param documented_names: emit the documented field names (``timezone``,
        ``applications``) instead of the ones 4.7.12 sends.
    :param clock: the time the community believes it is (UTC).
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-invision-key",
        contract: Traversable = CONTRACT,
        host: str = "127.0.0.1",
        port: int = 0,
        documented_names: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.api_key = api_key
        from pspn_adapters._fakes.openapi import FORM, Contract  # jsonschema: when a fake runs

        self.oauth = OAuthServer()
        self.contract: Contract = Contract.load(
            contract, body=FORM, allow_undocumented_query=False, ignored={"key"}
        )
        self.faults = Faults()
        self.violations: list[str] = []
        self.requests: list[str] = []
        self.denied: set[str] = set()
        self.clock = clock
        self._bad_keys: list[float] = []
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        host_name, port_number = self._server.server_address[:2]
        self.root = f"http://{host_name!s}:{port_number}"
        self.state = State(base=self.root, documented_names=documented_names)

    # -- server lifecycle ----------------------------------------------------------

    @property
    def url(self) -> str:
        """The ``/api`` root in the friendly-URL form."""
        return f"{self.root}/api"

    @property
    def index_url(self) -> str:
        """The ``/api`` root for sites without URL rewriting (``index.php?/...``)."""
        return f"{self.root}/api/index.php?"

    def take_violations(self) -> list[str]:
        """The contract problems seen so far, forgetting them."""
        with self._lock:
            taken, self.violations = self.violations, []
        return taken

    def take_webhooks(self) -> list[tuple[str, Any]]:
        """Webhook deliveries queued so far as ``(event key, payload)``, forgetting them."""
        with self._lock:
            taken, self.state.outbox = self.state.outbox, []
        return taken

    def deliver_webhooks(self) -> int:
        """Send the queued deliveries to the registered webhooks, as 4.7.12's task does.

        The body is the payload's JSON whatever the Content-Type says; the
        headers are ``Webhook-Event``, ``User-Agent`` and Basic auth with the
        registering key. Answers are not checked and nothing is retried.
        Returns how many deliveries reached a receiver.
        """
        delivered = 0
        for event_key, payload in self.take_webhooks():
            with self._lock:
                self.violations += self.contract.webhook_problems(event_key, payload)
                hooks = [h for h in self.state.webhooks.values() if event_key in h["events"]]
            for hook in hooks:
                headers = {
                    "Webhook-Event": event_key,
                    "User-Agent": "InvisionCommunity/4.7.12",
                    "Content-Type": hook["content_header"],
                }
                body = json.dumps(payload).encode("utf-8")
                try:
                    requests.post(
                        hook["url"], data=body, headers=headers, auth=(self.api_key, ""), timeout=5
                    )
                except requests.RequestException:
                    continue
                delivered += 1
        return delivered

    # -- back door: arrange the community -----------------------------------------------

    def add_group(self, name: str) -> int:
        with self._lock:
            ident = self.state.next_id("group")
            self.state.groups[ident] = name
            return ident

    def add_member(
        self,
        name: str,
        *,
        email: str | None = None,
        group: int = 3,
        fields: Mapping[int, str] | None = None,
    ) -> int:
        """A member; ``fields`` are custom profile field values by field id."""
        with self._lock:
            ident = self.state.next_id("member")
            address = f"{name.lower().replace(' ', '.')}@example.org" if email is None else email
            member = Member(ident, name, address, group, self.clock())
            member.custom_fields.update(fields or {})
            self.state.members[ident] = member
            return ident

    def add_club(self, name: str, *, owner: int, type: str = "private") -> int:
        with self._lock:
            ident = self.state.next_id("club")
            club = Club(ident, name, type, owner, self.clock(), {owner: "leader"})
            self.state.clubs[ident] = club
            return ident

    def set_club_type(self, club: int, type: str) -> None:
        with self._lock:
            self.state.clubs[club].type = type

    def set_club_status(self, club: int, member: int, status: str | None) -> None:
        with self._lock:
            if status is None:
                self.state.clubs[club].statuses.pop(member, None)
            else:
                self.state.clubs[club].statuses[member] = status

    def club_status(self, club: int, member: int) -> str | None:
        with self._lock:
            return self.state.clubs[club].statuses.get(member)

    def request_join(self, club: int, member: int) -> None:
        """A member asks to join a closed or private club, as from the front end."""
        with self._lock:
            record = self.state.clubs[club]
            record.statuses[member] = "requested"
            payload = {
                "club": self.state.render_club(record, people=False),
                "member": self.state.render_member(self.state.members[member]),
                "status": "requested",
            }
            self.state.outbox.append(("club_member_added", payload))

    def add_forum(
        self,
        name: str,
        *,
        club: int | None = None,
        view: str | None = None,
        type: str = "discussions",
        public: bool = False,
    ) -> int:
        """A forum; ``view`` defaults to every group, or, in a club, to ``public``."""
        with self._lock:
            ident = self.state.next_id("forum")
            view = _club_view(club, public) if view is None else view
            permissions = {f"perm_{p}": view for p in ("view", 2, 3, 4, 5)}
            self.state.forums[ident] = Forum(ident, name, type, permissions, club, public)
            return ident

    def set_forum(self, forum: int, *, view: str | None = None, public: bool | None = None) -> None:
        """Change who may see a forum (``perm_view`` and ``perm_2``) or a club node's ``public``."""
        with self._lock:
            record = self.state.forums[forum]
            if public is not None:
                record.public = public
                view = _club_view(record.club, public) if view is None else view
            if view is not None:
                record.permissions.update(perm_view=view, perm_2=view)

    def add_calendar(
        self, name: str, *, club: int | None = None, view: str | None = None, public: bool = False
    ) -> int:
        """A calendar; ``view`` defaults to every group, or, in a club, to ``public``."""
        with self._lock:
            ident = self.state.next_id("calendar")
            view = _club_view(club, public) if view is None else view
            permissions = {f"perm_{p}": view for p in ("view", 2, 3, 4, 5, 6, 7)}
            self.state.calendars[ident] = Calendar(ident, name, permissions, club, public)
            return ident

    def set_calendar(
        self, calendar: int, *, view: str | None = None, public: bool | None = None
    ) -> None:
        """Change who may see a calendar, as :meth:`set_forum` does for a forum."""
        with self._lock:
            record = self.state.calendars[calendar]
            if public is not None:
                record.public = public
                view = _club_view(record.club, public) if view is None else view
            if view is not None:
                record.permissions.update(perm_view=view, perm_2=view)

    def topics_containing(self, text: str) -> list[Topic]:
        with self._lock:
            return [t for t in self.state.topics.values() if text in t.posts[0].content]

    def events_containing(self, text: str) -> list[Event]:
        with self._lock:
            return [e for e in self.state.events.values() if text in e.description]

    # -- one request ----------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        """Answer one request: ``(status, headers, JSON value)``, or a drop marker."""
        parts = urlsplit(target)
        if parts.path.startswith("/oauth/"):  # the OAuth server, for browsers and clients
            return self.oauth.handle(method, parts.path, parts.query, body)
        route, query_pairs = _split_target(target)
        request = f"{method} {route}"
        with self._lock:
            self.requests.append(request)
        slow = self.faults.take("slow", request)
        if slow is not None:
            time.sleep(slow.seconds)
        failure = self.faults.take("fail", request)
        if failure is not None:
            return _failure(failure)
        query = php_forms.decode(query_pairs)
        form = self._form(request, headers, body)
        try:
            bearer = self._bearer(headers, method, route)
            if bearer is not None:
                status, answer = 200, self.state.render_member(self.state.members[bearer])
            else:
                self._authenticate(headers, query, form)
                status, answer = self._dispatch(method, route, query, form)
        except ApiError as error:
            status, answer = error.status, error.body
        with self._lock:
            found = self.contract.match(method, route)
            if found is not None and answer is not NO_BODY:
                problems = self.contract.response_problems(found[0], status, answer)
                self.violations += [f"fake answer broke the contract: {p}" for p in problems]
        if self.faults.take("drop", request) is not None:
            return 0, {}, _DROP
        cache = "public, max-age=60" if method == "GET" else "no-cache, no-store"
        return status, {"Cache-Control": cache}, answer

    def _form(self, request: str, headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
        content_type = headers.get("Content-Type", "")
        kind = content_type.split(";")[0].strip().lower()
        if not body:
            return {}
        if kind == "application/x-www-form-urlencoded":
            return php_forms.decode(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        if kind == "multipart/form-data":
            return php_forms.decode(_multipart_fields(content_type, body))
        with self._lock:
            self.violations.append(
                f"{request}: body sent as {kind or 'no content type'}; Invision reads only "
                "form fields and ignores it"
            )
        return {}

    def _bearer(self, headers: Mapping[str, str], method: str, route: str) -> int | None:
        """The member a bearer token acts for on ``GET /core/me``; ``None`` for API keys."""
        authorization = headers.get("Authorization") or ""
        if not authorization.startswith("Bearer ") or (method, route) != ("GET", "/core/me"):
            return None
        member = self.oauth.member_of(authorization[7:].strip())
        if member is None or member not in self.state.members:
            raise ApiError(401, "3S290/9", "INVALID_ACCESS_TOKEN")
        return member

    def _authenticate(
        self, headers: Mapping[str, str], query: Mapping[str, Any], form: Mapping[str, Any]
    ) -> None:
        authorization = headers.get("Authorization") or headers.get("X-Authorization") or ""
        key: str | None = None
        if authorization.startswith("Bearer "):
            raise ApiError(401, "3S290/9", "INVALID_ACCESS_TOKEN")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode("utf-8", "replace")
            key = decoded.partition(":")[0]
        key = key or query.get("key") or form.get("key")
        if not key:
            raise ApiError(401, "2S290/6", "NO_API_KEY")
        if key == self.api_key:
            return
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._bad_keys if now - t < 300]
            self._bad_keys.append(now)
            if len(self._bad_keys) > 10:
                raise ApiError(403, "1S290/C", "IP_ADDRESS_BANNED")
        if recent:
            raise ApiError(429, "1S290/D", "TOO_MANY_REQUESTS_WITH_BAD_KEY")
        raise ApiError(401, "3S290/7", "INVALID_API_KEY")

    def _dispatch(
        self, method: str, route: str, query: dict[str, Any], form: dict[str, Any]
    ) -> tuple[int, Any]:
        found = self.contract.match(method, route)
        if found is None:
            if self.contract.allows_path(route):
                raise ApiError(405, "3S291/2", "BAD_METHOD")
            raise ApiError(404, "2S291/1", "NO_ENDPOINT")
        operation, path = found
        with self._lock:
            problems = self.contract.request_problems(operation, path, query, form)
            self.violations += [f"{method} {route}: {p}" for p in problems]
            if operation.operation_id in self.denied:
                raise ApiError(403, "2S291/7", "NO_PERMISSION")
            handler = _HANDLERS.get(operation.operation_id)
            if handler is None:
                raise ApiError(500, "EX0", "UNKNOWN_ERROR")
            return handler(self.state, path, query, form, self.clock())


def _club_view(club: int | None, public: bool) -> str:
    """A node's view permission: every group outside clubs; in a club, only if public."""
    return "*" if club is None or public else ""


def _split_target(target: str) -> tuple[str, list[tuple[str, str]]]:
    """``/api/core/members?page=2`` or ``/api/index.php?/core/members&page=2`` to a route."""
    parts = urlsplit(target)
    path = parts.path.removeprefix("/api")
    query = parts.query
    if path in ("/index.php", "/index.php/") and query.startswith("/"):
        path, _, query = query.partition("&")
    return path.rstrip("/") or "/", parse_qsl(query, keep_blank_values=True)


def _multipart_fields(content_type: str, body: bytes) -> list[tuple[str, str]]:
    """The text fields of a ``multipart/form-data`` body, in order."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            payload = part.get_payload(decode=True)
            fields.append((name, payload.decode("utf-8") if isinstance(payload, bytes) else ""))
    return fields


def _failure(fault: Fault) -> tuple[int, dict[str, str], Any]:
    headers = {"Cache-Control": "no-cache, no-store"}
    if fault.retry_after is not None:
        headers["Retry-After"] = f"{fault.retry_after:g}"
    if fault.status == 429:
        # Invision itself rate-limits only bad keys; this is a proxy's or WAF's 429.
        return 429, headers, {"errorCode": "EX429", "errorMessage": "TOO_MANY_REQUESTS"}
    return fault.status, headers, {"errorCode": "EX0", "errorMessage": "UNKNOWN_ERROR"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        fake: FakeInvision = self.server.fake  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = CaseInsensitiveDict(self.headers.items())
        status, extra, answer = fake.handle(self.command, self.path, headers, body)
        if answer is _DROP:
            self.close_connection = True
            return
        # PHP's json_encode escapes "/" as "\/" (error codes read "1S290\/D").
        text = "" if answer is NO_BODY else json.dumps(answer, indent=4).replace("/", "\\/")
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra.items():
            self.send_header(name, value)
        try:
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client stopped waiting
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the fake records requests in :attr:`FakeInvision.requests`."""
