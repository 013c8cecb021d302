"""The fake Microsoft Graph's HTTPS server on 127.0.0.1, with its token endpoint and faults.

Every request body and every JSON answer is checked against Graph's CSDL (see
:mod:`.csdl`): a property Graph does not define, in either direction, is a
contract violation, recorded in :attr:`FakeGraph.violations` (tests fail on
any) and answered 400 (a request) or 500 (our own answer). Error bodies must
have Graph's shape. Faults: :meth:`FakeGraph.fail_next` (429 or 503 with
``Retry-After``), :meth:`FakeGraph.drop_next` (carry the request out, then
close the connection unanswered), a permission taken away
(``tenant.denied``), no application access policy
(``tenant.application_access_policy = False``) and transcripts not ready
(a meeting with none yet: Teams has not processed the recording).
"""

from __future__ import annotations

import json
import secrets
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from pspn_adapters._fakes.faults import Fault, Recorded, count_matching, take_fault
from pspn_adapters._fakes.loopback import LoopbackServer
from pspn_adapters.teams.fake.csdl import Csdl, load_csdl
from pspn_adapters.teams.fake.graph import ROUTES, Reply, Request, Tenant, graph_error
from pspn_adapters.teams.fake.tls import server_context, write_certificate

__all__ = ["FakeGraph", "Fault", "Recorded"]


@dataclass
class _Issued:
    tokens: set[str] = field(default_factory=set)


class FakeGraph(LoopbackServer):
    """A Microsoft Graph (and its Entra token endpoint) for one tenant, over HTTPS."""

    def __init__(self, *, tenant: Tenant | None = None, host: str = "127.0.0.1", port: int = 0):
        self.tenant = tenant or Tenant()
        self.csdl: Csdl = load_csdl()
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.faults: list[Fault] = []
        self._issued = _Issued()
        self._lock = threading.RLock()
        self._folder = tempfile.TemporaryDirectory(prefix="pspn-fake-graph-")
        cert, key = write_certificate(Path(self._folder.name))
        self.ca_file = cert
        self._server = _Server((host, port), _Handler)
        self._server.socket = server_context(cert, key).wrap_socket(
            self._server.socket, server_side=True
        )
        self._server.fake = self  # type: ignore[attr-defined]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"https://{host!s}:{port}"

    @property
    def graph_url(self) -> str:
        return f"{self.url}/v1.0"

    def stop(self) -> None:
        super().stop()
        self._folder.cleanup()

    def settings(self, secret_env: str = "PSPN_TEAMS_SECRET") -> dict[str, Any]:  # noqa: S107
        """The ``[platforms.teams]`` table that points pspn at this fake."""
        return {
            "tenant_id": self.tenant.tenant_id,
            "client_id": self.tenant.client_id,
            "client_secret_env": secret_env,
            "organiser": self.tenant.organiser,
            "authority_host": self.url,
            "graph_url": self.graph_url,
            "ca_bundle": str(self.ca_file),
        }

    # -- faults ---------------------------------------------------------------
    def fail_next(
        self,
        status: int,
        *,
        retry_after: int | None = None,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Answer ``times`` matching requests with ``status`` (429, 503...), doing nothing."""
        self.faults.append(Fault("status", times, method, path, status, retry_after))

    def drop_next(self, *, method: str | None = None, path: str | None = None) -> None:
        """Carry out the next matching request, then close the connection without answering."""
        self.faults.append(Fault("drop", 1, method, path))

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests matched (``path`` is a substring)."""
        return count_matching(self.requests, method, path)

    # -- one request ----------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, str], headers: Any, raw: bytes
    ) -> Reply | None:
        """Answer one request; ``None`` means drop the connection."""
        recorded = Recorded(method, path, {k: v for k, v in query.items()})
        with self._lock:
            self.requests.append(recorded)
            fault = take_fault(self.faults, method, path)
            if fault is not None and fault.kind == "status":
                reply: Reply | None = _fault_reply(fault)
            else:
                reply = self._answer(method, path, query, headers, raw)
                if fault is not None:
                    reply = None
        recorded.status = None if reply is None else reply.status
        if reply is not None and reply.status >= 400:
            self.violations.extend(_error_shape(method, path, reply))
        return reply

    def _answer(
        self, method: str, path: str, query: dict[str, str], headers: Any, raw: bytes
    ) -> Reply:
        tenant_path = f"/{self.tenant.tenant_id}"
        if path == f"{tenant_path}/v2.0/.well-known/openid-configuration" and method == "GET":
            return Reply(200, self._openid_configuration())
        if path == f"{tenant_path}/oauth2/v2.0/token" and method == "POST":
            return self._token(dict(parse_qsl(raw.decode())))
        if not path.startswith("/v1.0/"):
            return graph_error(404, "NotFound", "Unknown path.")
        authorization = headers.get("Authorization") or ""
        if authorization.removeprefix("Bearer ") not in self._issued.tokens:
            return graph_error(
                401, "InvalidAuthenticationToken", "Access token is empty or invalid."
            )
        for route in ROUTES:
            found = route.pattern.fullmatch(path) if route.method == method else None
            if found is None:
                continue
            if route.permission in self.tenant.denied:
                return graph_error(403, "Forbidden", "Missing role permissions on the request.")
            if "onlineMeetings" in path and not self.tenant.application_access_policy:
                return graph_error(
                    403, "General", "No application access policy found for this app."
                )
            body: Any = None
            if raw:
                try:
                    body = json.loads(raw)
                except ValueError:
                    return self._violation(f"{method} {path}: the body is not JSON")
            problems = self._check_request(route.request_type, body, f"{method} {path}")
            if problems:
                return self._violation(*problems)
            params = {k: unquote(v) for k, v in found.groupdict().items()}
            request = Request(self.tenant, self.url, path, params, query, body)
            reply = route.handler(request)
            problems = self._check_reply(reply, f"{method} {path}")
            if problems:
                self.violations.extend(problems)
                return graph_error(500, "InternalServerError", "The fake broke the contract.")
            return reply
        return graph_error(400, "BadRequest", f"Resource not found for the segment in {path}.")

    def _check_request(self, request_type: str | None, body: Any, where: str) -> list[str]:
        if request_type is None:
            return [] if body is None else [f"{where}: this call takes no body"]
        if request_type.startswith("action:"):
            _, action, bound = request_type.split(":")
            return self.csdl.check_action(action, bound, body or {}, f"{where} body")
        return self.csdl.check(request_type, body, f"{where} body")

    def _check_reply(self, reply: Reply, where: str) -> list[str]:
        if reply.checks is None or reply.status >= 400:
            return []
        if not reply.collection:
            return self.csdl.check(reply.checks, reply.body, f"{where} answer")
        body = reply.body
        extra = [k for k in body if k != "value" and not k.startswith("@odata.")]
        problems = [f"{where} answer: unexpected keys {extra}"] if extra else []
        for index, item in enumerate(body["value"]):
            problems += self.csdl.check(reply.checks, item, f"{where} answer.value[{index}]")
        return problems

    def _violation(self, *problems: str) -> Reply:
        self.violations.extend(problems)
        return graph_error(400, "BadRequest", "; ".join(problems)[:500])

    def _openid_configuration(self) -> dict[str, Any]:
        base = f"{self.url}/{self.tenant.tenant_id}"
        return {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "issuer": f"{self.url}/{self.tenant.tenant_id}/v2.0",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
        }

    def _token(self, form: dict[str, str]) -> Reply:
        if form.get("grant_type") != "client_credentials":
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "x"})
        if form.get("client_id") != self.tenant.client_id:
            return Reply(
                400,
                {
                    "error": "unauthorized_client",
                    "error_description": "AADSTS700016: Application with identifier "
                    f"'{form.get('client_id')}' was not found in the directory.",
                },
            )
        if form.get("client_secret") != self.tenant.client_secret:
            return Reply(
                401,
                {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                },
            )
        if form.get("scope") != "https://graph.microsoft.com/.default":
            return Reply(400, {"error": "invalid_scope", "error_description": "AADSTS1002012"})
        token = secrets.token_urlsafe(32)
        self._issued.tokens.add(token)
        return Reply(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token})


def _fault_reply(fault: Fault) -> Reply:
    if fault.status == 429:
        reply = graph_error(429, "TooManyRequests", "Please retry after the time given.")
    else:
        reply = graph_error(fault.status, "ServiceNotAvailable", "Service is unavailable.")
    if fault.retry_after is not None:
        reply.headers["Retry-After"] = str(fault.retry_after)
    return reply


def _error_shape(method: str, path: str, reply: Reply) -> list[str]:
    body = reply.body
    if "/oauth2/" in path:  # Entra's token errors have their own shape
        ok = isinstance(body, dict) and {"error", "error_description"} <= set(body)
    else:
        error = body.get("error") if isinstance(body, dict) else None
        ok = (
            isinstance(error, dict)
            and set(body) == {"error"}
            and isinstance(error.get("code"), str)
            and isinstance(error.get("message"), str)
        )
    return [] if ok else [f"{method} {path}: the fake's error body has not Graph's shape"]


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up, or a TLS handshake cut short, is expected."""
        if not isinstance(sys.exc_info()[1], ConnectionError | OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes

    def _serve(self) -> None:
        fake: FakeGraph = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        reply = fake.handle(self.command, unquote(parts.path), query, self.headers, raw)
        if reply is None:
            self.close_connection = True
            return
        if reply.text_type:
            data, kind = str(reply.body).encode(), f"{reply.text_type}; charset=utf-8"
        elif reply.body is None:
            data, kind = b"", ""
        else:
            data, kind = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
        self.send_response(reply.status)
        headers = {"Content-Type": kind, **reply.headers} if kind else dict(reply.headers)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read :attr:`FakeGraph.requests` instead."""
